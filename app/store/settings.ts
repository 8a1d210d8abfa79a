import type { StateCreator } from 'zustand/vanilla';
import { DEMOS } from '../constants';
import { SAMPLE_EVERY } from './config';
import type { SettingsSlice, Studio } from './types';
import { URL_DEFAULTS, type UrlState } from './url';

/** The knobs a preset sets: what decides the memory a run needs. */
const SIZE_KEYS = ['loadSize', 'cropSize', 'ngf', 'ndf', 'nBlocks'] as const;

export const createSettingsSlice =
  (initial: Partial<UrlState>): StateCreator<Studio, [], [], SettingsSlice> =>
  (set) => ({
    settings: {
      preset: initial.preset ?? URL_DEFAULTS.preset,
      overrides: initial.seed != null ? { seed: initial.seed } : {},
      sampleEvery: SAMPLE_EVERY.default,
      backend: initial.backend ?? URL_DEFAULTS.backend,
      threads: initial.threads ?? URL_DEFAULTS.threads,
      chart: { smoothing: 0.6, logScale: false, xAxis: 'iterations' },
      presenter: initial.presenter ?? false,
      hidden: initial.hide ?? [],
      demo: initial.demo ?? DEMOS[0].name,
      launch: { demo: initial.demo != null, autostart: initial.demo != null && (initial.autostart ?? false) },
    },
    setPreset: (preset) => set((s) => ({ settings: { ...s.settings, preset } })),
    switchPreset: (preset) =>
      set((s) => {
        const overrides = { ...s.settings.overrides };
        for (const k of SIZE_KEYS) delete overrides[k];
        return { settings: { ...s.settings, preset, overrides } };
      }),
    setOverride: (key, value) =>
      set((s) => {
        const overrides = { ...s.settings.overrides };
        if (value === undefined) delete overrides[key];
        else overrides[key] = value;
        return { settings: { ...s.settings, overrides } };
      }),
    resetOverrides: () => set((s) => ({ settings: { ...s.settings, overrides: {}, sampleEvery: SAMPLE_EVERY.default } })),
    setSampleEvery: (sampleEvery) => set((s) => ({ settings: { ...s.settings, sampleEvery } })),
    setBackendChoice: (backend) => set((s) => ({ settings: { ...s.settings, backend } })),
    setThreads: (threads) => set((s) => ({ settings: { ...s.settings, threads } })),
    setChart: (patch) => set((s) => ({ settings: { ...s.settings, chart: { ...s.settings.chart, ...patch } } })),
    setPresenter: (presenter) => set((s) => ({ settings: { ...s.settings, presenter } })),
    setHidden: (id, hide) =>
      set((s) => {
        const hidden = s.settings.hidden.filter((h) => h !== id);
        return { settings: { ...s.settings, hidden: hide ? [...hidden, id] : hidden } };
      }),
    setDemo: (demo) => set((s) => ({ settings: { ...s.settings, demo } })),
    setLaunch: (patch) => set((s) => ({ settings: { ...s.settings, launch: { ...s.settings.launch, ...patch } } })),
  });
