import { describe, expect, it } from 'vitest';
import { chartRows, fittedTicks, labelWidth, niceLogScale, niceScale, niceTicks, valueExtent, xScale } from '../charts/rows';
import { LossBuffer } from './lossBuffer';
import { point } from '../testing/doubles';
import type { LossPoint } from '../../src/protocol/messages';


describe('LossBuffer', () => {
  it('appends batches, grows past its capacity and bumps its version once per batch', () => {
    const b = new LossBuffer(4);
    expect(b.version).toBe(0);
    b.append([1, 2, 3].map((i) => point(i)));
    b.append([4, 5, 6, 7, 8, 9].map((i) => point(i)));
    expect(b.version).toBe(2);
    expect(b.length).toBe(9);
    expect(Array.from(b.iterations())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(b.column('G_A')[8]).toBeCloseTo(point(9).values.G_A, 5);
    expect(b.last()?.iter).toBe(9);
    expect(b.lastIter()).toBe(9);
  });

  it('clears (and bumps only when there was something to clear)', () => {
    const b = new LossBuffer();
    b.clear();
    expect(b.version).toBe(0);
    b.append([point(1)]);
    b.clear();
    expect(b.length).toBe(0);
    expect(b.version).toBe(2);
    expect(b.last()).toBeUndefined();
  });

  it('downsamples 100k points to the target, keeping first, last and the extremes', () => {
    const b = new LossBuffer();
    const n = 100_000;
    const pts: LossPoint[] = [];
    for (let i = 1; i <= n; i++) pts.push(point(i, (it, k) => (it === 54_321 && k === 1 ? 99 : 1 + Math.sin(it / 1000))));
    b.append(pts);
    const rows = chartRows(b, ['G_A', 'G_B'], { smoothing: 0, logScale: false, xAxis: 'iterations', itersPerEpoch: 100, epochCount: 1, target: 600 });
    expect(rows.length).toBeLessThanOrEqual(600);
    expect(rows[0].x).toBe(1);
    expect(rows[rows.length - 1].x).toBe(n);
    expect(rows.some((r) => r.x === 54_321 && r.G_A === 99)).toBe(true); // G_A is loss index 1
  });

  it('gives fractional epochs on the epoch axis and gaps for ≤ 0 on a log axis', () => {
    const b = new LossBuffer();
    b.append([1, 2, 3, 4].map((i) => point(i, (it) => it - 2)));
    const rows = chartRows(b, ['D_A'], { smoothing: 0, logScale: true, xAxis: 'epochs', itersPerEpoch: 4, epochCount: 1, target: 600 });
    expect(rows.map((r) => r.x)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(rows.map((r) => r.D_A)).toEqual([null, null, 1, 2]);
  });
});

describe('niceTicks', () => {
  it('gives round ticks inside the data range', () => {
    expect(niceTicks(1, 100_385)).toEqual([20_000, 40_000, 60_000, 80_000, 100_000]);
    expect(niceTicks(1, 9)).toEqual([2, 4, 6, 8]);
    expect(niceTicks(0.025, 1, 4)).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1, 41)).toEqual([10, 20, 30, 40]);
    expect(niceTicks(5, 5)).toEqual([5]);
    expect(niceTicks(1, 3, 5, true)).toEqual([1, 2, 3]);
    expect(niceTicks(1, 3)).toEqual([1, 1.5, 2, 2.5, 3]);
  });
});

describe('fittedTicks', () => {
  const px = (t: number) => labelWidth(t.toLocaleString('en'), 15);
  it('gives a narrow chart fewer ticks, so long labels keep apart', () => {
    expect(fittedTicks(1, 100_385, 600, px, true)).toEqual([20_000, 40_000, 60_000, 80_000, 100_000]);
    const narrow = fittedTicks(1, 100_385, 200, px, true);
    expect(narrow).toEqual([50_000, 100_000]);
    expect((200 * (narrow[1] - narrow[0])) / 100_384).toBeGreaterThan(1.5 * px(100_000)); // half a label between them
  });

  it('spaces ticks by their own labels, not by the newest value’s', () => {
    // epochs: the newest x reads 0.688 (5 characters), the ticks 0.2, 0.4, 0.6 (3)
    const epochs = (t: number) => labelWidth(String(+t.toFixed(3)), 15);
    expect(fittedTicks(0.0125, 0.6875, 200, epochs, false)).toEqual([0.2, 0.4, 0.6]);
  });
});

describe('xScale (the x axis)', () => {
  const label = (t: number) => labelWidth(t.toLocaleString('en'), 15);
  it('ends a little past the newest point, on half a tick step, and moves only when the run passes that end', () => {
    const ends = new Set<number>();
    for (let hi = 20; hi <= 2000; hi++) {
      const { domain, ticks } = xScale(1, hi, 600, label, true);
      const step = ticks[1] - ticks[0];
      expect(domain[0]).toBe(1);
      expect(domain[1] - hi).toBeGreaterThanOrEqual(0);
      expect(domain[1] - hi).toBeLessThan(step / 2);
      expect(Number.isInteger(domain[1] / (step / 2))).toBe(true);
      expect(ticks.every((t, i) => t >= 1 && t <= domain[1] && (i === 0 || t - ticks[i - 1] === step))).toBe(true);
      ends.add(domain[1]);
    }
    expect(ends.size).toBeLessThan(1981 / 10); // a growing run moves the axis less than once in ten iterations
    for (const [lo, hi, integer] of [[1, 7, true], [1, 99_999, true], [0.0125, 3.4, false], [0, 0.05, false]] as const) {
      const { domain, ticks } = xScale(lo, hi, 600, label, integer);
      expect(domain[1]).toBeGreaterThanOrEqual(hi);
      expect(domain[1] - hi).toBeLessThan((ticks[1] - ticks[0]) / 2);
    }
  });

  it('gives a single point an axis of its own', () => {
    expect(xScale(1, 1, 600, label, true)).toEqual({ domain: [1, 2], ticks: [1] });
  });
});

describe('niceScale (the y axis)', () => {
  it('ends on round ticks that enclose the data', () => {
    expect(niceScale(0.43, 1.37)).toEqual({ domain: [0.25, 1.5], ticks: [0.25, 0.5, 0.75, 1, 1.25, 1.5] });
    expect(niceScale(2.9, 6.6)).toEqual({ domain: [2, 7], ticks: [2, 3, 4, 5, 6, 7] });
    expect(niceScale(0, 0.1)).toEqual({ domain: [0, 0.1], ticks: [0, 0.025, 0.05, 0.075, 0.1] });
    for (const [lo, hi] of [[0.0123, 0.0789], [-3, 250], [1e-5, 3e-5], [0.6931, 0.6932]]) {
      const { domain, ticks } = niceScale(lo, hi);
      expect(domain[0]).toBeLessThanOrEqual(lo);
      expect(domain[1]).toBeGreaterThanOrEqual(hi);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(ticks.length).toBeLessThanOrEqual(7);
      expect(ticks[0]).toBe(domain[0]);
      expect(ticks[ticks.length - 1]).toBe(domain[1]);
    }
  });

  it('gives a flat series room around it', () => {
    const { domain } = niceScale(0.5, 0.5);
    expect(domain[0]).toBeLessThan(0.5);
    expect(domain[1]).toBeGreaterThan(0.5);
    expect(niceScale(0, 0).domain).toEqual([-1, 1]);
  });

  it('on a log axis, ends on powers of ten that enclose the data', () => {
    expect(niceLogScale(0.3, 0.8)).toEqual({ domain: [0.1, 1], ticks: [0.1, 0.2, 0.5, 1] });
    expect(niceLogScale(0.04, 6.2)).toEqual({ domain: [0.01, 10], ticks: [0.01, 0.1, 1, 10] });
    expect(niceLogScale(0.5, 3)).toEqual({ domain: [0.1, 10], ticks: [0.1, 0.2, 0.5, 1, 2, 5, 10] });
    expect(niceLogScale(1, 1).domain).toEqual([1, 10]); // a flat series still gets a decade
    for (const [lo, hi] of [[1e-4, 3e-2], [0.0123, 0.0789], [2.5, 250]]) {
      const { domain, ticks } = niceLogScale(lo, hi);
      expect(domain[0]).toBeLessThanOrEqual(lo);
      expect(domain[1]).toBeGreaterThanOrEqual(hi);
      expect(ticks[0]).toBe(domain[0]);
      expect(ticks[ticks.length - 1]).toBe(domain[1]);
    }
  });

  it('reads the extent of the drawn values, skipping gaps', () => {
    const rows = [{ x: 1, G_A: 0.5, G_B: null }, { x: 2, G_A: 2, G_B: 0.25 }, { x: 3, G_A: NaN }];
    expect(valueExtent(rows, ['G_A', 'G_B'])).toEqual([0.25, 2]);
    expect(valueExtent(rows, ['D_A'])).toBeNull();
  });
});
