/**
 * Checkpoints in the UI: the saved runs, the resume offer after a reload, the current run's last save (for
 * "Autosaved at iteration k · 12 s ago"), a failed save (storage full → offer the download), the autosave period.
 * The engine keeps the checkpoints (IndexedDB, in the worker); this slice only asks and listens.
 */
import type { StateCreator } from 'zustand/vanilla';
import { PRESETS, makeConfig, type CycleGANConfig } from '../../src/config';
import type { AutosaveEvery, CheckpointSummary, EngineEvent } from '../../src/protocol/messages';
import { makeCallEngine } from './call';
import type { Studio, StudioDeps } from './types';

export interface CheckpointsState {
  /** In this browser's storage, newest first. */
  saved: CheckpointSummary[];
  /** The run offered for resuming after a reload or crash; null once resumed, discarded or superseded. */
  offer: CheckpointSummary | null;
  /** The current run's latest save. */
  last: CheckpointSummary | null;
  /** The latest failed save (e.g. storage full); cleared by the next successful one or by dismissing it. */
  failure: { iter: number; name: string; message: string } | null;
  autosaveEvery: AutosaveEvery;
}

export interface CheckpointsSlice {
  checkpoints: CheckpointsState;
  refreshCheckpoints: () => Promise<void>;
  /** At start-up: offer the newest saved run. */
  offerResume: () => Promise<void>;
  resumeCheckpoint: (id: string) => Promise<boolean>;
  /** A run restored by other means (the supervisor resumed it from its last save after a worker restart). */
  adoptCheckpoint: (summary: CheckpointSummary) => void;
  discardCheckpoint: (id: string) => Promise<void>;
  saveCheckpoint: () => Promise<void>;
  /** The current run as one file (the component turns it into a download). */
  downloadCheckpoint: () => Promise<{ fileName: string; bytes: Uint8Array } | null>;
  loadCheckpointFile: (file: File) => Promise<boolean>;
  setAutosaveEvery: (v: AutosaveEvery) => Promise<void>;
  dismissCheckpointFailure: () => void;
  applyCheckpointEvent: (e: Extract<EngineEvent, { type: 'checkpoint' | 'checkpointError' }>) => void;
}

/** The settings that reproduce a run's configuration: keep the preset, override what differs from it. */
export function overridesFor(preset: keyof typeof PRESETS, config: CycleGANConfig): Partial<CycleGANConfig> {
  const base = makeConfig(PRESETS[preset].config);
  return Object.fromEntries((Object.keys(config) as (keyof CycleGANConfig)[]).filter((k) => config[k] !== base[k]).map((k) => [k, config[k]]));
}

export const createCheckpointsSlice =
  (deps: StudioDeps): StateCreator<Studio, [], [], CheckpointsSlice> =>
  (set, get, api) => {
    const call = makeCallEngine(api, deps);
    const patch = (p: Partial<CheckpointsState>) => set((s) => ({ checkpoints: { ...s.checkpoints, ...p } }));

    /** A restored run: the settings take its configuration, so Train continues it instead of starting over. */
    const adopt = (summary: CheckpointSummary | undefined) => {
      if (summary) set((s) => ({ settings: { ...s.settings, overrides: overridesFor(s.settings.preset, summary.config) } }));
      // saved between Step G and Step D: the classroom panel shows the half-done iteration again (it resumes as left)
      if (summary) set((s) => ({ classroom: { ...s.classroom, progress: summary.halfStep ?? null } }));
      patch({ offer: null, last: summary ?? null, failure: null });
    };

    return {
      checkpoints: { saved: [], offer: null, last: null, failure: null, autosaveEvery: 'auto' },

      refreshCheckpoints: async () => {
        const r = await call({ kind: 'listCheckpoints' }, 'Could not read the saved runs');
        if (r.ok) patch({ saved: r.value });
      },

      offerResume: async () => {
        await get().refreshCheckpoints();
        const { saved } = get().checkpoints;
        if (saved.length > 0 && get().run.status.iter === 0) patch({ offer: saved[0] });
      },

      resumeCheckpoint: async (id) => {
        const r = await call({ kind: 'resumeCheckpoint', id }, 'Could not resume the saved run');
        if (!r.ok) return false;
        adopt(get().checkpoints.saved.find((s) => s.id === id));
        get().applyEvent({ type: 'status', status: r.value });
        return true;
      },

      adoptCheckpoint: (summary) => adopt(summary),

      discardCheckpoint: async (id) => {
        const r = await call({ kind: 'deleteCheckpoint', id }, 'Could not delete the saved run');
        if (!r.ok) return;
        const c = get().checkpoints;
        patch({ offer: c.offer?.id === id ? null : c.offer, last: c.last?.id === id ? null : c.last });
        await get().refreshCheckpoints();
      },

      saveCheckpoint: async () => {
        await call({ kind: 'saveCheckpoint' }, 'Could not save a checkpoint'); // success arrives as a 'checkpoint' event
      },

      downloadCheckpoint: async () => {
        const r = await call({ kind: 'downloadCheckpoint' }, 'Could not prepare the checkpoint file');
        return r.ok ? r.value : null;
      },

      loadCheckpointFile: async (file) => {
        const r = await call({ kind: 'loadCheckpoint', file }, `Could not load ${file.name}`);
        if (!r.ok) return false;
        get().applyEvent({ type: 'status', status: r.value });
        return true;
      },

      setAutosaveEvery: async (v) => {
        if (v === get().checkpoints.autosaveEvery) return;
        patch({ autosaveEvery: v });
        // not counted as a pending request: it changes nothing the controls depend on, and a field's blur must not
        // disable the button the user is pressing
        const engine = deps.engine();
        await engine?.call({ kind: 'configure', config: {}, autosaveEvery: v }).catch((e) => get().pushError('The engine rejected the autosave period', e));
      },

      dismissCheckpointFailure: () => patch({ failure: null }),

      applyCheckpointEvent: (e) => {
        const c = get().checkpoints;
        if (e.type === 'checkpointError') {
          patch({ failure: { iter: e.iter, ...e.error } });
          return;
        }
        const s = e.summary;
        if (s.reason === 'loaded') adopt(s);
        const saved = [s, ...c.saved.filter((x) => x.id !== s.id)];
        // a save of another run than the one offered means the user moved on: the offer stays in the list only
        patch({ last: s, failure: null, saved, offer: c.offer && c.offer.id !== s.id ? null : c.offer });
      },
    };
  };
