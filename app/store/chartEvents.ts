/**
 * Events drawn on the loss charts as labelled vertical lines (classroom): pauses and resumes, live
 * changes of the learning rate and the λs, and the start of the learning-rate decay. The first two are recorded
 * as they happen; the decay's start is derived from the schedule, so it moves if the epochs are changed live.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { CycleGANConfig } from '../../src/config';
import type { RunStatus } from '../../src/protocol/messages';
import { formatLr } from '../components/format';
import { LIVE_FIELDS, type LiveField } from './config';
import type { Studio } from './types';

export type ChartEventKind = 'pause' | 'resume' | 'live' | 'decay';
export interface ChartEvent {
  iter: number;
  kind: ChartEventKind;
  label: string;
}
export type LiveValues = Pick<CycleGANConfig, LiveField>;

/** Kept for the charts; a long run with many pauses still draws quickly. */
export const MAX_CHART_EVENTS = 200;

export interface ChartEventsSlice {
  chartEvents: {
    list: ChartEvent[];
    /** The live values the engine is running with (null before a run is configured). */
    applied: LiveValues | null;
  };
  /** A status change: records a pause or a resume. */
  noteStatus: (prev: RunStatus, next: RunStatus) => void;
  /** The engine accepted these live values at iteration `iter`: records what changed. */
  noteLive: (values: LiveValues, iter: number) => void;
  clearChartEvents: () => void;
}

/** A pause or a resume, or null for any other change of state. */
export function statusEvent(prev: RunStatus, next: RunStatus): ChartEvent | null {
  if (prev.state === 'training' && next.state === 'paused') return { iter: next.iter, kind: 'pause', label: 'paused' };
  if (prev.state === 'paused' && next.state === 'training') return { iter: next.iter, kind: 'resume', label: 'resumed' };
  return null;
}

const LIVE_LABEL: Record<LiveField, string> = { lr: 'lr', lambdaA: 'λ_A', lambdaB: 'λ_B', lambdaIdentity: 'λ_id', nEpochs: 'epochs', nEpochsDecay: 'decay epochs' };
const show = (k: LiveField, v: number) => (k === 'lr' ? formatLr(v).replace(/\s/g, '') : String(+v.toPrecision(4)));

/** One event naming every live value that changed and its new value (e.g. "lr→5.00e−4, λ_A→5"), or null. */
export function liveEvent(prev: LiveValues | null, next: LiveValues, iter: number): ChartEvent | null {
  if (!prev) return null;
  const changes = LIVE_FIELDS.filter((k) => prev[k] !== next[k]).map((k) => `${LIVE_LABEL[k]}→${show(k, next[k])}`);
  return changes.length > 0 ? { iter, kind: 'live', label: changes.join(', ') } : null;
}

/**
 * The first iteration trained at a decayed learning rate: the first of epoch n_epochs + 1 (schedule.ts: epoch
 * n_epochs still trains at full lr). Epoch e of a run that began at epoch_count starts at iteration
 * (e − epoch_count)·itersPerEpoch + 1. Null when there is no decay or no run.
 */
export function decayStartIter(cfg: Pick<CycleGANConfig, 'nEpochs' | 'nEpochsDecay' | 'epochCount'>, itersPerEpoch: number): number | null {
  if (cfg.nEpochsDecay <= 0 || itersPerEpoch <= 0) return null;
  return Math.max(0, cfg.nEpochs + 1 - cfg.epochCount) * itersPerEpoch + 1;
}

const push = (list: ChartEvent[], e: ChartEvent | null) => (e ? [...list, e].slice(-MAX_CHART_EVENTS) : list);

export const createChartEventsSlice: StateCreator<Studio, [], [], ChartEventsSlice> = (set) => ({
  chartEvents: { list: [], applied: null },
  noteStatus: (prev, next) =>
    set((s) => {
      const list = push(s.chartEvents.list, statusEvent(prev, next));
      return list === s.chartEvents.list ? {} : { chartEvents: { ...s.chartEvents, list } };
    }),
  noteLive: (values, iter) =>
    set((s) => ({ chartEvents: { list: push(s.chartEvents.list, liveEvent(s.chartEvents.applied, values, iter)), applied: values } })),
  clearChartEvents: () => set({ chartEvents: { list: [], applied: null } }),
});
