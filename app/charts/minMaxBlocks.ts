/**
 * Min/max downsampling that keeps up with a growing history in O(new points) per redraw. The points are cut into
 * blocks of a power-of-two size; each complete block remembers where every series has its minimum and its maximum.
 * The rows drawn are the first and the last point plus every block's extremes of every series, so a spike in any
 * series always shows (a collapsing discriminator shows up as a spike first) and the rows stay within the budget:
 * when the blocks no longer fit, neighbours merge and the block size doubles.
 */

/** How the cached blocks were built: a change of any of these starts them over. */
export interface BlockKey {
  /** the history's generation (bumped when it is cleared or cut back) */
  generation: number;
  /** anything else that changes the values in place, e.g. the smoothing weight */
  values: string;
}

export class MinMaxBlocks {
  private size = 1; // points per block
  private count = 0; // complete blocks
  private budget = 0; // the most blocks that fit the row target
  private lo: Uint32Array[] = []; // per series: each block's index of its minimum (or NO_INDEX)
  private hi: Uint32Array[] = []; // … and of its maximum
  private built: BlockKey | null = null;
  private seen = 0; // points the blocks were built from (a shorter history starts over)

  /**
   * Ascending, unique indices into the first `length` points of every series: all of them when they fit in `target`
   * rows, else at most `target`.
   */
  indices(series: readonly ArrayLike<number>[], length: number, target: number, key: BlockKey = { generation: 0, values: '' }): Uint32Array {
    if (length <= target || length <= 2) return Uint32Array.from({ length }, (_, i) => i);
    const budget = Math.max(1, Math.floor((target - 2) / (2 * Math.max(1, series.length))));
    if (!this.fits(series.length, budget, key, length)) this.reset(series.length, budget, key);
    this.seen = length;
    while (Math.ceil(length / this.size) > this.budget) this.merge(series);
    for (let end = (this.count + 1) * this.size; end <= length; end += this.size) this.close(series, end - this.size, end);
    return this.collect(series, length);
  }

  private fits(nSeries: number, budget: number, key: BlockKey, length: number): boolean {
    const b = this.built;
    return b !== null && b.generation === key.generation && b.values === key.values && this.lo.length === nSeries && this.budget === budget && length >= this.seen;
  }

  private reset(nSeries: number, budget: number, key: BlockKey): void {
    this.size = 1;
    this.count = 0;
    this.budget = budget;
    this.lo = Array.from({ length: nSeries }, () => new Uint32Array(budget + 1));
    this.hi = Array.from({ length: nSeries }, () => new Uint32Array(budget + 1));
    this.built = { ...key };
    this.seen = 0;
  }

  /** Records block `this.count` = points [from, to). */
  private close(series: readonly ArrayLike<number>[], from: number, to: number): void {
    series.forEach((s, k) => {
      const [lo, hi] = extremes(s, from, to);
      this.lo[k][this.count] = lo;
      this.hi[k][this.count] = hi;
    });
    this.count++;
  }

  /** Doubles the block size: neighbouring complete blocks merge; an odd last one goes back to being scanned. */
  private merge(series: readonly ArrayLike<number>[]): void {
    const pairs = Math.floor(this.count / 2);
    series.forEach((s, k) => {
      const lo = this.lo[k];
      const hi = this.hi[k];
      for (let j = 0; j < pairs; j++) {
        lo[j] = pick(s, lo[2 * j], lo[2 * j + 1], (a, b) => a < b);
        hi[j] = pick(s, hi[2 * j], hi[2 * j + 1], (a, b) => a > b);
      }
    });
    this.count = pairs;
    this.size *= 2;
  }

  /** First and last point, each complete block's extremes, then the extremes of the points after the last block. */
  private collect(series: readonly ArrayLike<number>[], length: number): Uint32Array {
    const out: number[] = [0];
    const block: number[] = [];
    const add = () => {
      block.sort((a, b) => a - b);
      for (const i of block) if (i !== NO_INDEX && i > out[out.length - 1]) out.push(i);
      block.length = 0;
    };
    for (let j = 0; j < this.count; j++) {
      for (let k = 0; k < series.length; k++) block.push(this.lo[k][j], this.hi[k][j]);
      add();
    }
    for (const s of series) block.push(...extremes(s, this.count * this.size, length));
    add();
    if (out[out.length - 1] !== length - 1) out.push(length - 1);
    return Uint32Array.from(out);
  }
}

const NO_INDEX = 0xffffffff; // a block with no finite value

/** Indices of the smallest and the largest finite value in s[from, to). */
function extremes(s: ArrayLike<number>, from: number, to: number): [number, number] {
  let lo = NO_INDEX;
  let hi = NO_INDEX;
  for (let i = from; i < to; i++) {
    const v = s[i];
    if (!Number.isFinite(v)) continue;
    if (lo === NO_INDEX || v < s[lo]) lo = i;
    if (hi === NO_INDEX || v > s[hi]) hi = i;
  }
  return [lo, hi];
}

/** Of two indices (either may be NO_INDEX), the one whose value `better` prefers. */
function pick(s: ArrayLike<number>, a: number, b: number, better: (x: number, y: number) => boolean): number {
  if (a === NO_INDEX) return b;
  if (b === NO_INDEX) return a;
  return better(s[b], s[a]) ? b : a;
}
