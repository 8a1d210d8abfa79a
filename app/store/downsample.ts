/**
 * Display-side reduction of long loss series: EMA smoothing over the full history, then min/max
 * bucketing to a few hundred rows. Min/max (not plain striding) keeps spikes — a collapsing
 * discriminator shows up as a spike first — and the first and last points are always kept.
 */

/**
 * TensorBoard's debiased exponential moving average. weight 0 returns the input; non-finite values
 * pass through without poisoning the average.
 */
export function ema(values: ArrayLike<number>, weight: number): Float32Array {
  const out = new Float32Array(values.length);
  new EmaState(weight).extend(values, out, 0);
  return out;
}

/** The running state of one debiased EMA, so an appended history is smoothed in O(new points). */
export class EmaState {
  private last = 0;
  private decay = 1; // weight^n, n = finite values seen
  constructor(readonly weight: number) {}

  /** Writes the smoothed values[from…] into out[from…]. */
  extend(values: ArrayLike<number>, out: Float32Array, from: number): void {
    const w = this.weight;
    for (let i = from; i < values.length; i++) {
      const v = values[i];
      if (w <= 0 || !Number.isFinite(v)) {
        out[i] = v;
        continue;
      }
      this.last = this.last * w + (1 - w) * v;
      this.decay *= w;
      out[i] = this.last / (1 - this.decay);
    }
  }
}

/**
 * One loss series smoothed incrementally: keeps its output and EMA state between calls and only smooths the
 * points appended since, starting over when the weight changes or the history was replaced (a new
 * `generation`, or fewer points than before).
 */
export class SmoothedSeries {
  private out = new Float32Array(0);
  private state = new EmaState(0);
  private done = 0;
  private generation = 0;

  view(values: Float32Array, weight: number, generation = 0): Float32Array {
    if (weight !== this.state.weight || generation !== this.generation || values.length < this.done) {
      this.generation = generation;
      this.state = new EmaState(weight);
      this.done = 0;
    }
    if (this.out.length < values.length) {
      const grown = new Float32Array(Math.max(values.length, this.out.length * 2, 1024));
      grown.set(this.out.subarray(0, this.done));
      this.out = grown;
    }
    this.state.extend(values, this.out, this.done);
    this.done = values.length;
    return this.out.subarray(0, values.length);
  }
}

/**
 * Indices (ascending, unique) that represent `length` points of every series in at most ~`target`
 * rows: for each of B equal buckets, the position of each series' min and max. B = target / (2·series),
 * so the union stays under target. Returns every index when the data already fits.
 */
export function minMaxIndices(series: readonly ArrayLike<number>[], length: number, target: number): Uint32Array {
  if (length <= target || length <= 2) return Uint32Array.from({ length }, (_, i) => i);
  const k = Math.max(1, series.length);
  const buckets = Math.max(1, Math.floor((target - 2) / (2 * k)));
  const keep = new Uint8Array(length);
  keep[0] = 1;
  keep[length - 1] = 1;
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * length) / buckets);
    const hi = Math.floor(((b + 1) * length) / buckets); // exclusive
    for (const s of series) {
      let iMin = -1;
      let iMax = -1;
      for (let i = lo; i < hi; i++) {
        const v = s[i];
        if (!Number.isFinite(v)) continue;
        if (iMin < 0 || v < s[iMin]) iMin = i;
        if (iMax < 0 || v > s[iMax]) iMax = i;
      }
      if (iMin >= 0) keep[iMin] = 1;
      if (iMax >= 0) keep[iMax] = 1;
    }
  }
  let count = 0;
  for (let i = 0; i < length; i++) count += keep[i];
  const out = new Uint32Array(count);
  for (let i = 0, j = 0; i < length; i++) if (keep[i]) out[j++] = i;
  return out;
}
