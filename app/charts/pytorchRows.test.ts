/** A PyTorch run's loss points as chart rows: x on the studio run's axis, the same EMA, gaps on a log axis. */
import { describe, expect, it } from 'vitest';
import type { LossPoint } from '../../src/protocol/messages';
import { pytorchRows } from './pytorchRows';

const point = (iter: number, G_A: number): LossPoint => ({ iter, epoch: 1, lr: NaN, ms: 0, values: { G_A } as LossPoint['values'] });
const opts = { smoothing: 0, logScale: false, xAxis: 'iterations' as const, itersPerEpoch: 10, epochCount: 1, target: 600 };

describe('pytorchRows', () => {
  it('puts iterations on the run axis (from its epochCount) or in epochs', () => {
    const pts = [point(20, 1), point(40, 0.5)];
    expect(pytorchRows(pts, ['G_A'], opts)).toEqual([{ x: 20, py_G_A: 1 }, { x: 40, py_G_A: 0.5 }]);
    expect(pytorchRows(pts, ['G_A'], { ...opts, epochCount: 2 }).map((r) => r.x)).toEqual([10, 30]);
    expect(pytorchRows(pts, ['G_A'], { ...opts, xAxis: 'epochs' }).map((r) => r.x)).toEqual([2, 4]);
  });

  it('smooths like the run, keeps NaN as a gap, drops ≤ 0 on a log axis and thins to about `target` rows', () => {
    expect(pytorchRows([point(1, 1), point(2, 0)], ['G_A'], { ...opts, smoothing: 0.5 }).map((r) => r.py_G_A)).toEqual([1, 0.5]);
    expect(pytorchRows([point(1, NaN), point(2, 0)], ['G_A'], { ...opts, logScale: true }).map((r) => r.py_G_A)).toEqual([null, null]);
    expect(pytorchRows(Array.from({ length: 100 }, (_, i) => point(i + 1, 1)), ['G_A'], { ...opts, target: 10 })).toHaveLength(11);
  });
});
