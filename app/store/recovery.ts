/**
 * Recovery, as the page shows it: what went wrong during training, in plain words, and the buttons to get back.
 *
 * - A divergence (NaN/Inf) is handled by the engine (paused, rolled back): here the charts are cut back to the
 *   good iteration and the notice says what happened and what to try (one click: halve the lr and resume).
 * - A fatal fault (GPU device lost, out of memory, the worker crashed or stopped answering) needs a fresh worker:
 *   the supervisor (src/worker/supervisor.ts) sets one up as the lost one was, restores and resumes the run; this
 *   slice cuts the charts back to where the run was restored and says what happened. Out of memory offers a smaller
 *   preset (one click: the largest that fits by the estimate, app/store/memory.ts), since the same settings would
 *   run out again.
 */
import type { StateCreator } from 'zustand/vanilla';
import { PRESETS, type PresetName } from '../../src/config';
import type { BackendInfo, BackendName, FatalFault, Rollback } from '../../src/protocol/messages';
import { largestPresetThatFits } from '../../src/train/memoryFit';
import type { SetUpFailure } from '../../src/worker/journal';
import { supervisorOf } from '../../src/worker/supervisor';
import { BACKEND_LABEL, BACKEND_NAME } from '../constants';
import { resolveConfig } from './config';
import { limitsOf } from './memory';
import type { Studio, StudioDeps } from './types';

export type RecoveryKind = 'diverged' | FatalFault['kind'];

export interface RecoveryNotice {
  id: number;
  kind: RecoveryKind;
  /** One line a class can read from the back of the room. */
  title: string;
  /** What happened, what the studio did, what to try. */
  message: string;
  phase: 'restarting' | 'done' | 'failed';
  /** After out of memory: the next smaller preset, offered as one click (null when none is smaller). */
  smallerPreset: PresetName | null;
}

export interface RecoverySlice {
  recovery: {
    notice: RecoveryNotice | null;
    /** The backend a restart moved to (wasm after a GPU loss); null: the setting's. */
    backend: 'wasm' | null;
    /** The backend whose device was lost when the run moved (what the backend badge names); null: no move. */
    movedFrom: BackendName | null;
  };
  onRollback: (r: Rollback) => void;
  onFault: (f: FatalFault) => Promise<void>;
  dismissRecovery: () => void;
  halveLrAndResume: () => Promise<void>;
  useSmallerPreset: () => Promise<void>;
}

const PRESET_ORDER: PresetName[] = ['classroom', 'standard', 'paper'];
const smallerThan = (p: PresetName): PresetName | null => PRESET_ORDER[PRESET_ORDER.indexOf(p) - 1] ?? null;

const TITLE: Record<FatalFault['kind'], string> = {
  deviceLost: 'The GPU stopped working (device lost)',
  oom: 'Out of memory',
  crash: 'The training worker crashed',
  hang: 'The training worker stopped answering',
};

const failedStep = (f: SetUpFailure): string =>
  f.step === 'backend' ? `the ${BACKEND_LABEL[f.backend] ?? f.backend} backend did not start` : f.step === 'images' ? f.why : 'it refused the settings';

export const createRecoverySlice =
  (deps: StudioDeps): StateCreator<Studio, [], [], RecoverySlice> =>
  (set, get) => {
    let nextId = 1;
    const patch = (p: Partial<Studio['recovery']>) => set((s) => ({ recovery: { ...s.recovery, ...p } }));
    const notify = (n: Omit<RecoveryNotice, 'id'>) => patch({ notice: { id: nextId++, ...n } });
    const truncate = (iter: number) => {
      const b = get().lossBuffer;
      b.truncate(iter);
      deps.scheduleFrame(() => set({ losses: { version: b.version, count: b.length } }));
    };

    const restart = async (f: FatalFault): Promise<void> => {
      const title = TITLE[f.kind];
      const { settings } = get();
      const supervisor = supervisorOf(deps.engine());
      if (!supervisor) {
        notify({ kind: f.kind, title, phase: 'failed', smallerPreset: null, message: `${f.message} The engine cannot be restarted here: reload the page.` });
        return;
      }
      notify({ kind: f.kind, title, phase: 'restarting', smallerPreset: null, message: `${f.message} Restarting the training worker…` });
      const o = await supervisor.restart(f);
      patch({ backend: supervisor.backend, movedFrom: supervisor.movedFrom }); // what the backend badge says
      if (!o.ok) {
        if (o.failed.step === 'backend') set((s) => ({ run: { ...s.run, engine: 'failed' } }));
        return notify({ kind: f.kind, title, phase: 'failed', smallerPreset: null, message: `${f.message} The worker was restarted, but ${failedStep(o.failed)}. Reload the page to start over.` });
      }
      set((s) => ({ run: { ...s.run, engine: 'ready', backend: o.backend } }));
      // the charts: cut back to the restored iteration (a save brought its own history), or cleared when nothing was kept
      if (o.at === null) {
        get().clearLosses();
        get().clearVisuals();
      } else if (!o.save) truncate(o.at);
      if (o.save) get().adoptCheckpoint(o.save);
      if (o.status) get().applyEvent({ type: 'status', status: o.status });
      for (const r of o.refused) get().pushError(r.context, r.error);

      const backend = supervisor.backend ?? settings.backend;
      const on = `${BACKEND_LABEL[get().run.backend?.name ?? backend] ?? backend}${o.gpuDied ? ' — the GPU is what failed, so training moved off it (slower, but it works)' : ''}`;
      const where = o.at !== null
        ? o.resumed ? `training resumed from iteration ${o.at}, ${o.from}` : `the run is paused at iteration ${o.at}, ${o.from}`
        : o.resumed ? 'training started again from iteration 0 (the lost worker\'s progress could not be kept)'
          : f.kind === 'oom' && !f.lastGood ? 'nothing had been trained yet, so there was nothing to keep' : 'press Train to start again (the lost worker\'s progress could not be kept)';
      // out of memory: the largest preset that fits by the estimate (and needs less than what ran out)
      const config = resolveConfig(settings.preset, settings.overrides, settings.sampleEvery).config!;
      const smaller = f.kind === 'oom' ? largestPresetThatFits(config, limitsOf(get().run.backend, backend)) : o.again ? smallerThan(settings.preset) : null;
      const advice = f.kind === 'oom'
        ? (smaller ? ' The same settings would run out of memory again: use a smaller preset, or lower the crop size or ngf.' : ' The same settings would run out of memory again: lower the crop size, ngf or the number of blocks.')
        : o.again ? ' It failed again right after a restart, so training was not resumed automatically: try a smaller preset, or reload the page.' : '';
      notify({
        kind: f.kind,
        title: `${title} — restarted${o.resumed ? ', training resumed' : ''}`,
        phase: 'done',
        smallerPreset: smaller,
        message: `${f.message} The studio restarted the training worker on ${on}, loaded the images again, and ${where}.${advice}`,
      });
    };

    return {
      recovery: { notice: null, backend: null, movedFrom: null },
      onRollback: (r) => {
        truncate(r.iter);
        notify({
          kind: 'diverged', phase: 'done', smallerPreset: null, message: r.message,
          title: `Training diverged at iteration ${r.divergedAt} — paused, rolled back to iteration ${r.iter}`,
        });
      },
      onFault: async (f) => {
        if (get().recovery.notice?.phase === 'restarting') return; // the restart in progress deals with it
        await restart(f);
      },
      dismissRecovery: () => patch({ notice: null }),
      halveLrAndResume: async () => {
        const { preset, overrides, sampleEvery } = get().settings;
        const lr = resolveConfig(preset, overrides, sampleEvery).config?.lr;
        if (lr === undefined) return;
        get().setOverride('lr', lr / 2);
        await get().sendLive();
        patch({ notice: null });
        await get().resume();
      },
      useSmallerPreset: async () => {
        const smaller = get().recovery.notice?.smallerPreset ?? smallerThan(get().settings.preset);
        if (!smaller) return;
        await get().stop();
        get().switchPreset(smaller); // the preset's sizes, not the ones that did not fit
        patch({ notice: null });
        await get().train();
      },
    };
  };

export const presetLabel = (p: PresetName) => PRESETS[p].label;

/**
 * Why the studio runs on the backend it runs on, for the backend badge. After a lost GPU the restarted worker was
 * asked for wasm, so its own reason reads "as requested": the badge must say instead that the studio moved it.
 */
export function backendReason(info: BackendInfo, recovery: Pick<RecoverySlice['recovery'], 'backend' | 'movedFrom'>): string {
  if (!recovery.movedFrom || recovery.backend !== info.name) return info.reason;
  return `${BACKEND_NAME[info.name]} — moved here after the ${BACKEND_NAME[recovery.movedFrom]} device was lost (reload the page to try the GPU again).`;
}
