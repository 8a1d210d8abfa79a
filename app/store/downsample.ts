/**
 * Display-side smoothing of long loss series: TensorBoard's EMA over the full history, kept up incrementally.
 * (The charts then downsample it: app/charts/minMaxBlocks.ts.)
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
