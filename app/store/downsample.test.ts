import { describe, expect, it } from 'vitest';
import { SmoothedSeries, ema, minMaxIndices } from './downsample';

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

describe('minMaxIndices', () => {
  it('keeps everything when the data fits', () => {
    expect(Array.from(minMaxIndices([[1, 2, 3]], 3, 600))).toEqual([0, 1, 2]);
  });

  it('keeps first, last and every extreme of every series, under the target, sorted', () => {
    const n = 100_000;
    const a = new Float32Array(n).map((_, i) => Math.sin(i / 500));
    const b = new Float32Array(n).map((_, i) => Math.cos(i / 300));
    a[12_345] = 50; // a spike
    b[67_890] = -50; // a dip
    const idx = minMaxIndices([a, b], n, 600);
    expect(idx.length).toBeLessThanOrEqual(600);
    expect(idx.length).toBeGreaterThan(300);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(n - 1);
    expect(Array.from(idx)).toContain(12_345);
    expect(Array.from(idx)).toContain(67_890);
    for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(idx[i - 1]);
  });

  it('is fast enough for 100k points per frame', () => {
    const n = 100_000;
    const s = [0, 1, 2, 3].map((k) => new Float32Array(n).map((_, i) => Math.sin(i * (k + 1))));
    const t0 = performance.now();
    minMaxIndices(s, n, 600);
    expect(performance.now() - t0).toBeLessThan(50);
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
