/**
 * The in-process engine: every protocol request, on top of CycleGANTrainer. The worker serves it to the UI;
 * Node tests and tools call it directly. Decoding and backend setup are injected (browser vs Node).
 *
 * Rules (what the UI can rely on):
 * - State is derived, never stored: no trainer → 'empty' | 'ready'; a trainer and the loop running → 'training';
 *   a trainer idle → 'paused', or 'done' once the schedule is complete.
 * - Requests that change state run one at a time, in arrival order. The training loop is not one of them, so
 *   pause/stop/step are answered after at most the iteration in flight. pause and stop resolve once the loop has
 *   stopped: the status they return is final (its iteration counter will not move while paused).
 * - start: ready → a new run from the seed; paused → resume; training → no-op; done → ScheduleCompleteError.
 *   step: ready/paused → exactly one iteration (with visuals); training → no-op; done → ScheduleCompleteError.
 *   stop: disposes the run (every tensor); the next start trains from the seed again.
 * - configure: lr, λ_A, λ_B, λ_identity, n_epochs, n_epochs_decay and sampleEvery are live (they apply from the
 *   next iteration, even while training). Any other change rebuilds the networks: refused while training
 *   (EngineBusyError: pause or stop first); an idle run is reset and the next start trains from the seed.
 * - Changing images (loadFiles, loadDemo, clearDomain) follows the same rule as a structural change, and
 *   init (a backend switch) too: the run's tensors live on one backend.
 * - Losses: one point per iteration, read without a per-iteration stall (iteration k+1 is enqueued before k's
 *   losses are awaited), sent in batches at most every `lossFlushMs`. Errors in the loop pause the run and
 *   are reported as an `error` event; nothing fails silently.
 * - Classroom (src/engine/classroom.ts): stepPart (Step G / Step D / Step both), slowMotion, netDigest, and the
 *   `verdicts` event with every visuals. An iteration a half-step began counts once it has had both halves;
 *   start and step finish it first (src/train/halves.ts).
 *
 * Its parts, one concern each: loop.ts (the pipelined loop), recorder.ts (losses, timing, pictures), recovery.ts
 * (divergence, OOM, lost device), configure.ts (live vs structural changes), status.ts (derived state),
 * imageDomains.ts (the images), pictures.ts (visuals), checkpoints.ts, translate.ts, classroom.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { makeConfig, type CycleGANConfig } from '../config';
import type {
  BackendChoice, BackendInfo, BackendName, Domain, EngineEvent, Request, RequestKind, ReturnTypes,
  RunStatus, Trainer,
} from '../protocol/messages';
import { WASM_LIMITS } from '../train/memoryFit';
import { CycleGANTrainer } from '../train/trainer';
import { Classroom } from './classroom';
import { MemoryCheckpointStore, type CheckpointStore } from './checkpointStore';
import { Checkpoints } from './checkpoints';
import type { Decoder, DomainData } from './domains';
import { EmptyDomainError, EngineBusyError, ScheduleCompleteError, errorText } from './errors';
import { exportRun } from './export';
import { EngineFaultError, Faults, type FaultOptions } from './faults';
import { DivergedError, Guard, watchWeights } from './guard';
import { ImageDomains } from './imageDomains';
import { TrainingLoop, type InFlight } from './loop';
import { Recorder } from './recorder';
import { Gallery, type Pictures } from './pictures';
import { applyLive, planConfigure } from './configure';
import { outOfMemory } from './outOfMemory';
import { Recovery } from './recovery';
import { runStatus } from './status';
import { Translator } from './translate';

export interface EngineOptions {
  /** File → RGB (browser: createImageBitmap + OffscreenCanvas; Node: pngjs/jpeg-js). */
  decode: Decoder;
  /** Starts a backend and reports what runs. Without it, the engine reports whatever tfjs has (Node tests). */
  /** `threads`: how many wasm may use; undefined = as many as the machine has. */
  setupBackend?: (choice: BackendChoice, threads: number | undefined) => Promise<BackendInfo>;
  lossFlushMs?: number; // default 100 (≤ 10 loss messages a second)
  /** Default visuals period in iterations (the reference displays every 400; the studio wants to see more). */
  sampleEvery?: number;
  /** Take an in-memory "last good" state at least every this many iterations (default 50). */
  guardEvery?: number;
  /** TEST-ONLY fault injection (src/engine/faults.ts); off unless enabled. */
  faults?: FaultOptions;
  /** Where checkpoints are kept (the worker: IndexedDB). Default: in memory, for Node tests and tools. */
  checkpointStore?: CheckpointStore;
}

type Handlers = { [K in RequestKind]: (r: Extract<Request, { kind: K }>) => Promise<ReturnTypes[K]> };

/** The requests that build a run or run iterations: running out of memory in them is a fatal fault. */
const TRAINS = new Set<RequestKind>(['start', 'resume', 'step', 'stepPart', 'slowMotion']);

export class Engine implements Trainer {
  private readonly opts: Required<Omit<EngineOptions, 'setupBackend' | 'faults' | 'checkpointStore'>> & Pick<EngineOptions, 'setupBackend'>;
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private config: CycleGANConfig = makeConfig();
  private sampleEvery: number;
  private backend: BackendInfo | null = null;
  private requestedBackend: BackendChoice = 'auto'; // a forced choice that failed is retried, never swapped for auto
  private trainer: CycleGANTrainer | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly gallery = new Gallery((e) => this.emit(e));
  private disposed = false;
  private readonly guard: Guard;
  private readonly faults: Faults;
  /** Translate requests and imported generators (issue 4); reads the run's generators through `run`. */
  private readonly translator: Translator;
  private readonly ckpt: Checkpoints;
  private readonly domains: ImageDomains;
  private readonly rec: Recorder;
  private readonly loop: TrainingLoop;
  private readonly recovery: Recovery;

  constructor(opts: EngineOptions) {
    this.opts = { lossFlushMs: 100, sampleEvery: 20, guardEvery: 50, ...opts };
    this.guard = new Guard(this.opts.guardEvery);
    this.faults = new Faults(opts.faults);
    this.sampleEvery = this.opts.sampleEvery;
    this.domains = new ImageDomains({ decode: opts.decode, emit: (e) => this.emit(e), emitStatus: () => this.emitStatus() });
    this.ckpt = new Checkpoints(opts.checkpointStore ?? new MemoryCheckpointStore(), {
      trainer: () => this.trainer,
      domains: () => this.domains.data,
      looping: () => this.loop.looping,
      emit: (e) => this.emit(e),
      adopt: (t, domains, restored) => this.adoptRun(t, domains, restored),
    });
    this.rec = new Recorder(this.opts.lossFlushMs, {
      ckpt: this.ckpt,
      gallery: this.gallery,
      verdicts: (t, it, images) => this.classroom.publishVerdicts(t, it, images),
      scheduleDone: () => (this.loop.running = false),
      emit: (e) => this.emit(e),
      emitStatus: () => this.emitStatus(),
    });
    this.translator = new Translator({
      decode: opts.decode,
      run: () => (this.trainer ? { G_A: this.trainer.models.G_A, G_B: this.trainer.models.G_B, iter: this.rec.completed } : null),
      emit: (e) => this.emit(e),
    });
    this.loop = new TrainingLoop({
      guard: this.guard,
      ckpt: this.ckpt,
      faults: this.faults,
      current: () => this.trainer,
      wantsVisuals: (iter) => iter === 1 || iter % this.sampleEvery === 0 || this.gallery.waiting,
      markStart: () => this.rec.mark(),
      complete: (t, f) => this.rec.complete(t, f),
      failed: (t, e) => this.recovery.failed(t, e),
      flush: () => this.flush(),
      stopped: (t) => this.gallery.answer(async () => (this.trainer === t && !this.disposed ? this.idleVisuals(t) : null)),
      emitStatus: () => this.emitStatus(),
    });
    this.recovery = new Recovery({
      guard: this.guard,
      images: () => this.domains.images(),
      config: () => this.config,
      setConfig: (c) => (this.config = c),
      trainer: () => this.trainer,
      install: (t) => this.install(t),
      disposeRun: () => this.disposeRun(),
      completed: () => this.rec.completed,
      disposed: () => this.disposed,
      looping: () => this.loop.looping,
      stopLoop: () => (this.loop.running = false),
      backendName: () => this.backend?.name ?? null,
      memoryLimits: () => this.backend?.memory ?? (this.backend?.name === 'wasm' ? WASM_LIMITS : {}),
      resetForDataChange: (what) => this.resetForDataChange(what),
      ensureBackend: () => this.ensureBackend(),
      idleVisuals: (t) => this.idleVisuals(t),
      flush: () => this.flush(),
      emit: (e) => this.emit(e),
      emitStatus: () => this.emitStatus(),
    });
  }

  private readonly handlers: Handlers = {
    init: (r) => this.serial(() => this.init(r.backend, r.threads)),
    loadFiles: (r) => this.serial(() => {
      this.resetForDataChange(`load images into domain ${r.domain}`);
      return this.domains.load(r.domain, r.files, r.source, r.append ?? false, this.config.loadSize, r.part);
    }),
    loadDemo: (r) => this.serial(async () => (this.resetForDataChange('load the demo'), this.domains.demo(r.demo, r.options))),
    clearDomain: (r) => this.serial(async () => (this.resetForDataChange(`clear domain ${r.domain}`), this.domains.clear(r.domain))),
    configure: (r) => this.serial(async () => (this.ckpt.setEvery(r.autosaveEvery), this.configure(r.config, r.sampleEvery))),
    start: () => this.serial(() => this.start()),
    resume: () => this.serial(() => this.start()),
    pause: () => this.serial(() => this.pause()),
    step: () => this.serial(() => this.stepOnce()),
    stop: () => this.serial(() => this.stop()),
    snapshot: () => this.snapshot(), // not queued: it only reads the weights
    // ── models (issue 4) ──
    exportModel: () => exportRun(this.trainer, { A: this.domains.data.A.source, B: this.domains.data.B.source }), // not queued: it snapshots the weights
    translate: (r) => this.translator.translate(r.source, r.direction, r.file), // not queued: reads the weights between iterations
    importGenerator: (r) => this.serial(() => this.translator.importGenerator(r.files)),
    dropImportedModel: (r) => this.serial(async () => this.translator.drop(r.id)),
    listCheckpoints: () => this.ckpt.list(),
    resumeCheckpoint: (r) => this.serial(() => this.ckpt.resume(r.id)),
    saveCheckpoint: () => this.serial(() => this.ckpt.saveNow()),
    downloadCheckpoint: () => this.serial(() => this.ckpt.download()),
    loadCheckpoint: (r) => this.serial(() => this.ckpt.load(r.file)),
    deleteCheckpoint: (r) => this.ckpt.delete(r.id),
    // ── faults (issue 5) ──
    ping: async () => true,
    takeLastGood: async () => this.guard.lastGood, // not queued: the loop may be stuck on a lost device
    restoreLastGood: (r) => this.serial(() => this.recovery.restoreLastGood(r.lastGood)),
    injectFault: async (r) => this.faults.inject(r.fault, (m) => this.fatal('deviceLost', m)),
    // ── classroom (issue 6) ──
    stepPart: (r) => this.classroom.step(r.part),
    slowMotion: () => this.classroom.slowMotion(),
    netDigest: () => this.classroom.digest(),
  };

  /** Step G / Step D, slow motion, the D view (src/engine/classroom.ts): what it needs of the engine. */
  private readonly classroom = new Classroom({
    serial: (f) => this.serial(f),
    busy: () => this.loop.looping,
    trainer: () => this.ensureTrainer(),
    current: () => this.trainer,
    beforeIteration: async (t) => {
      if (!t.partial && this.guard.due(t.iteration)) await this.guard.capture(t); // as stepOnce, at an iteration's start
    },
    record: (t, it, startedAt) => {
      this.rec.mark(startedAt);
      return this.recordOne(t, { it, withVisuals: true, weights: watchWeights(t) });
    },
    emitStatus: () => this.emitStatus(),
    emit: (e) => this.emit(e),
    completeError: (t) => this.completeError(t),
  });

  call<K extends RequestKind>(request: Extract<Request, { kind: K }>): Promise<ReturnTypes[K]> {
    if (this.disposed) return Promise.reject(new EngineBusyError('The engine was shut down; reload the page.'));
    const broken = this.recovery.broken;
    if (broken && !['ping', 'takeLastGood', 'injectFault'].includes(request.kind))
      return Promise.reject(new EngineFaultError(`${broken.message} The studio restarts the engine; try again in a moment.`));
    const handler = this.handlers[request.kind] as (r: Extract<Request, { kind: K }>) => Promise<ReturnTypes[K]>;
    const answer = handler(request);
    return TRAINS.has(request.kind) ? answer.catch((e) => this.ranOutOfMemory(e)) : answer;
  }

  /**
   * A request that builds or runs iterations ran out of memory (the weights did not fit, or a half-step's
   * activations): as fatal as running out in the loop — an aborted wasm module is dead. Anything else is rethrown.
   */
  private ranOutOfMemory(e: unknown): never {
    if (!outOfMemory(e)) throw e;
    this.recovery.fatal('oom', errorText(e));
    throw new EngineFaultError(`${this.recovery.broken?.message ?? 'Out of memory.'} The studio restarts the engine.`);
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the loop and frees every tensor (asynchronously: the iteration in flight is read first). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loop.running = false;
    void this.loop.done.then(() => {
      this.disposeRun();
      this.translator.dispose();
    });
  }

  /** Resolves when the training loop (if any) has stopped; for tests and tools. */
  idle(): Promise<void> {
    return this.loop.done;
  }

  /**
   * The backend cannot go on (its device was lost, or memory ran out): stop, refuse further work, and tell the
   * UI, which restarts the worker (taking the last good state first). Called by the worker's device watcher.
   */
  fatal(kind: 'deviceLost' | 'oom', detail: string): void {
    this.recovery.fatal(kind, detail);
  }

  // ---------------------------------------------------------------------------------------------- requests

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const p = this.queue.then(f, f);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async init(choice: BackendChoice, threads?: number): Promise<BackendInfo> {
    if (this.backend && this.backend.requested === choice) return this.backend;
    if (this.loop.looping) throw new EngineBusyError('Stop training before switching the backend (the run lives on the current one).');
    this.disposeRun(); // tensors belong to the old backend
    await this.translator.releaseTensors(); // imported generators too (after translations in flight); rebuilt below
    this.requestedBackend = choice;
    this.backend = null;
    const info = await (this.opts.setupBackend
      ? this.opts.setupBackend(choice, threads)
      : Promise.resolve<BackendInfo>({ name: tf.getBackend() as BackendName, requested: choice, reason: 'In-process engine: the backend the host set up.' })
    ).finally(() => this.translator.rebuild(tf.getBackend())); // on whichever backend is active now, even after a failure
    this.backend = info;
    this.emit({ type: 'backend', info });
    this.emitStatus();
    return info;
  }

  private async ensureBackend(): Promise<void> {
    if (!this.backend) await this.init(this.requestedBackend);
  }

  /** Images are what a run trains on: refuse while training, reset an idle run. */
  private resetForDataChange(what: string): void {
    if (this.loop.looping) throw new EngineBusyError(`Pause or stop training to ${what}: the run trains on the images it started with.`);
    this.disposeRun();
  }

  private async configure(partial: Partial<CycleGANConfig>, sampleEvery: number | undefined): Promise<RunStatus> {
    const plan = planConfigure(this.config, partial, sampleEvery, { exists: !!this.trainer, training: this.loop.looping });
    if (plan.rebuild) this.disposeRun();
    this.config = plan.next;
    if (sampleEvery !== undefined) this.sampleEvery = sampleEvery;
    if (this.trainer && plan.risky) await this.recovery.captureBeforeChange();
    if (this.trainer && plan.changed.length > 0) applyLive(this.trainer, plan.next);
    return this.emitStatus();
  }

  private async ensureTrainer(): Promise<CycleGANTrainer> {
    if (this.trainer) return this.trainer;
    for (const d of ['A', 'B'] as const)
      if (this.domains.data[d].images.length === 0)
        throw new EmptyDomainError(`Domain ${d} has no images: load a folder of images into ${d}, or load a demo, before training.`);
    await this.ensureBackend();
    const t = new CycleGANTrainer(this.config, this.domains.images());
    this.install(t);
    this.ckpt.newRun();
    await this.guard.capture(t); // iteration 0 is the first last good state
    return t;
  }

  private async start(): Promise<RunStatus> {
    if (this.loop.looping) return this.status(); // double start: no-op
    const t = await this.ensureTrainer();
    if (t.done) throw this.completeError(t);
    this.loop.start(t);
    return this.emitStatus();
  }

  private async pause(): Promise<RunStatus> {
    await this.loop.halt();
    return this.status();
  }

  private async stepOnce(): Promise<RunStatus> {
    if (this.loop.looping) return this.status(); // training already: step is a no-op
    const t = await this.ensureTrainer();
    if (t.done) throw this.completeError(t);
    if (this.guard.due(t.iteration)) await this.guard.capture(t);
    this.rec.mark();
    await this.recordOne(t, this.loop.enqueue(t, true));
    if (t.done) this.emitStatus();
    return this.status();
  }

  private async stop(): Promise<RunStatus> {
    await this.loop.halt();
    this.flush();
    this.disposeRun();
    return this.emitStatus();
  }

  private async snapshot(): Promise<Pictures | null> {
    if (this.loop.looping) return this.gallery.next(); // the next iteration keeps its visuals
    if (!this.trainer) return this.gallery.latest?.images ?? null;
    return this.idleVisuals(this.trainer);
  }

  // ---------------------------------------------------------------------------------------------- iterations

  /**
   * Records one iteration run outside the loop (Step, Step G/D); a divergence or OOM goes to recovery, as in the loop.
   * Steps autosave when one is due, as the loop does: a class may step for many minutes and not lose it in a crash.
   */
  private async recordOne(t: CycleGANTrainer, f: InFlight): Promise<void> {
    try {
      await this.rec.complete(t, f);
      if (this.ckpt.due(t.iteration)) await this.ckpt.atBarrier(t);
    } catch (e) {
      if (!(e instanceof DivergedError || outOfMemory(e))) throw e;
      await this.recovery.failed(t, e); // rolled back, or a fatal fault: the events say so
    } finally {
      this.flush();
    }
  }

  private idleVisuals(t: CycleGANTrainer): Promise<Pictures> {
    return this.gallery.idle(t, this.rec.completed);
  }

  // ---------------------------------------------------------------------------------------------- events

  /** Sends the batched loss points (and a status) now. */
  private flush(): void {
    this.rec.flush();
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        console.error('engine event listener failed', err);
      }
    }
  }

  private facts() {
    return {
      trainer: this.trainer,
      config: this.config,
      imageCounts: this.domains.counts(),
      training: this.loop.running || this.loop.looping,
      completed: this.rec.completed,
      msPerIter: this.rec.msPerIter,
      sampleEvery: this.sampleEvery,
      backend: this.backend?.name ?? null,
    };
  }

  private status(): RunStatus {
    return runStatus(this.facts());
  }

  private emitStatus(): RunStatus {
    const status = this.status();
    this.emit({ type: 'status', status });
    return status;
  }

  private completeError(t: CycleGANTrainer): ScheduleCompleteError {
    return new ScheduleCompleteError(`The schedule is complete (${t.totalIters} iterations). Raise nEpochs or nEpochsDecay to keep training, or press Stop to start a new run.`);
  }

  /** A restored run (checkpoints.ts) replaces the current one: its images, config and trainer. */
  private async adoptRun(t: CycleGANTrainer, domains: Record<Domain, DomainData>, restored: () => void): Promise<RunStatus> {
    this.disposeRun();
    this.emitStatus(); // iteration 0: the UI drops the old run's charts and images
    this.config = { ...t.config };
    this.install(t);
    restored(); // the loss history goes out before any status that shows the restored iteration
    this.domains.replace(domains);
    await this.guard.capture(t); // the restored state is the run's first last good state
    await this.idleVisuals(t);
    return this.emitStatus();
  }

  private disposeRun(): void {
    this.ckpt.reset();
    if (this.trainer) this.trainer.dispose();
    this.install(null);
    this.guard.clear();
    this.rec.clear();
  }

  /** Makes `t` the run (null: none), at its own iteration, with fresh timing and no pictures yet. */
  private install(t: CycleGANTrainer | null): void {
    this.trainer = t;
    this.rec.reset(t?.iteration ?? 0);
    this.gallery.latest = null;
  }
}
