/** Turns the loss buffer into the few hundred rows one recharts chart draws. Pure: tested in Node. */
import type { LossName } from '../constants';
import type { LossBuffer } from '../store/lossBuffer';
import { ema, minMaxIndices } from '../store/downsample';

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
export function chartRows(buf: LossBuffer, names: readonly LossName[], o: RowOptions): ChartRow[] {
  const n = buf.length;
  if (n === 0) return [];
  const series = names.map((name) => ema(buf.column(name), o.smoothing));
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
