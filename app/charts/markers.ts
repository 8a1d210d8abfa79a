/**
 * The loss charts' event markers (classroom): the recorded events (pauses, resumes, live changes) plus
 * the derived start of the lr decay, placed on the charts' x axis (iterations or epochs) and kept to its range.
 */
import { useMemo } from 'react';
import { DEFAULT_CONFIG } from '../../src/config';
import { decayStartIter, type ChartEvent, type ChartEventKind } from '../store/chartEvents';
import { useStudio, useStudioShallow } from '../store/react';
import { sameList, useStable } from './useStable';

export const MARKER_STYLE: Record<ChartEventKind, { color: string; dash?: string }> = {
  pause: { color: '#4b5563', dash: '3 3' },
  resume: { color: '#4b5563', dash: '3 3' },
  live: { color: '#14171c' },
  decay: { color: '#b45309', dash: '6 3' },
};

/**
 * `row`: which line of labels (0 at the top) this marker's label sits on; null draws the line without a label.
 * `right`: the marker is in the right half of the chart (its label goes on its left, where there is room).
 */
export type Marker = ChartEvent & { x: number; row: number | null; right: boolean };

const LABEL_ROWS = 3;

/**
 * Puts each named marker's label on the first row where it keeps `minGap` (in x units) from the previous label on
 * that row, so markers close together stack their labels instead of writing over each other. Pauses and resumes
 * (glyphs along the bottom) stay on row 0.
 */
export function assignRows<T extends ChartEvent & { x: number }>(markers: readonly T[], minGap: number): (T & { row: number | null })[] {
  const last: number[] = [];
  return [...markers]
    .sort((a, b) => a.x - b.x)
    .map((m) => {
      if (m.kind === 'pause' || m.kind === 'resume') return { ...m, row: 0 };
      let row: number | null = null;
      for (let r = 0; r < LABEL_ROWS && row === null; r++) if (last[r] === undefined || m.x - last[r] >= minGap) row = r;
      if (row !== null) last[row] = m.x;
      return { ...m, row };
    });
}

/**
 * A marker's label: live changes and the decay by name along the top; pauses and resumes as a glyph along the
 * bottom, so nearby markers do not write over each other. Labels sit on the side of the line with more room.
 */
export function markerLabel(m: Marker, large: boolean) {
  if (m.row === null) return undefined;
  const glyph = m.kind === 'pause' ? '❚❚' : m.kind === 'resume' ? '▶' : null;
  const side = m.right ? 'Right' : 'Left';
  const fontSize = large ? 17 : 13;
  return {
    value: glyph ?? m.label,
    dy: glyph ? 0 : m.row * (fontSize + 3),
    position: `${glyph ? 'insideBottom' : 'insideTop'}${side}` as 'insideTopLeft',
    fill: MARKER_STYLE[m.kind].color,
    fontSize,
    fontWeight: 600,
    // a white halo keeps the label readable over the curves
    stroke: '#ffffff',
    strokeWidth: 4,
    paintOrder: 'stroke',
  };
}

const sameMarker = (a: Marker, b: Marker) => a.iter === b.iter && a.kind === b.kind && a.label === b.label && a.x === b.x && a.row === b.row && a.right === b.right;

/**
 * The markers between x = lo and x = hi, in the chart's x unit. The same array while what they draw is unchanged
 * (the range grows with every redraw; the markers rarely move).
 */
export function useChartMarkers(lo: number, hi: number): Marker[] {
  const list = useStudio((s) => s.chartEvents.list);
  const applied = useStudio((s) => s.chartEvents.applied);
  const { itersPerEpoch, xAxis, epochCount } = useStudioShallow((s) => ({
    itersPerEpoch: s.run.status.itersPerEpoch,
    xAxis: s.settings.chart.xAxis,
    epochCount: s.settings.overrides.epochCount ?? DEFAULT_CONFIG.epochCount,
  }));
  const markers = useMemo(() => {
    const all: ChartEvent[] = [...list];
    const decay = applied ? decayStartIter({ ...applied, epochCount }, itersPerEpoch) : null;
    if (decay !== null) all.push({ iter: decay, kind: 'decay', label: 'lr decay starts' });
    const ipe = Math.max(1, itersPerEpoch);
    const inRange = all.map((e) => ({ ...e, x: xAxis === 'epochs' ? epochCount - 1 + e.iter / ipe : e.iter })).filter((m) => m.x >= lo && m.x <= hi);
    const rowed = assignRows(inRange, (hi - lo) * 0.3); // a label is about a third of a chart wide
    return rowed.map((m) => ({ ...m, right: m.x > (lo + hi) / 2 }));
  }, [list, applied, itersPerEpoch, xAxis, epochCount, lo, hi]);
  return useStable(markers, (a, b) => sameList(a, b, sameMarker));
}
