/**
 * The full loss history of a run, in growable typed arrays (struct of arrays) outside React state:
 * appending 10 points ten times a second allocates nothing most of the time, and 100k iterations
 * are 100k × (8 losses × 4 B + iter/epoch/lr) ≈ 5 MB.
 */
import type { LossPoint } from '../../src/protocol/messages';
import { LOSS_NAMES, type LossName } from '../constants';

export class LossBuffer {
  length = 0;
  /** Bumped on every change; readers compare it instead of the arrays. */
  version = 0;
  /** Bumped by clear(): caches built on the old contents must start over. */
  generation = 0;
  private iters: Float64Array;
  private epochs: Float64Array;
  private lrs: Float64Array;
  private cols: Record<LossName, Float32Array>;

  constructor(private capacity = 1024) {
    this.iters = new Float64Array(capacity);
    this.epochs = new Float64Array(capacity);
    this.lrs = new Float64Array(capacity);
    this.cols = Object.fromEntries(LOSS_NAMES.map((n) => [n, new Float32Array(capacity)])) as Record<LossName, Float32Array>;
  }

  append(points: readonly LossPoint[]): void {
    if (points.length === 0) return;
    this.reserve(this.length + points.length);
    for (const p of points) {
      const i = this.length++;
      this.iters[i] = p.iter;
      this.epochs[i] = p.epoch;
      this.lrs[i] = p.lr;
      for (const n of LOSS_NAMES) this.cols[n][i] = p.values[n] ?? NaN;
    }
    this.version++;
  }

  clear(): void {
    if (this.length === 0) return;
    this.length = 0;
    this.version++;
    this.generation++;
  }

  /** Drops the points after iteration `iter` (a run rolled back to it). */
  truncate(iter: number): void {
    let n = this.length;
    while (n > 0 && this.iters[n - 1] > iter) n--;
    if (n === this.length) return;
    this.length = n;
    this.version++;
    this.generation++;
  }

  /** Views of the filled part (no copies); valid until the next append. */
  column(name: LossName): Float32Array {
    return this.cols[name].subarray(0, this.length);
  }
  iterations(): Float64Array {
    return this.iters.subarray(0, this.length);
  }

  lastIter(): number {
    return this.length > 0 ? this.iters[this.length - 1] : 0;
  }

  /** The latest point as plain numbers (for legends and the status bar). */
  last(): { iter: number; epoch: number; lr: number; values: Record<LossName, number> } | undefined {
    const i = this.length - 1;
    if (i < 0) return undefined;
    const values = Object.fromEntries(LOSS_NAMES.map((n) => [n, this.cols[n][i]])) as Record<LossName, number>;
    return { iter: this.iters[i], epoch: this.epochs[i], lr: this.lrs[i], values };
  }

  private reserve(n: number): void {
    if (n <= this.capacity) return;
    let cap = this.capacity;
    while (cap < n) cap *= 2;
    const grow64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.iters = grow64(this.iters);
    this.epochs = grow64(this.epochs);
    this.lrs = grow64(this.lrs);
    for (const n of LOSS_NAMES) {
      const b = new Float32Array(cap);
      b.set(this.cols[n].subarray(0, this.length));
      this.cols[n] = b;
    }
    this.capacity = cap;
  }
}
