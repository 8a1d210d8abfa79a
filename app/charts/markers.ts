/**
 * The loss charts' event markers (classroom, issue 6): the recorded events (pauses, resumes, live changes) plus
 * the derived start of the lr decay, placed on the charts' x axis (iterations or epochs) and kept to its range.
 */
import { useMemo } from 'react';
import { DEFAULT_CONFIG } from '../../src/config';
import { decayStartIter, type ChartEvent, type ChartEventKind } from '../store/chartEvents';
import { useStudio, useStudioShallow } from '../store/react';

export const MARKER_STYLE: Record<ChartEventKind, { color: string; dash?: string }> = {
  pause: { color: '#4b5563', dash: '3 3' },
  resume: { color: '#4b5563', dash: '3 3' },
  live: { color: '#14171c' },
  decay: { color: '#b45309', dash: '6 3' },
};

export type Marker = ChartEvent & { x: number };

/**
 * A marker's label: live changes and the decay by name along the top; pauses and resumes as a glyph along the
 * bottom, so nearby markers do not write over each other. Labels sit on the side of the line with more room.
 */
export function markerLabel(m: Marker, rightHalf: boolean, large: boolean) {
  const glyph = m.kind === 'pause' ? '❚❚' : m.kind === 'resume' ? '▶' : null;
  const side = rightHalf ? 'Right' : 'Left';
  return {
    value: glyph ?? m.label,
    position: `${glyph ? 'insideBottom' : 'insideTop'}${side}` as 'insideTopLeft',
    fill: MARKER_STYLE[m.kind].color,
    fontSize: large ? 17 : 13,
    fontWeight: 600,
  };
}

/** The markers between x = lo and x = hi, in the chart's x unit. */
export function useChartMarkers(lo: number, hi: number): Marker[] {
  const list = useStudio((s) => s.chartEvents.list);
  const applied = useStudio((s) => s.chartEvents.applied);
  const { itersPerEpoch, xAxis, epochCount } = useStudioShallow((s) => ({
    itersPerEpoch: s.run.status.itersPerEpoch,
    xAxis: s.settings.chart.xAxis,
    epochCount: s.settings.overrides.epochCount ?? DEFAULT_CONFIG.epochCount,
  }));
  return useMemo(() => {
    const all: ChartEvent[] = [...list];
    const decay = applied ? decayStartIter({ ...applied, epochCount }, itersPerEpoch) : null;
    if (decay !== null) all.push({ iter: decay, kind: 'decay', label: 'lr decay starts' });
    const ipe = Math.max(1, itersPerEpoch);
    return all
      .map((e) => ({ ...e, x: xAxis === 'epochs' ? epochCount - 1 + e.iter / ipe : e.iter }))
      .filter((m) => m.x >= lo && m.x <= hi);
  }, [list, applied, itersPerEpoch, xAxis, epochCount, lo, hi]);
}
