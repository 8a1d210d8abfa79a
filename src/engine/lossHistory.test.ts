import { describe, expect, it } from 'vitest';
import type { LossPoint } from '../protocol/messages';
import { LOSS_NAMES } from '../train/losses';
import { LossHistory } from './lossHistory';

const point = (iter: number, lr = 2e-4 / 3): LossPoint => ({
  iter, epoch: 1 + Math.floor((iter - 1) / 4), lr, ms: 12.5, values: Object.fromEntries(LOSS_NAMES.map((n, i) => [n, Math.fround(iter + i / 8)])) as LossPoint['values'],
});

describe('LossHistory', () => {
  it('grows past its capacity, and round-trips through a checkpoint exactly (lr included)', () => {
    const h = new LossHistory(2);
    const pts = Array.from({ length: 9 }, (_, i) => point(i + 1, i < 5 ? 2e-4 / 3 : 1e-4 / 7));
    pts.forEach((p) => h.push(p));
    expect(h.points()).toEqual(pts);
    const ck = h.attachTo({ manifest: { tensors: [{ name: 'w', shape: [2], offset: 0 }], iteration: 9 } as never, data: new Float32Array([1, 2]) });
    expect(ck.manifest.history).toEqual({ start: 0, length: 9, lr: [[0, 2e-4 / 3], [5, 1e-4 / 7]] });
    expect(LossHistory.fromCheckpoint(ck).points()).toEqual(pts);
  });

  it('a rollback (a point at or before the last) drops the points after it; a gap starts over', () => {
    const h = new LossHistory();
    for (let i = 1; i <= 6; i++) h.push(point(i));
    h.push(point(4)); // rolled back to 3, then iteration 4 again
    expect(h.points().map((p) => p.iter)).toEqual([1, 2, 3, 4]);
    h.push(point(10));
    expect([h.start, h.length]).toEqual([9, 1]);
  });
});
