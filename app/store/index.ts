/** createStudioStore: one vanilla zustand store from slices; works without React (bridge, tests). */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createChartEventsSlice } from './chartEvents';
import { createCheckpointsSlice } from './checkpoints';
import { createClassroomSlice } from './classroom';
import { createDomainsSlice } from './domains';
import { createErrorsSlice } from './errors';
import { createEventsSlice } from './events';
import { createExplainSlice } from './explain';
import { createExportSlice } from './export';
import { createLossesSlice } from './losses';
import { createOfficialSlice } from './official';
import { createRecoverySlice } from './recovery';
import { createRunSlice } from './run';
import { createSettingsSlice } from './settings';
import { createTimelineSlice } from './timeline';
import { createTranslateSlice } from './translate';
import type { Studio, StudioDeps } from './types';
import type { UrlState } from './url';
import { createVisualsSlice } from './visuals';

export type StudioStore = StoreApi<Studio>;

export function createStudioStore(deps: StudioDeps, initial: Partial<UrlState> = {}): StudioStore {
  return createStore<Studio>()((...a) => ({
    ...createDomainsSlice(deps)(...a),
    ...createRunSlice(deps)(...a),
    ...createSettingsSlice(initial)(...a),
    ...createLossesSlice(deps)(...a),
    ...createVisualsSlice(...a),
    ...createErrorsSlice(...a),
    ...createEventsSlice(...a),
    // ── models ──
    ...createExportSlice(deps)(...a),
    ...createTranslateSlice(deps)(...a),
    ...createCheckpointsSlice(deps)(...a),
    ...createOfficialSlice(deps)(...a),
    // ── faults ──
    ...createRecoverySlice(deps)(...a),
    // ── classroom ──
    ...createTimelineSlice(...a),
    ...createChartEventsSlice(...a),
    ...createExplainSlice(...a),
    ...createClassroomSlice(deps)(...a),
  }));
}

export type * from './types';
