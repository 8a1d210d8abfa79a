/**
 * The one protocol between the studio UI (main thread) and the training engine (Web Worker, or in-process
 * in Node tests). Requests carry an id and get exactly one `return` or `throw`; events travel out of band.
 * Everything here is structured-clone safe (no tensors, no classes).
 */
import type { CycleGANConfig, GanMode } from '../config';
import type { SkippedFile } from '../data/domain';
import type { Checkpoint } from '../io/checkpoint';
import type { NetName } from '../model/cyclegan';
import type { BackendChoice, BackendName, DemoName, DemoOptions, LossName, VisualName } from '../names';
import type { MemoryLimits } from '../train/memoryFit';
import type { Stage, StageImage, VerdictName } from '../train/stages';

export type { BackendChoice, BackendName, DemoName, DemoOptions } from '../names';
export type { SkippedFile } from '../data/domain';
export type { Stage, StageGroup, StageImage, VerdictName } from '../train/stages';
export type Domain = 'A' | 'B';
export type RunState = 'empty' | 'ready' | 'training' | 'paused' | 'done';

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
}

export interface BackendInfo {
  name: BackendName; // the backend tfjs actually runs (checked with tf.getBackend(), not assumed)
  requested: BackendChoice;
  adapter?: AdapterInfo; // WebGPU only
  /** Why this backend and not a faster one, in plain words (e.g. "WebGPU adapter is software (SwiftShader): wasm is faster"). */
  reason: string;
  /** What it can hold, as far as known (wasm: 4 GB; WebGPU: its largest buffer): the studio checks a config before Train. */
  memory?: MemoryLimits;
  /** wasm: the threads its pool runs, and why fewer than asked for (e.g. the page is not cross-origin isolated). */
  threads?: { count: number; why: string | null };
}

/** A small picture for the UI: RGBA bytes ready for ImageData. */
export interface Picture {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/** A file that was kept, with what the user should know about how it was read (e.g. an animated GIF's first frame). */
export interface NotedFile {
  name: string;
  note: string;
}

export interface DomainSummary {
  domain: Domain;
  count: number;
  totalBytes: number;
  thumbs: (Picture & { name: string })[]; // the first few, ~64 px
  skipped: SkippedFile[];
  /** Kept files that were not used exactly as they are (absent: none). */
  notes?: NotedFile[];
  /** Names the images came from (folder names, or the demo's name). */
  source: string;
  /** How many of these images are also in the other domain (same file name and size): > 0 means the same folder was likely loaded twice. */
  sharedWithOther: number;
}

export interface LossPoint {
  iter: number;
  epoch: number;
  lr: number;
  values: Record<LossName, number>;
  ms: number; // wall time of this iteration
}

export interface RunStatus {
  /** empty: a domain has no images · ready: no run yet · training · paused: a run exists, idle · done: schedule complete. */
  state: RunState;
  iter: number; // completed iterations
  epoch: number;
  lr: number;
  totalIters: number;
  itersPerEpoch: number;
  itsPerSec: number; // smoothed; 0 before the first iteration
  sampleEvery: number; // visuals every this many iterations
  /** How long one iteration may keep the worker busy (ms): measured once one ran, else estimated from the compute. */
  expectedIterMs: number;
}


// ── models: translate and imported generators ──
export type Direction = 'AtoB' | 'BtoA';

/** A generator imported into the engine (official PyTorch .pth, or our generator.json + generator.bin). */
export interface ImportedModelInfo {
  id: string;
  /** The file it came from (latest_net_G_A.pth, or generator.json's folder/name). */
  name: string;
  // model.json: a generator folder of the studio's Export; export.zip: the whole Export (both generators, `pair`)
  format: 'pth' | 'generator.json' | 'model.json' | 'export.zip';
  inputNc: number;
  outputNc: number;
  ngf: number;
  nBlocks: number;
  params: number;
  /** The direction it translates: G_A is A→B, G_B is B→A (from the file name, or generator.json). */
  direction: Direction;
  directionFrom: 'file name' | 'generator.json' | 'model.json' | 'export.zip' | 'default';
  bytes: number;
  /** Both generators of one run (an Export .zip): G_A for A → B and G_B for B → A; a translation picks the direction. */
  pair?: boolean;
  /** The domains' names the export recorded (config.json), e.g. { A: 'apples', B: 'oranges' }. */
  domains?: { A: string; B: string };
}

/** Where a translation takes its generator: the current run (G_A for AtoB, G_B for BtoA), or an imported one. */
export type TranslateSource = 'run' | { model: string };

export interface TranslateResult {
  /** The image as the generator saw it (longer side ≤ maxSide, sides multiples of 4) and G(input), same size. */
  input: Picture;
  output: Picture;
  /** The file's own size, before bounding and rounding. */
  original: { width: number; height: number };
  /** Which generator made it, in words (e.g. "G_A of the run, iteration 40", "latest_net_G_A.pth"). */
  generator: string;
  ms: number;
}

/** A run continued from the official trainer's networks. */
export interface OfficialRunImport {
  status: RunStatus;
  /** The run's config: the previous one with the settings the files required (the UI adopts it). */
  config: CycleGANConfig;
  /** The settings changed to fit the files, in words (e.g. "ngf 64 → 4"); empty when none had to. */
  changed: string[];
}

// ── models: checkpoints ──
/** Which images a checkpoint's run trained on: enough to find them again and to check they are the same. */
export interface CheckpointDomain {
  source: string; // folder names, or the demo's name
  count: number;
  /** SHA-256 (hex) of the decoded images (size, channels and pixels, in the run's order). */
  hash: string;
}

/** One saved run as the resume offer and the checkpoint list show it (one record per run, the latest save). */
export interface CheckpointSummary {
  id: string;
  iter: number;
  epoch: number;
  totalIters: number;
  /** Date.now() when it was written. */
  savedAt: number;
  reason: 'autosave' | 'pause' | 'manual' | 'loaded';
  bytes: number; // the checkpoint file's size (weights, Adam moments, pools, loss history)
  /** Network size in words, e.g. "64 px · ngf 32 · 6 blocks". */
  model: string;
  /** The run's configuration (the UI adopts it on resume, so pressing Train continues this run). */
  config: CycleGANConfig;
  domains: Record<Domain, CheckpointDomain>;
  /** The decoded images are stored with it (else: a demo regenerates, folders must be dropped again). */
  imagesStored: boolean;
  demo: { demo: DemoName; options?: DemoOptions } | null;
  /** Saved between Step G and Step D: the iteration in progress (it resumes half done, as it was left). */
  halfStep?: { iter: number; gUpdates: number; dUpdates: number };
}

/** Autosave period: every N iterations, 'auto' (about every two minutes of training), or 0 (off). */
export type AutosaveEvery = number | 'auto';

/** UI → engine. */
export type Request =
  | { kind: 'init'; backend: BackendChoice; threads?: number }
  // replaces the domain unless append; a big folder comes in parts (posting 5,000 Files at once blocks the page for
  // seconds): `part` places this one in the whole load, for progress events counted over the whole folder
  | { kind: 'loadFiles'; domain: Domain; files: File[]; source: string; append?: boolean; part?: { offset: number; total: number } }
  | { kind: 'loadDemo'; demo: DemoName; options?: DemoOptions }
  | { kind: 'clearDomain'; domain: Domain }
  | { kind: 'configure'; config: Partial<CycleGANConfig>; sampleEvery?: number; autosaveEvery?: AutosaveEvery }
  | { kind: 'start' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'step' }
  | { kind: 'stop' }
  | { kind: 'snapshot' }
  // ── models (export, checkpoints, translate, import) ──
  | { kind: 'exportModel' } // the run's networks as tfjs graph models in one zip (src/io/export/)
  // the run for the official PyTorch trainer: four latest_net_*.pth, its images as PNG, the README (src/io/official/)
  | { kind: 'exportPytorch' }
  // the official trainer's four latest_net_{G_A,G_B,D_A,D_B}.pth → a new run on the loaded images (fresh Adam and pools)
  | { kind: 'importOfficialRun'; files: File[] }
  // translate: direction picks G_A / G_B of the run; an imported generator translates its own direction only
  | { kind: 'translate'; source: TranslateSource; direction: Direction; file: File }
  | { kind: 'importGenerator'; files: File[] } // one .pth, or generator.json + generator.bin
  | { kind: 'dropImportedModel'; id: string }
  | { kind: 'listCheckpoints' }
  | { kind: 'resumeCheckpoint'; id: string }
  | { kind: 'saveCheckpoint' }
  | { kind: 'downloadCheckpoint' }
  | { kind: 'loadCheckpoint'; file: File }
  | { kind: 'deleteCheckpoint'; id: string }
  // ── faults (fault injection, recovery) ──
  | { kind: 'ping' } // the client's watchdog: answered between iterations, never queued
  | { kind: 'takeLastGood' } // the in-memory last good state (before a restart after a fatal fault)
  | { kind: 'restoreLastGood'; lastGood: LastGoodState } // → paused at its iteration (needs the same domains)
  | { kind: 'injectFault'; fault: FaultKind } // TEST-ONLY: refused unless the worker runs with ?faults=1
  // ── classroom (step G/D, slow motion, heatmaps, timeline) ──
  | { kind: 'stepPart'; part: StepPart } // Step G / Step D / Step both on a paused run (src/train/halves.ts)
  | { kind: 'slowMotion' } // the next iteration, run for real and recorded stage by stage
  | { kind: 'netDigest' } // a checksum per network: which ones did an update change?
  ;

export type RequestKind = Request['kind'];

/** What each request returns. */
export interface ReturnTypes {
  init: BackendInfo;
  loadFiles: DomainSummary;
  loadDemo: [DomainSummary, DomainSummary];
  clearDomain: void;
  configure: RunStatus;
  start: RunStatus;
  pause: RunStatus;
  resume: RunStatus;
  step: RunStatus;
  stop: RunStatus;
  snapshot: Record<VisualName, Picture> | null;
  // ── models ──
  exportModel: { fileName: string; bytes: Uint8Array };
  exportPytorch: { fileName: string; bytes: Uint8Array; imagesNote?: string };
  importOfficialRun: OfficialRunImport;
  translate: TranslateResult;
  importGenerator: ImportedModelInfo;
  dropImportedModel: ImportedModelInfo[];
  listCheckpoints: CheckpointSummary[];
  resumeCheckpoint: RunStatus;
  saveCheckpoint: CheckpointSummary;
  downloadCheckpoint: { fileName: string; bytes: Uint8Array };
  loadCheckpoint: RunStatus;
  deleteCheckpoint: void;
  // ── faults ──
  ping: true;
  takeLastGood: LastGoodState | null;
  restoreLastGood: RunStatus;
  injectFault: void;
  // ── classroom ──
  stepPart: StepReport;
  slowMotion: StagedIteration;
  netDigest: Record<NetName, string> | null;
}

export interface ErrorInfo {
  name: string;
  message: string;
}

/** Engine → UI, out of band. */
export type EngineEvent =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'loadProgress'; domain: Domain; done: number; total: number }
  | { type: 'domain'; summary: DomainSummary }
  | { type: 'status'; status: RunStatus }
  | { type: 'losses'; points: LossPoint[] } // batched: at most a few messages per second
  | { type: 'visuals'; iter: number; images: Partial<Record<VisualName, Picture>> }
  | { type: 'error'; error: ErrorInfo }
  // ── models ──
  /** The imported generators changed (import, drop, a backend switch that reloaded or lost them: `notice` says). */
  | { type: 'importedModels'; models: ImportedModelInfo[]; notice?: string }
  | { type: 'checkpoint'; summary: CheckpointSummary } // after each save (autosave, pause, save now)
  | { type: 'checkpointError'; iter: number; error: ErrorInfo } // a save failed (e.g. QuotaExceededError); training goes on
  // ── faults ──
  | { type: 'rolledBack'; rollback: Rollback } // the UI truncates its charts to rollback.iter
  | { type: 'fault'; fault: FatalFault } // the engine cannot go on: the supervisor (src/worker/supervisor.ts) restarts the worker
  // ── classroom ──
  | { type: 'verdicts'; verdicts: Verdicts } // the discriminators' PatchGAN maps, with the visuals of the same iteration
  ;

// ── faults ──
/** TEST-ONLY injected faults (src/engine/faults.ts says what each does). */
export type FaultKind = 'nan' | 'deviceLost' | 'oom' | 'crash' | 'hang';

/** A run diverged (NaN/Inf) and was rolled back. */
export interface Rollback {
  iter: number; // the good iteration the run is paused at now
  divergedAt: number;
  what: string; // e.g. "loss D_A is NaN; G_A, D_A have non-finite weights"
  message: string; // the whole explanation, with what to try
}

/** What ended a worker's run: the engine's own report (deviceLost, oom) or the client's (crash, hang). */
export interface FatalFault {
  kind: 'deviceLost' | 'oom' | 'crash' | 'hang';
  message: string;
  wasTraining: boolean;
  backend: BackendName | null; // the backend that failed
  lastGood: number | null; // the iteration of the in-memory last good state, if the worker still has one
}

export interface LastGoodState {
  iteration: number;
  checkpoint: Checkpoint;
}

export type ToWorker = { id: number; request: Request };
export type FromWorker =
  | { kind: 'return'; id: number; value: unknown }
  | { kind: 'throw'; id: number; error: ErrorInfo }
  | { kind: 'event'; event: EngineEvent };

/**
 * The engine's API: what both the worker client (main thread) and the in-process engine implement, so the
 * UI cannot tell where training runs.
 */
export interface EngineApi {
  call<K extends RequestKind>(request: Extract<Request, { kind: K }>): Promise<ReturnTypes[K]>;
  onEvent(listener: (e: EngineEvent) => void): () => void;
  dispose(): void;
}

// ── classroom: Step G / Step D, the D view, slow motion ──

export type StepPart = 'G' | 'D' | 'both';

/** An iteration Step G / Step D began and has not finished: it counts once it has had a G and a D update. */
export interface IterationProgress {
  iter: number;
  gUpdates: number;
  dUpdates: number;
}

/** One loss term an update optimised: its value before the update and after it, on the same images. */
export interface LossChange {
  name: LossName;
  before: number;
  after: number;
}

export interface StepReport {
  part: StepPart;
  iter: number; // the iteration these updates belong to
  nets: NetName[]; // the networks this request updated, in order
  changes: LossChange[];
  completed: boolean; // the iteration finished: counter +1, a loss point and its images were sent
  progress: IterationProgress | null; // the iteration still in progress (null: none)
  status: RunStatus;
}

/** A PatchGAN output map (row-major): D's raw scores and how real each patch looks to D (1 real … 0 fake). */
export interface PatchMap {
  rows: number;
  cols: number;
  raw: number[];
  /** lsgan: the score clamped to [0, 1] (its targets are 1 real, 0 fake); vanilla: sigmoid(score). */
  realness: number[];
}

/** D's verdict on an image: D_A judges B images, D_B judges A images (pool_*: the fake the D update used). */
export type LiveVerdictName = 'D_A_real_B' | 'D_A_fake_B' | 'D_B_real_A' | 'D_B_fake_A';

/** Sent with the visuals: the maps of the same iteration as the images (fake_*: D before its update). */
export interface Verdicts {
  iter: number;
  ganMode: GanMode;
  maps: Record<LiveVerdictName, PatchMap>;
  /** The images D judged (the same pictures as that iteration's visuals). */
  images: Record<'real_A' | 'fake_A' | 'real_B' | 'fake_B', Picture>;
}

/** One real iteration, recorded stage by stage (the iteration counts: its loss point is the same one). */
export interface StagedIteration {
  iter: number;
  epoch: number;
  lr: number;
  ganMode: GanMode;
  lambda: { A: number; B: number; identity: number };
  losses: Record<LossName, number>;
  images: Partial<Record<StageImage, Picture>>;
  maps: Partial<Record<VerdictName, PatchMap>>;
  stages: Stage[];
}
