/**
 * Turns the loss buffer into the few hundred rows one recharts chart draws. Pure apart from the optional cache
 * (one per chart: the incremental EMA and min/max blocks), which makes a redraw after an append cost O(new points).
 */
import type { LossName } from '../constants';
import type { LossBuffer } from '../store/lossBuffer';
import { SmoothedSeries } from '../store/downsample';
import { MinMaxBlocks } from './minMaxBlocks';

export type XAxisMode = 'iterations' | 'epochs';

export interface RowOptions {
  smoothing: number; // EMA weight in [0, 1)
  logScale: boolean;
  xAxis: XAxisMode;
  itersPerEpoch: number;
  epochCount: number; // the epoch the run started at
  target: number; // the most rows to draw (about the plot's width in pixels)
}

/** One chart's state between redraws. */
export class RowCache {
  readonly smoothed: Partial<Record<LossName, SmoothedSeries>> = {};
  readonly blocks = new MinMaxBlocks();
}

export type ChartRow = { x: number } & Partial<Record<LossName, number | null>>;

/**
 * x in epochs is fractional: after k iterations of a run that began at epoch e0, x = e0 − 1 + k / itersPerEpoch
 * (so x = 1 exactly when the first epoch is complete). On a log axis values ≤ 0 become gaps.
 */
export function chartRows(buf: LossBuffer, names: readonly LossName[], o: RowOptions, cache = new RowCache()): ChartRow[] {
  const n = buf.length;
  if (n === 0) return [];
  const series = names.map((name) => (cache.smoothed[name] ??= new SmoothedSeries()).view(buf.column(name), o.smoothing, buf.generation));
  const iters = buf.iterations();
  const idx = cache.blocks.indices(series, n, o.target, { generation: buf.generation, values: `${o.smoothing}` });
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

/** The smallest and largest finite value under `keys` in `rows` (null when there is none). */
export function valueExtent(rows: readonly Record<string, number | null | undefined>[], keys: readonly string[]): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (const row of rows)
    for (const k of keys) {
      const v = row[k];
      if (typeof v === 'number' && Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    }
  return lo <= hi ? [lo, hi] : null;
}

export interface NiceScale {
  domain: [number, number];
  ticks: number[];
}

/**
 * A linear axis around [lo, hi] that ends on ticks: at most `count` + 2 ticks, 1, 2, 2.5 or 5 × 10^k apart. Plain
 * floating point, a few operations: recharts' own nice ticks (decimal.js, on every redraw) were the most expensive
 * single step of a chart's redraw.
 */
export function niceScale(lo: number, hi: number, count = 5): NiceScale {
  if (!(hi > lo)) [lo, hi] = lo === 0 ? [-1, 1] : [lo - Math.abs(lo) / 10, hi + Math.abs(hi) / 10];
  const raw = (hi - lo) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * mag;
  const first = Math.floor(lo / step + 1e-9), last = Math.ceil(hi / step - 1e-9);
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => +((first + i) * step).toPrecision(12));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks };
}

/**
 * A log axis around [lo, hi] (both > 0) that ends on powers of ten, with a tick at each; across two decades or
 * fewer also at 2 and 5 × 10^k, so a loss that moves within one decade still has labels beside it.
 */
export function niceLogScale(lo: number, hi: number): NiceScale {
  const first = Math.floor(Math.log10(lo) + 1e-9), last = Math.max(first + 1, Math.ceil(Math.log10(hi) - 1e-9));
  const steps = last - first <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) for (const m of steps) if (k < last || m === 1) ticks.push(+(m * 10 ** k).toPrecision(12));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks };
}

export const sameScale = (a: NiceScale | null, b: NiceScale | null) =>
  a === b ||
  (a !== null && b !== null && a.domain[0] === b.domain[0] && a.domain[1] === b.domain[1] &&
    a.ticks.length === b.ticks.length && a.ticks.every((t, i) => t === b.ticks[i]));

/** About how wide a label of `text` is in a sans-serif font of `fontSize` px (digits are ~0.6 em). */
export const labelWidth = (text: string, fontSize: number) => Math.ceil(text.length * fontSize * 0.6);

/**
 * Round ticks for an x axis `width` px wide whose tick `t` has a label `labelPx(t)` px wide: the most (about 5 down
 * to 2) whose neighbours keep half of the widest label apart, so long iteration counts (100,000) do not run into
 * each other on a narrow chart, and short epoch labels (0.2) are not thinned for a long newest value (0.688).
 */
export function fittedTicks(lo: number, hi: number, width: number, labelPx: (tick: number) => number, integer: boolean): number[] {
  for (let count = 5; count > 2; count--) {
    const ticks = niceTicks(lo, hi, count, integer);
    const spacing = ticks.length > 1 ? (width * (ticks[1] - ticks[0])) / (hi - lo) : width;
    if (spacing >= 1.5 * Math.max(1, ...ticks.map(labelPx))) return ticks;
  }
  return niceTicks(lo, hi, 2, integer);
}

/**
 * The x axis of a run's curves from `lo` to `hi`: fittedTicks, and an end past `hi` rounded up to half a tick step.
 * A growing run then moves the axis once every half step instead of on every redraw — each move re-renders
 * recharts' axis, grid and markers, the one part of a redraw that is not a transition.
 */
export function xScale(lo: number, hi: number, width: number, labelPx: (tick: number) => number, integer: boolean): NiceScale {
  if (!(hi > lo)) return { domain: [lo, lo + 1], ticks: [lo] };
  const ticks = fittedTicks(lo, hi, width, labelPx, integer);
  if (ticks.length < 2) return { domain: [lo, hi], ticks };
  const step = ticks[1] - ticks[0];
  const end = +(Math.ceil((2 * hi) / step - 1e-9) * (step / 2)).toPrecision(12);
  const next = +(ticks[ticks.length - 1] + step).toPrecision(12);
  return { domain: [lo, end], ticks: next <= end ? [...ticks, next] : ticks };
}
