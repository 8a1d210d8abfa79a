/** The studio store's shape: one zustand store built from slices, actions beside their state. */
import type { CycleGANConfig, PresetName } from '../../src/config';
import type {
  BackendChoice,
  BackendInfo,
  DemoName,
  Domain,
  DomainSummary,
  EngineEvent,
  Picture,
  RequestKind,
  RunStatus,
  EngineApi,
} from '../../src/protocol/messages';
import type { ChartId, ControlId, VisualName } from '../constants';
import type { XAxisMode } from '../charts/rows';
import type { ClassroomSlice } from './classroom';
import type { ExportSlice } from './export';
import type { OfficialSlice } from './official';
import type { CheckpointsSlice } from './checkpoints';
import type { RecoverySlice } from './recovery';
import type { LossBuffer } from './lossBuffer';
import type { TranslateSlice } from './translate';

/** What the store needs from the outside world (injected, so Node tests can pass doubles). */
export interface StudioDeps {
  /** The engine; null until created (or when creating it failed). */
  engine: () => EngineApi | null;
  /** Runs `cb` before the next paint (requestAnimationFrame in the page; synchronous in tests). */
  scheduleFrame: (cb: () => void) => void;
}

// ── domains ──────────────────────────────────────────────────────────────────────────────────────
export interface DomainState {
  summary: DomainSummary | null;
  progress: { done: number; total: number } | null;
  loading: boolean;
}
export interface DomainsSlice {
  domains: Record<Domain, DomainState>;
  loadFiles: (domain: Domain, files: File[], source: string) => Promise<void>;
  loadDemo: (demo: DemoName) => Promise<boolean>;
  clearDomain: (domain: Domain) => Promise<void>;
}

// ── run ──────────────────────────────────────────────────────────────────────────────────────────
export type EngineState = 'starting' | 'ready' | 'failed';
export interface RunSlice {
  run: {
    engine: EngineState;
    backend: BackendInfo | null;
    status: RunStatus;
    /** Requests in flight, by kind (buttons disable themselves while theirs is pending). */
    pending: Partial<Record<RequestKind, number>>;
  };
  init: (backend: BackendChoice) => Promise<void>;
  train: () => Promise<void>;
  pause: () => Promise<void>;
  resume: () => Promise<void>;
  togglePause: () => Promise<void>;
  step: () => Promise<void>;
  stop: () => Promise<void>;
  /** Sends the knobs the engine takes mid-run (lr, λs, sampleEvery). */
  sendLive: () => Promise<void>;
}

// ── settings ─────────────────────────────────────────────────────────────────────────────────────
export interface ChartOptions {
  smoothing: number; // EMA weight, 0 … 0.99
  logScale: boolean;
  xAxis: XAxisMode;
}
export interface SettingsSlice {
  settings: {
    preset: PresetName;
    /** The user's values on top of the preset; a key absent means "the preset's / reference's value". */
    overrides: Partial<CycleGANConfig>;
    sampleEvery: number;
    backend: BackendChoice;
    /** WebAssembly's threads; null = as many as the machine has. Changing it reloads the page, as the backend does. */
    threads: number | null;
    chart: ChartOptions;
    /** Classroom mode: large-type presenter view, hidden controls, the demo a link loads. */
    presenter: boolean;
    hidden: ControlId[];
    /** The demo picker's choice. */
    demo: DemoName;
    /** What the link does on open: load `demo`, then start training (once the engine is ready). */
    launch: { demo: boolean; autostart: boolean };
  };
  setPreset: (p: PresetName) => void;
  /** The preset with its own sizes: size overrides (a loaded checkpoint's) are dropped, the other knobs stay. */
  switchPreset: (p: PresetName) => void;
  setOverride: <K extends keyof CycleGANConfig>(key: K, value: CycleGANConfig[K] | undefined) => void;
  resetOverrides: () => void;
  setSampleEvery: (n: number) => void;
  setBackendChoice: (b: BackendChoice) => void;
  setThreads: (n: number | null) => void;
  setChart: (patch: Partial<ChartOptions>) => void;
  setPresenter: (on: boolean) => void;
  setHidden: (id: ControlId, hidden: boolean) => void;
  setDemo: (demo: DemoName) => void;
  setLaunch: (patch: Partial<SettingsSlice['settings']['launch']>) => void;
}

// ── losses ───────────────────────────────────────────────────────────────────────────────────────
export interface LossesSlice {
  /** The full history; a stable object mutated in place, never part of React state. */
  lossBuffer: LossBuffer;
  /** What React sees: bumped at most once per animation frame. */
  losses: { version: number; count: number };
  /** Appends and schedules one version bump for the next frame. */
  appendLosses: (points: Parameters<LossBuffer['append']>[0]) => void;
  clearLosses: () => void;
}

// ── visuals ──────────────────────────────────────────────────────────────────────────────────────
export interface VisualsSlice {
  visuals: Partial<Record<VisualName, { picture: Picture; iter: number }>>;
  setVisuals: (iter: number, images: Partial<Record<VisualName, Picture>>) => void;
  clearVisuals: () => void;
}

// ── errors ───────────────────────────────────────────────────────────────────────────────────────
export interface StudioError {
  id: number;
  /** What the studio was doing, e.g. "Could not start training". */
  context: string;
  name: string;
  message: string;
  /** How many times this same error arrived (repeats are counted, not stacked). */
  count: number;
}
export interface ErrorsSlice {
  errors: StudioError[];
  pushError: (context: string, error: unknown) => void;
  dismissError: (id: number) => void;
}

// ── engine events ────────────────────────────────────────────────────────────────────────────────
export interface EventsSlice {
  /** The reducer for everything the engine sends out of band. */
  applyEvent: (e: EngineEvent) => void;
}

// ── classroom: slices in their own files ──
import type { ChartEventsSlice } from './chartEvents';
import type { ExplainSlice } from './explain';
import type { TimelineSlice } from './timeline';

export type Studio = DomainsSlice & RunSlice & SettingsSlice & LossesSlice & VisualsSlice & ErrorsSlice & EventsSlice & ExportSlice
  & TranslateSlice & CheckpointsSlice & OfficialSlice // ── models ──
  & RecoverySlice // ── faults ──
  & TimelineSlice & ChartEventsSlice & ExplainSlice & ClassroomSlice; // ── classroom ──

export type { ChartId, ControlId };
