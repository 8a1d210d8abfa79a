import type { StateCreator } from 'zustand/vanilla';
import type { CycleGANConfig } from '../../src/config';
import type { RunStatus } from '../../src/protocol/messages';
import type { LiveValues } from './chartEvents';
import { makeCallEngine } from './call';
import { LIVE_FIELDS, resolveConfig } from './config';
import type { RunSlice, Studio, StudioDeps } from './types';

const liveOf = (config: CycleGANConfig): LiveValues => Object.fromEntries(LIVE_FIELDS.map((k) => [k, config[k]])) as LiveValues;

export const IDLE_STATUS: RunStatus = { state: 'empty', iter: 0, epoch: 0, lr: 0, totalIters: 0, itersPerEpoch: 0, itsPerSec: 0, sampleEvery: 0, expectedIterMs: 0 };

export const createRunSlice =
  (deps: StudioDeps): StateCreator<Studio, [], [], RunSlice> =>
  (set, get, api) => {
    const call = makeCallEngine(api, deps);
    const setStatus = (status: RunStatus) => get().applyEvent({ type: 'status', status });

    /** Sends the whole validated configuration; false (and a banner) when it does not validate. */
    const configure = async (): Promise<boolean> => {
      const { preset, overrides, sampleEvery } = get().settings;
      const { config, error } = resolveConfig(preset, overrides, sampleEvery);
      if (!config) {
        get().pushError('Cannot train with these settings', { name: 'ConfigError', message: error?.message ?? 'invalid configuration' });
        return false;
      }
      const r = await call({ kind: 'configure', config, sampleEvery }, 'The engine rejected the configuration');
      if (r.ok) {
        setStatus(r.value);
        get().noteLive(liveOf(config), r.value.iter); // the baseline that later live changes are drawn against
      }
      return r.ok;
    };

    return {
      run: { engine: 'starting', backend: null, status: IDLE_STATUS, pending: {} },

      init: async (backend) => {
        set((s) => ({ run: { ...s.run, engine: 'starting' } }));
        const threads = get().settings.threads; // null: the worker uses every core
        const r = await call({ kind: 'init', backend, ...(threads !== null ? { threads } : {}) }, `Could not start the ${backend === 'auto' ? '' : backend + ' '}backend`);
        set((s) => ({ run: { ...s.run, engine: r.ok ? 'ready' : 'failed', backend: r.ok ? r.value : s.run.backend } }));
      },

      train: async () => {
        if (!(await configure())) return;
        const r = await call({ kind: 'start' }, 'Could not start training');
        if (r.ok) setStatus(r.value);
      },

      pause: async () => {
        const r = await call({ kind: 'pause' }, 'Could not pause');
        if (r.ok) setStatus(r.value);
      },

      resume: async () => {
        const r = await call({ kind: 'resume' }, 'Could not resume');
        if (r.ok) setStatus(r.value);
      },

      togglePause: async () => {
        const state = get().run.status.state;
        if (state === 'training') await get().pause();
        else if (state === 'paused') await get().resume();
      },

      step: async () => {
        const state = get().run.status.state;
        if (state !== 'paused' && !(await configure())) return; // a fresh run takes the current settings
        const r = await call({ kind: 'step' }, 'Could not run one iteration');
        if (r.ok) setStatus(r.value);
      },

      stop: async () => {
        const r = await call({ kind: 'stop' }, 'Could not stop the run');
        if (r.ok) setStatus(r.value);
      },

      sendLive: async () => {
        const { preset, overrides, sampleEvery } = get().settings;
        const { config } = resolveConfig(preset, overrides, sampleEvery);
        if (!config) return; // the field shows its own error; nothing valid to send
        const live = liveOf(config);
        const r = await call({ kind: 'configure', config: live, sampleEvery }, 'The engine rejected the live change');
        if (r.ok) {
          setStatus(r.value);
          get().noteLive(live, r.value.iter); // a marker on the loss charts
        }
      },
    };
  };
