/**
 * Turns the loss buffer into the few hundred rows one recharts chart draws. Pure apart from the optional
 * smoothing cache (one per chart), which makes a redraw after an append cost O(new points) + one min/max scan.
 */
import type { LossName } from '../constants';
import type { LossBuffer } from '../store/lossBuffer';
import { SmoothedSeries, minMaxIndices } from '../store/downsample';

export type XAxisMode = 'iterations' | 'epochs';

export interface RowOptions {
  smoothing: number; // EMA weight in [0, 1)
  logScale: boolean;
  xAxis: XAxisMode;
  itersPerEpoch: number;
  epochCount: number; // the epoch the run started at
  target: number; // ~rows to draw
}

export type ChartRow = { x: number } & Partial<Record<LossName, number | null>>;

/**
 * x in epochs is fractional: after k iterations of a run that began at epoch e0, x = e0 − 1 + k / itersPerEpoch
 * (so x = 1 exactly when the first epoch is complete). On a log axis values ≤ 0 become gaps.
 */
export function chartRows(buf: LossBuffer, names: readonly LossName[], o: RowOptions, cache: Partial<Record<LossName, SmoothedSeries>> = {}): ChartRow[] {
  const n = buf.length;
  if (n === 0) return [];
  const series = names.map((name) => (cache[name] ??= new SmoothedSeries()).view(buf.column(name), o.smoothing, buf.generation));
  const iters = buf.iterations();
  const idx = minMaxIndices(series, n, o.target);
  const ipe = Math.max(1, o.itersPerEpoch);
  const rows: ChartRow[] = new Array(idx.length);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    const x = o.xAxis === 'epochs' ? o.epochCount - 1 + iters[i] / ipe : iters[i];
    const row: ChartRow = { x };
    names.forEach((name, s) => {
      const v = series[s][i];
      row[name] = !Number.isFinite(v) || (o.logScale && v <= 0) ? null : v;
    });
    rows[r] = row;
  }
  return rows;
}

/**
 * Round tick positions (1, 2 or 5 × 10^k apart) inside [lo, hi], about `count` of them, for an axis that ends at
 * the data; `integer` keeps them whole (iterations).
 */
export function niceTicks(lo: number, hi: number, count = 5, integer = false): number[] {
  if (!(hi > lo)) return Number.isFinite(lo) ? [lo] : [];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const nearest = [1, 2, 5, 10].map((m) => m * mag).reduce((best, s) => (Math.abs(Math.log(s / raw)) < Math.abs(Math.log(best / raw)) ? s : best));
  const step = integer ? Math.max(1, Math.round(nearest)) : nearest;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(+t.toPrecision(12));
  return ticks;
}
