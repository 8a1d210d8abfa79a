import { describe, expect, it } from 'vitest';
import { SmoothedSeries, ema } from './downsample';

describe('ema', () => {
  it('returns the input for weight 0 and the debiased mean of a constant for any weight', () => {
    expect(Array.from(ema([1, 2, 3], 0))).toEqual([1, 2, 3]);
    for (const v of ema([5, 5, 5, 5], 0.9)) expect(v).toBeCloseTo(5, 5);
  });

  it('skips non-finite values without poisoning later ones', () => {
    const out = ema([1, NaN, 1], 0.5);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1, 6);
  });
});

describe('SmoothedSeries', () => {
  it('extends incrementally to exactly what a full EMA gives, and restarts on a new weight or a shorter history', () => {
    const all = new Float32Array(5000).map((_, i) => Math.sin(i / 40) + (i % 7) / 10);
    const s = new SmoothedSeries();
    s.view(all.subarray(0, 1200), 0.9);
    expect(Array.from(s.view(all, 0.9))).toEqual(Array.from(ema(all, 0.9)));
    expect(Array.from(s.view(all, 0.5))).toEqual(Array.from(ema(all, 0.5)));
    const fresh = all.subarray(0, 10).map((v) => v + 1);
    expect(Array.from(s.view(fresh, 0.5))).toEqual(Array.from(ema(fresh, 0.5)));
    const longer = all.map((v) => v * 2); // a new run that already has more points than the last view saw
    expect(Array.from(s.view(longer, 0.5, 1))).toEqual(Array.from(ema(longer, 0.5)));
  });
});
