import { describe, expect, it } from 'vitest';
import { MinMaxBlocks } from './minMaxBlocks';

const wave = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
const ascending = (idx: Uint32Array) => idx.every((v, i) => i === 0 || v > idx[i - 1]);

describe('MinMaxBlocks', () => {
  it('keeps every point when they fit', () => {
    expect(Array.from(new MinMaxBlocks().indices([[1, 2, 3]], 3, 300))).toEqual([0, 1, 2]);
  });

  it('keeps the first and the last point and every series’ spikes, within the width, ascending', () => {
    const n = 100_000;
    const a = wave(n, (i) => Math.sin(i / 500));
    const b = wave(n, (i) => Math.cos(i / 300));
    a[12_345] = 50; // a spike
    b[67_890] = -50; // a dip
    a[n - 2] = 60; // a spike just before the end
    const idx = new MinMaxBlocks().indices([a, b], n, 300);
    expect(idx.length).toBeLessThanOrEqual(300);
    expect(idx.length).toBeGreaterThan(100); // about the width, not a handful
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(n - 1);
    expect(Array.from(idx)).toEqual(expect.arrayContaining([12_345, 67_890, n - 2]));
    expect(ascending(idx)).toBe(true);
  });

  it('stays within the width for any width and number of series', () => {
    for (const width of [10, 57, 200, 1000])
      for (const k of [1, 2, 4]) {
        const s = Array.from({ length: k }, (_, j) => wave(20_000, (i) => Math.sin(i * (j + 1)) + (i % 97 === 0 ? 9 : 0)));
        const idx = new MinMaxBlocks().indices(s, 20_000, width);
        expect(idx.length, `width ${width}, ${k} series`).toBeLessThanOrEqual(Math.max(width, 2 + 2 * k));
        expect(ascending(idx)).toBe(true);
      }
  });

  it('keeps each bucket’s min and max: no value range is lost between neighbouring rows', () => {
    const n = 50_000;
    const s = wave(n, (i) => Math.sin(i / 37) * (1 + (i % 1000) / 100));
    const idx = new MinMaxBlocks().indices([s], n, 250);
    const kept = Array.from(idx, (i) => s[i]);
    expect(Math.max(...kept)).toBe(Math.max(...s));
    expect(Math.min(...kept)).toBe(Math.min(...s));
  });

  it('growing a little at a time gives exactly what building from scratch gives', () => {
    const n = 30_000;
    const s = [wave(n, (i) => Math.sin(i / 50) + ((i * 7919) % 13) / 10), wave(n, (i) => Math.cos(i / 80) - ((i * 104729) % 17) / 10)];
    const grown = new MinMaxBlocks();
    for (let len = 1; len <= n; len += 1 + (len % 37)) {
      const step = grown.indices(s, len, 400);
      if (len % 5 === 0) expect(Array.from(step)).toEqual(Array.from(new MinMaxBlocks().indices(s, len, 400)));
    }
    expect(Array.from(grown.indices(s, n, 400))).toEqual(Array.from(new MinMaxBlocks().indices(s, n, 400)));
  });

  it('starts over for a new generation, new values or a shorter history', () => {
    const s = wave(10_000, (i) => Math.sin(i / 30));
    const b = new MinMaxBlocks();
    b.indices([s], 10_000, 100, { generation: 0, values: '0.6' });
    const spiked = s.slice();
    spiked[10] = 99; // inside a block that is already complete
    expect(Array.from(b.indices([spiked], 10_000, 100, { generation: 0, values: '0.6' }))).not.toContain(10); // same key: cached
    expect(Array.from(b.indices([spiked], 10_000, 100, { generation: 1, values: '0.6' }))).toContain(10);
    spiked[20] = 100;
    expect(Array.from(b.indices([spiked], 10_000, 100, { generation: 1, values: '0.9' }))).toContain(20);
    spiked[30] = 101;
    expect(Array.from(b.indices([spiked], 5_000, 100, { generation: 1, values: '0.9' }))).toContain(30);
  });

  it('skips non-finite values (log-scale gaps, a missing loss)', () => {
    const s = wave(1000, (i) => (i % 3 === 0 ? NaN : i % 100));
    const idx = new MinMaxBlocks().indices([s, wave(1000, () => NaN)], 1000, 50);
    expect(idx.length).toBeLessThanOrEqual(50);
    expect(Array.from(idx).slice(1, -1).every((i) => Number.isFinite(s[i]))).toBe(true);
  });

  it('costs O(new points) per redraw: 100k points from scratch, then 10 more', () => {
    const n = 100_000;
    const s = [0, 1, 2, 3].map((k) => wave(n + 10, (i) => Math.sin(i * (k + 1))));
    const b = new MinMaxBlocks();
    let t0 = performance.now();
    b.indices(s, n, 600);
    expect(performance.now() - t0).toBeLessThan(50);
    t0 = performance.now();
    for (let i = 1; i <= 10; i++) b.indices(s, n + i, 600);
    expect((performance.now() - t0) / 10).toBeLessThan(2);
  });
});
