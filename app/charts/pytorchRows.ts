/**
 * A PyTorch run's losses (its loss_log.txt, parsed into loss points) as chart rows on the same x axis as the
 * studio's run: the log counts iterations from epoch 1, the studio's run from its epochCount. The same EMA as
 * the run's curves, then every k-th row so that about `target` are drawn. Keys are `py_<loss>`, so both
 * series can share a tooltip.
 */
import type { LossName } from '../constants';
import type { LossPoint } from '../../src/protocol/messages';
import type { RowOptions } from './rows';

export type PytorchRow = { x: number } & Partial<Record<`py_${LossName}`, number | null>>;

export const pyKey = (n: LossName): `py_${LossName}` => `py_${n}`;

export function pytorchRows(points: readonly LossPoint[], names: readonly LossName[], o: RowOptions): PytorchRow[] {
  const ipe = Math.max(1, o.itersPerEpoch);
  const ema: Partial<Record<LossName, number>> = {};
  const every = Math.max(1, Math.ceil(points.length / Math.max(1, o.target)));
  const rows: PytorchRow[] = [];
  points.forEach((p, i) => {
    const row: PytorchRow = { x: o.xAxis === 'epochs' ? p.iter / ipe : p.iter - (o.epochCount - 1) * ipe };
    for (const n of names) {
      const v = p.values[n];
      if (Number.isFinite(v)) ema[n] = ema[n] === undefined ? v : o.smoothing * ema[n]! + (1 - o.smoothing) * v;
      const s = Number.isFinite(v) ? ema[n]! : NaN;
      row[pyKey(n)] = !Number.isFinite(s) || (o.logScale && s <= 0) ? null : s;
    }
    if (i % every === 0 || i === points.length - 1) rows.push(row);
  });
  return rows;
}
