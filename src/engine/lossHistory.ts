/**
 * The run's whole loss history, kept by the engine so a checkpoint can carry it: growable typed arrays, one
 * column per loss (float32 — the losses are read from a float32 tensor, so nothing is lost), plus epoch,
 * wall time and lr. 100k iterations ≈ 100k × 48 B ≈ 5 MB. Iterations are contiguous: start+1 … start+length.
 */
import type { Checkpoint } from '../io/checkpoint';
import type { LossPoint } from '../protocol/messages';
import { LOSS_NAMES, type LossName } from '../train/losses';

/** Float columns in the checkpoint. lr is float64 and changes once an epoch (or on a live edit): it goes into the
 * manifest as runs [first index, value], exact and a few bytes. */
const COLUMNS = [...LOSS_NAMES, 'epoch', 'ms'] as const;
type Column = (typeof COLUMNS)[number];

export class LossHistory {
  start = 0;
  length = 0;
  private cols: Record<Column, Float32Array>;
  private lr: Float64Array;

  constructor(private capacity = 1024) {
    this.cols = LossHistory.alloc(capacity);
    this.lr = new Float64Array(capacity);
  }

  private static alloc(n: number): Record<Column, Float32Array> {
    return Object.fromEntries(COLUMNS.map((c) => [c, new Float32Array(n)])) as Record<Column, Float32Array>;
  }

  /** The iteration of the last point (start when empty). */
  get lastIter(): number {
    return this.start + this.length;
  }

  clear(start = 0): void {
    this.start = start;
    this.length = 0;
  }

  /**
   * Appends the next iteration's point. A point at or before the last one (after a rollback) drops the points
   * from there on; one that leaves a gap, or comes before the start, starts the history over.
   */
  push(p: LossPoint): void {
    if (p.iter > this.start && p.iter <= this.lastIter) this.truncate(p.iter - 1);
    else if (p.iter !== this.lastIter + 1) this.clear(p.iter - 1);
    if (this.length === this.capacity) this.grow(this.capacity * 2);
    const i = this.length++;
    for (const n of LOSS_NAMES) this.cols[n][i] = p.values[n];
    this.cols.epoch[i] = p.epoch;
    this.cols.ms[i] = p.ms;
    this.lr[i] = p.lr;
  }

  /** Keeps the points up to iteration `iter` (a rollback to an earlier checkpoint). */
  truncate(iter: number): void {
    this.length = Math.max(0, Math.min(this.length, iter - this.start));
  }

  /** Points [from, to) by index, as the protocol sends them. */
  points(from = 0, to = this.length): LossPoint[] {
    const out: LossPoint[] = [];
    for (let i = from; i < Math.min(to, this.length); i++) {
      const values = Object.fromEntries(LOSS_NAMES.map((n) => [n, this.cols[n][i]])) as Record<LossName, number>;
      out.push({ iter: this.start + i + 1, epoch: this.cols.epoch[i], lr: this.lr[i], values, ms: this.cols.ms[i] });
    }
    return out;
  }

  /** The columns as named float32 vectors for a checkpoint (`history/<column>`). */
  columns(): { name: string; values: Float32Array }[] {
    return COLUMNS.map((c) => ({ name: `history/${c}`, values: this.cols[c].subarray(0, this.length) }));
  }

  /** lr as runs of equal values: [index where the run starts, lr]. */
  lrRuns(): [number, number][] {
    const runs: [number, number][] = [];
    for (let i = 0; i < this.length; i++) if (i === 0 || this.lr[i] !== this.lr[i - 1]) runs.push([i, this.lr[i]]);
    return runs;
  }

  /** Appends the history to a checkpoint (as v2 `history/*` tensors). */
  attachTo(ck: Checkpoint): Checkpoint {
    const cols = this.columns();
    const data = new Float32Array(ck.data.length + cols.length * this.length);
    data.set(ck.data);
    const tensors = [...ck.manifest.tensors];
    let off = ck.data.length;
    for (const c of cols) {
      data.set(c.values, off);
      tensors.push({ name: c.name, shape: [this.length], offset: off });
      off += this.length;
    }
    return { manifest: { ...ck.manifest, tensors, history: { start: this.start, length: this.length, lr: this.lrRuns() } }, data };
  }

  /** The history a checkpoint carries; empty (starting at its iteration) for a v1 file without one. */
  static fromCheckpoint(ck: Checkpoint): LossHistory {
    const h = new LossHistory(Math.max(1024, ck.manifest.history?.length ?? 0));
    const info = ck.manifest.history;
    if (!info) {
      h.clear(ck.manifest.iteration);
      return h;
    }
    const col = (c: Column): Float32Array => {
      const e = ck.manifest.tensors.find((t) => t.name === `history/${c}`);
      if (!e || e.shape[0] !== info.length || e.offset + info.length > ck.data.length) throw new RangeError(`checkpoint history column ${c} is missing or truncated`);
      return ck.data.subarray(e.offset, e.offset + info.length);
    };
    for (const c of COLUMNS) h.cols[c].set(col(c));
    const runs = info.lr ?? [];
    for (let r = 0; r < runs.length; r++) h.lr.fill(runs[r][1], runs[r][0], r + 1 < runs.length ? runs[r + 1][0] : info.length);
    h.start = info.start;
    h.length = info.length;
    return h;
  }

  private grow(n: number): void {
    const cols = LossHistory.alloc(n);
    for (const c of COLUMNS) cols[c].set(this.cols[c].subarray(0, this.length));
    const lr = new Float64Array(n);
    lr.set(this.lr.subarray(0, this.length));
    this.cols = cols;
    this.lr = lr;
    this.capacity = n;
  }
}
