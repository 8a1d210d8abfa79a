/**
 * The classroom slice: Step G / Step D / Step both and what each changed, the slow-motion record and its
 * player, the discriminators' latest view. Everything here is plain data from the engine (no tensors).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { IterationProgress, StagedIteration, StepPart, StepReport, Verdicts } from '../../src/protocol/messages';
import { makeCallEngine } from './call';
import type { LiveValues } from './chartEvents';
import { LIVE_FIELDS, resolveConfig } from './config';
import type { Studio, StudioDeps } from './types';

/** Seconds per stage at 1× (a teacher's talking pace); the slider scales it. */
export const STAGE_SECONDS = 2.5;
export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;

export interface ClassroomSlice {
  classroom: {
    /** An iteration Step G / Step D began and has not finished (its halves so far). */
    progress: IterationProgress | null;
    /** The last step's report; `seq` changes on every step so its highlight replays. */
    lastStep: (StepReport & { seq: number }) | null;
    /** The slow-motion record and where the player is in it. */
    staged: StagedIteration | null;
    stage: number;
    playing: boolean;
    speed: number; // × STAGE_SECONDS⁻¹
    /** The discriminators' latest PatchGAN maps, with the images they judged. */
    verdicts: Verdicts | null;
  };
  stepPart: (part: StepPart) => Promise<void>;
  slowMotion: () => Promise<void>;
  setSlowStage: (i: number) => void;
  setSlowPlaying: (on: boolean) => void;
  setSlowSpeed: (x: number) => void;
  closeSlowMotion: () => void;
  setVerdicts: (v: Verdicts) => void;
  /** The run was reset (stop, new data, new configuration): nothing here belongs to the new one. */
  resetClassroom: () => void;
}

const EMPTY: ClassroomSlice['classroom'] = { progress: null, lastStep: null, staged: null, stage: 0, playing: false, speed: 1, verdicts: null };

export const createClassroomSlice =
  (deps: StudioDeps): StateCreator<Studio, [], [], ClassroomSlice> =>
  (set, get, api) => {
    const call = makeCallEngine(api, deps);
    const patch = (p: Partial<ClassroomSlice['classroom']>) => set((s) => ({ classroom: { ...s.classroom, ...p } }));

    /** A fresh run takes the current settings first, as Step does (run.ts). */
    const configureIfFresh = async (): Promise<boolean> => {
      const { run, settings } = get();
      if (run.status.state === 'paused') return true;
      const { config, error } = resolveConfig(settings.preset, settings.overrides, settings.sampleEvery);
      if (!config) {
        get().pushError('Cannot train with these settings', { name: 'ConfigError', message: error?.message ?? 'invalid configuration' });
        return false;
      }
      const r = await call({ kind: 'configure', config, sampleEvery: settings.sampleEvery }, 'The engine rejected the configuration');
      if (r.ok) {
        get().applyEvent({ type: 'status', status: r.value });
        // the baseline later live changes are drawn against, as Train sets it (run.ts)
        get().noteLive(Object.fromEntries(LIVE_FIELDS.map((k) => [k, config[k]])) as LiveValues, r.value.iter);
      }
      return r.ok;
    };

    return {
      classroom: EMPTY,

      stepPart: async (part) => {
        if (!(await configureIfFresh())) return;
        const label = part === 'both' ? 'Step both' : `Step ${part}`;
        const r = await call({ kind: 'stepPart', part }, `Could not run ${label}`);
        if (!r.ok) return;
        get().applyEvent({ type: 'status', status: r.value.status });
        patch({ progress: r.value.progress, lastStep: { ...r.value, seq: (get().classroom.lastStep?.seq ?? 0) + 1 } });
      },

      slowMotion: async () => {
        if (!(await configureIfFresh())) return;
        const r = await call({ kind: 'slowMotion' }, 'Could not run the slow-motion iteration');
        if (r.ok) patch({ staged: r.value, stage: 0, playing: true, progress: null });
      },

      setSlowStage: (i) => {
        const n = get().classroom.staged?.stages.length ?? 0;
        patch({ stage: Math.max(0, Math.min(n - 1, i)) });
      },
      setSlowPlaying: (on) => patch({ playing: on }),
      setSlowSpeed: (x) => patch({ speed: x }),
      closeSlowMotion: () => patch({ staged: null, stage: 0, playing: false }),
      setVerdicts: (v) => patch({ verdicts: v }),
      resetClassroom: () => patch({ progress: null, lastStep: null, staged: null, stage: 0, playing: false, verdicts: null }),
    };
  };
