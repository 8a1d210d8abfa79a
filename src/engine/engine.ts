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
 */
import * as tf from '@tensorflow/tfjs';
import { makeConfig, ConfigError, type CycleGANConfig } from '../config';
import type {
  BackendChoice, BackendInfo, BackendName, Domain, DomainSummary, EngineEvent, FatalFault, LastGoodState, LossPoint,
  Request, RequestKind, ReturnTypes, RunState, RunStatus, Trainer,
} from '../protocol/messages';
import { lastEpoch } from '../train/schedule';
import type { Visuals } from '../train/step';
import { CycleGANTrainer, type PendingIteration } from '../train/trainer';
import { Batcher } from './batcher';
import { Classroom } from './classroom';
import { MemoryCheckpointStore, type CheckpointStore } from './checkpointStore';
import { Checkpoints } from './checkpoints';
import { appendDomain, decodeAll, DECODE_SHORT_SIDE, demoDomains, emptyDomain, summarize, type Decoder, type DomainData } from './domains';
import { EmptyDomainError, EngineBusyError, errorInfo, ScheduleCompleteError } from './errors';
import { exportRun } from './export';
import { EngineFaultError, Faults, outOfMemory, type FaultOptions } from './faults';
import { DivergedError, Guard, nonFinite, watchWeights } from './guard';
import { forwardVisuals, picturesOf, type Pictures } from './pictures';
import { Translator } from './translate';

export interface EngineOptions {
  /** File → RGB (browser: createImageBitmap + OffscreenCanvas; Node: pngjs/jpeg-js). */
  decode: Decoder;
  /** Starts a backend and reports what runs. Without it, the engine reports whatever tfjs has (Node tests). */
  setupBackend?: (choice: BackendChoice) => Promise<BackendInfo>;
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

/** Knobs a running trainer can take between iterations. */
const LIVE_KEYS = new Set<keyof CycleGANConfig>(['lr', 'lambdaA', 'lambdaB', 'lambdaIdentity', 'nEpochs', 'nEpochsDecay']);

type Handlers = { [K in RequestKind]: (r: Extract<Request, { kind: K }>) => Promise<ReturnTypes[K]> };

interface InFlight {
  it: PendingIteration;
  withVisuals: boolean;
  weights: Promise<Float32Array>; // non-finite counts per network, read with the losses
}

/** Yields a macrotask, so incoming messages (pause, stop) run between iterations even when the backend is sync. */
const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

export class Engine implements Trainer {
  private readonly opts: Required<Omit<EngineOptions, 'setupBackend' | 'faults' | 'checkpointStore'>> & Pick<EngineOptions, 'setupBackend'>;
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private config: CycleGANConfig = makeConfig();
  private sampleEvery: number;
  private domains: Record<Domain, DomainData> = { A: emptyDomain(), B: emptyDomain() };
  private backend: BackendInfo | null = null;
  private requestedBackend: BackendChoice = 'auto'; // a forced choice that failed is retried, never swapped for auto
  private trainer: CycleGANTrainer | null = null;
  private running = false; // the loop should keep going
  private looping = false; // the loop has not finished yet (it completes its iteration in flight after a pause)
  private loopDone: Promise<void> = Promise.resolve();
  private queue: Promise<unknown> = Promise.resolve();
  private completed = 0; // iterations whose losses have been read
  private msEma = 0;
  private lastMark = 0;
  private readonly losses: Batcher<LossPoint>;
  private latestVisuals: { iter: number; images: Pictures } | null = null;
  private snapshotWaiters: ((v: Pictures | null) => void)[] = [];
  private disposed = false;
  private readonly guard: Guard;
  private readonly faults: Faults;
  private broken: FatalFault | null = null; // a fatal fault: the worker must be restarted
  /** Translate requests and imported generators (issue 4); reads the run's generators through `run`. */
  private readonly translator: Translator;
  private readonly ckpt: Checkpoints;

  constructor(opts: EngineOptions) {
    this.opts = { lossFlushMs: 100, sampleEvery: 20, guardEvery: 50, ...opts };
    this.guard = new Guard(this.opts.guardEvery);
    this.faults = new Faults(opts.faults);
    this.sampleEvery = this.opts.sampleEvery;
    this.ckpt = new Checkpoints(opts.checkpointStore ?? new MemoryCheckpointStore(), {
      trainer: () => this.trainer,
      domains: () => this.domains,
      looping: () => this.looping,
      emit: (e) => this.emit(e),
      adopt: (t, domains, restored) => this.adoptRun(t, domains, restored),
    });
    this.losses = new Batcher(this.opts.lossFlushMs, (points) => {
      this.emit({ type: 'losses', points });
      this.emitStatus();
    });
    this.translator = new Translator({
      decode: opts.decode,
      run: () => (this.trainer ? { G_A: this.trainer.models.G_A, G_B: this.trainer.models.G_B, iter: this.completed } : null),
      emit: (e) => this.emit(e),
    });
  }

  private readonly handlers: Handlers = {
    init: (r) => this.serial(() => this.init(r.backend)),
    loadFiles: (r) => this.serial(() => this.loadFiles(r.domain, r.files, r.source, r.append ?? false, r.part)),
    loadDemo: (r) => this.serial(() => this.loadDemo(r)),
    clearDomain: (r) => this.serial(async () => {
      this.resetForDataChange(`clear domain ${r.domain}`);
      this.domains[r.domain] = emptyDomain();
      this.domainChanged(r.domain);
    }),
    configure: (r) => this.serial(async () => (this.ckpt.setEvery(r.autosaveEvery), this.configure(r.config, r.sampleEvery))),
    start: () => this.serial(() => this.start()),
    resume: () => this.serial(() => this.start()),
    pause: () => this.serial(() => this.pause()),
    step: () => this.serial(() => this.stepOnce()),
    stop: () => this.serial(() => this.stop()),
    snapshot: () => this.snapshot(), // not queued: it only reads the weights
    // ── models (issue 4) ──
    exportModel: () => exportRun(this.trainer, { A: this.domains.A.source, B: this.domains.B.source }), // not queued: it snapshots the weights
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
    restoreLastGood: (r) => this.serial(() => this.restoreLastGood(r.lastGood)),
    injectFault: async (r) => this.faults.inject(r.fault, (m) => this.fatal('deviceLost', m)),
    // ── classroom (issue 6) ──
    stepPart: (r) => this.classroom.step(r.part),
    slowMotion: () => this.classroom.slowMotion(),
    netDigest: () => this.classroom.digest(),
  };

  /** Step G / Step D, slow motion, the D view (src/engine/classroom.ts): what it needs of the engine. */
  private readonly classroom = new Classroom({
    serial: (f) => this.serial(f),
    busy: () => this.looping,
    trainer: () => this.ensureTrainer(),
    current: () => this.trainer,
    beforeIteration: async (t) => {
      if (!t.partial && this.guard.due(t.iteration)) await this.guard.capture(t); // as stepOnce, at an iteration's start
    },
    record: async (t, it, startedAt) => {
      this.lastMark = startedAt;
      try {
        await this.complete(t, { it, withVisuals: true, weights: watchWeights(t) });
      } catch (e) {
        if (!(e instanceof DivergedError || outOfMemory(e))) throw e;
        await this.failed(t, e); // rolled back, or a fatal fault: the events say so
      } finally {
        this.flush();
      }
    },
    emitStatus: () => this.emitStatus(),
    emit: (e) => this.emit(e),
    completeError: (t) => this.completeError(t),
  });

  call<K extends RequestKind>(request: Extract<Request, { kind: K }>): Promise<ReturnTypes[K]> {
    if (this.disposed) return Promise.reject(new EngineBusyError('The engine was shut down; reload the page.'));
    if (this.broken && !['ping', 'takeLastGood', 'injectFault'].includes(request.kind))
      return Promise.reject(new EngineFaultError(`${this.broken.message} The studio restarts the engine; try again in a moment.`));
    const handler = this.handlers[request.kind] as (r: Extract<Request, { kind: K }>) => Promise<ReturnTypes[K]>;
    return handler(request);
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the loop and frees every tensor (asynchronously: the iteration in flight is read first). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.running = false;
    void this.loopDone.then(() => {
      this.disposeRun();
      this.translator.dispose();
    });
  }

  /** Resolves when the training loop (if any) has stopped; for tests and tools. */
  idle(): Promise<void> {
    return this.loopDone;
  }

  // ---------------------------------------------------------------------------------------------- requests

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const p = this.queue.then(f, f);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async init(choice: BackendChoice): Promise<BackendInfo> {
    if (this.backend && this.backend.requested === choice) return this.backend;
    if (this.looping) throw new EngineBusyError('Stop training before switching the backend (the run lives on the current one).');
    this.disposeRun(); // tensors belong to the old backend
    await this.translator.releaseTensors(); // imported generators too (after translations in flight); rebuilt below
    this.requestedBackend = choice;
    this.backend = null;
    const info = await (this.opts.setupBackend
      ? this.opts.setupBackend(choice)
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

  private async loadFiles(domain: Domain, files: File[], source: string, append: boolean, part = { offset: 0, total: files.length }): Promise<DomainSummary> {
    this.resetForDataChange(`load images into domain ${domain}`);
    const shortSide = Math.max(DECODE_SHORT_SIDE, this.config.loadSize);
    let last = 0;
    const r = await decodeAll(files, this.opts.decode, shortSide, (done, total) => {
      const now = Date.now();
      if (done === total || now - last >= 100) {
        last = now;
        this.emit({ type: 'loadProgress', domain, done: part.offset + done, total: part.total });
      }
    });
    this.domains[domain] = append ? appendDomain(this.domains[domain], { ...r, source }) : { ...r, source };
    // a part of a big folder: the UI hears about the domain once, after the last part (each summary re-renders it)
    if (part.offset + files.length < part.total) return summarize(domain, this.domains[domain]);
    return this.domainChanged(domain);
  }

  private async loadDemo(r: Extract<Request, { kind: 'loadDemo' }>): Promise<[DomainSummary, DomainSummary]> {
    this.resetForDataChange('load the demo');
    this.domains = demoDomains(r.demo, r.options);
    return [this.domainChanged('A'), this.domainChanged('B')];
  }

  private domainChanged(domain: Domain): DomainSummary {
    const other = domain === 'A' ? 'B' : 'A';
    const summary = summarize(domain, this.domains[domain], this.domains[other]);
    this.emit({ type: 'domain', summary });
    // the other domain's same-images count changed too
    if (this.domains[other].keys?.length) this.emit({ type: 'domain', summary: summarize(other, this.domains[other], this.domains[domain]) });
    this.emitStatus();
    return summary;
  }

  /** Images are what a run trains on: refuse while training, reset an idle run. */
  private resetForDataChange(what: string): void {
    if (this.looping) throw new EngineBusyError(`Pause or stop training to ${what}: the run trains on the images it started with.`);
    this.disposeRun();
  }

  private async configure(partial: Partial<CycleGANConfig>, sampleEvery: number | undefined): Promise<RunStatus> {
    const next = makeConfig({ ...this.config, ...partial });
    if (sampleEvery !== undefined && !(Number.isInteger(sampleEvery) && sampleEvery >= 1))
      throw new ConfigError('sampleEvery', `must be an integer ≥ 1; got ${sampleEvery}`);
    const changed = (Object.keys(next) as (keyof CycleGANConfig)[]).filter((k) => next[k] !== this.config[k]);
    const structural = changed.filter((k) => !LIVE_KEYS.has(k));
    if (this.trainer && structural.length > 0) {
      if (this.looping)
        throw new EngineBusyError(`Pause or stop training to change ${structural.join(', ')}: it rebuilds the networks and restarts the run. Live while training: lr, lambdaA, lambdaB, lambdaIdentity, nEpochs, nEpochsDecay.`);
      this.disposeRun();
    }
    this.config = next;
    if (sampleEvery !== undefined) this.sampleEvery = sampleEvery;
    if (this.trainer && changed.some((k) => k === 'lr' || k.startsWith('lambda'))) await this.captureBeforeChange();
    if (this.trainer && changed.length > 0) {
      const t = this.trainer;
      t.setHyper({ lr: next.lr, lambdaA: next.lambdaA, lambdaB: next.lambdaB, lambdaIdentity: next.lambdaIdentity });
      // the schedule length is read from the config every iteration (totalIters, lr factor)
      Object.assign(t.config, { nEpochs: next.nEpochs, nEpochsDecay: next.nEpochsDecay });
    }
    return this.emitStatus();
  }

  private async ensureTrainer(): Promise<CycleGANTrainer> {
    if (this.trainer) return this.trainer;
    for (const d of ['A', 'B'] as const)
      if (this.domains[d].images.length === 0)
        throw new EmptyDomainError(`Domain ${d} has no images: load a folder of images into ${d}, or load a demo, before training.`);
    await this.ensureBackend();
    this.trainer = new CycleGANTrainer(this.config, { A: this.domains.A.images, B: this.domains.B.images });
    this.ckpt.newRun();
    this.completed = 0;
    this.msEma = 0;
    this.latestVisuals = null;
    await this.guard.capture(this.trainer); // iteration 0 is the first last good state
    return this.trainer;
  }

  private async start(): Promise<RunStatus> {
    if (this.looping) return this.status(); // double start: no-op
    const t = await this.ensureTrainer();
    if (t.done) throw this.completeError(t);
    this.running = true;
    this.looping = true;
    this.loopDone = this.loop(t);
    return this.emitStatus();
  }

  private async pause(): Promise<RunStatus> {
    this.running = false;
    await this.loopDone;
    return this.status();
  }

  private async stepOnce(): Promise<RunStatus> {
    if (this.looping) return this.status(); // training already: step is a no-op
    const t = await this.ensureTrainer();
    if (t.done) throw this.completeError(t);
    if (this.guard.due(t.iteration)) await this.guard.capture(t);
    this.lastMark = performance.now();
    try {
      await this.complete(t, this.enqueue(t, true));
    } catch (e) {
      if (!(e instanceof DivergedError || outOfMemory(e))) throw e;
      await this.failed(t, e); // rolled back, or a fatal fault: the events say so
    } finally {
      this.flush();
    }
    if (t.done) this.emitStatus();
    return this.status();
  }

  private async stop(): Promise<RunStatus> {
    this.running = false;
    await this.loopDone;
    this.flush();
    this.disposeRun();
    return this.emitStatus();
  }

  private async snapshot(): Promise<Pictures | null> {
    if (this.looping) return new Promise((resolve) => this.snapshotWaiters.push(resolve)); // the next iteration keeps its visuals
    if (!this.trainer) return this.latestVisuals?.images ?? null;
    return this.idleVisuals(this.trainer);
  }

  // ---------------------------------------------------------------------------------------------- the loop

  private async loop(t: CycleGANTrainer): Promise<void> {
    let inFlight: InFlight | null = null;
    try {
      await yieldToEventLoop(); // let start() answer before the first (on cpu/wasm: synchronous) iteration
      this.lastMark = performance.now();
      while (this.running && !t.done && this.trainer === t) {
        if (this.guard.due(t.iteration)) {
          await this.guard.capture(t); // between iterations: nothing else touches t meanwhile
          if (!this.running) break;
        }
        if (this.ckpt.due(t.iteration)) {
          const f = inFlight; // a checkpoint needs a boundary with nothing in flight: read k, capture, go on
          inFlight = null;
          if (f) await this.complete(t, f);
          await this.ckpt.atBarrier(t);
          continue;
        }
        const iter = t.iteration + 1;
        const withVisuals = iter === 1 || iter % this.sampleEvery === 0 || this.snapshotWaiters.length > 0;
        const next = this.enqueue(t, withVisuals); // enqueue k+1 …
        const prev = inFlight;
        inFlight = next;
        if (prev) await this.complete(t, prev); // … before reading k's losses: no stall per iteration
        await yieldToEventLoop();
      }
      const last = inFlight;
      inFlight = null;
      if (last) await this.complete(t, last);
      await this.ckpt.atLoopEnd(t, false); // pause / schedule done: save the state (and answer save requests)
    } catch (e) {
      if (inFlight) {
        // the iteration in flight has updated the weights already: record it if its losses can still be read
        // (not after a divergence: it ran on the bad weights, and the run goes back anyway)
        const f = inFlight;
        inFlight = null;
        if (e instanceof DivergedError) await this.drain(f);
        else await this.complete(t, f).catch(() => undefined);
      }
      await this.ckpt.atLoopEnd(t, true).catch(() => undefined); // answers save requests; a failed state is not autosaved
      await this.failed(t, e);
    } finally {
      this.running = false;
      this.guard.release();
      this.flush(); // the last points, still reported as 'training'
      const waiters = this.snapshotWaiters.splice(0);
      if (waiters.length) {
        const v = this.trainer === t && !this.disposed ? await this.idleVisuals(t).catch(() => null) : null;
        for (const w of waiters) w(v);
      }
      this.looping = false;
      this.emitStatus(); // the first status that says paused/done carries the final iteration
    }
  }

  /** Enqueues one iteration and the finite check of the weights it leaves. */
  private enqueue(t: CycleGANTrainer, withVisuals: boolean): InFlight {
    this.faults.beforeIteration(t);
    const it = t.runIteration(withVisuals);
    return { it, withVisuals, weights: watchWeights(t) };
  }

  /** Reads one iteration's losses (the GPU→CPU sync point) and, when kept, its images. */
  private async complete(t: CycleGANTrainer, f: InFlight): Promise<void> {
    let values;
    try {
      const [losses, weights] = await Promise.all([f.it.losses, f.weights]);
      const bad = nonFinite(losses, weights);
      if (bad) throw new DivergedError(f.it.iter, bad); // before its point is recorded: the run goes back
      values = losses;
    } catch (e) {
      tf.dispose([...Object.values(f.it.visuals), ...Object.values(f.it.taps)]); // tensors are never left behind, whatever failed
      throw e;
    }
    const now = performance.now();
    const ms = now - this.lastMark;
    this.lastMark = now;
    this.msEma = this.msEma === 0 ? ms : 0.8 * this.msEma + 0.2 * ms;
    this.completed = f.it.iter;
    const point = { iter: f.it.iter, epoch: f.it.epoch, lr: f.it.lr, values, ms };
    this.losses.push(point);
    this.ckpt.record(point);
    if (f.withVisuals) {
      const images = await this.publishVisuals(f.it.iter, f.it.visuals);
      await this.classroom.publishVerdicts(t, f.it, images); // the discriminators' view of the same iteration (disposes the taps)
    }
    if (t.done) this.running = false;
  }

  /** Lets an iteration finish without recording it. */
  private async drain(f: InFlight): Promise<void> {
    await Promise.all([f.it.losses, f.weights]).catch(() => undefined);
    tf.dispose([...Object.values(f.it.visuals), ...Object.values(f.it.taps)]);
  }

  // ---------------------------------------------------------------------------------------------- faults

  /** What an error in an iteration means: a divergence (roll back), out of memory (fatal), or anything else. */
  private async failed(t: CycleGANTrainer, e: unknown): Promise<void> {
    if (e instanceof DivergedError) return this.rollback(t, e);
    const { name, message } = errorInfo(e);
    if (outOfMemory(e)) return this.fatal('oom', message);
    // A lost device makes the reads in flight fail just before its `lost` report arrives: give the report a moment
    // (the run still counts as training meanwhile), since it explains the failure and restarts the worker.
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (this.broken) return;
    this.emit({
      type: 'error',
      error: { name, message: `Training paused at iteration ${this.completed} (${name}: ${message}). Press Train to retry from here, Stop to start over, or pick a smaller preset if the device ran out of memory.` },
    });
  }

  /** Replaces the diverged trainer by the last good state; the run is then idle (paused) at its iteration. */
  private async rollback(t: CycleGANTrainer, e: DivergedError): Promise<void> {
    this.flush(); // the good points before the bad one
    const restored = this.guard.restore({ A: this.domains.A.images, B: this.domains.B.images }, this.config);
    t.dispose();
    this.trainer = restored;
    if (!restored) this.disposeRun();
    this.completed = restored?.iteration ?? 0;
    this.msEma = 0;
    this.latestVisuals = null;
    const k = this.completed;
    const message = `Training diverged at iteration ${e.iter} (${e.what}). It was paused and rolled back to iteration ${k}, the last good state. ` +
      'Training on with the same settings will likely diverge again at the same point (the run is deterministic): lower the learning rate (e.g. halve it) or the λ weights first, or press Step to watch it iteration by iteration.';
    this.emit({ type: 'rolledBack', rollback: { iter: k, divergedAt: e.iter, what: e.what, message } });
    if (restored) await this.idleVisuals(restored).catch(() => undefined);
  }

  /**
   * The backend cannot go on (its device was lost, or memory ran out): stop, refuse further work, and tell the
   * UI, which restarts the worker (taking the last good state first). Called by the worker's device watcher.
   */
  fatal(kind: 'deviceLost' | 'oom', detail: string): void {
    if (this.broken || this.disposed) return;
    const backend = this.backend?.name ?? null;
    const message = kind === 'deviceLost'
      ? `The GPU device was lost (${detail}).`
      : `The ${backend ?? ''} backend ran out of memory (${detail}).`;
    this.broken = { kind, message, wasTraining: this.looping, backend, lastGood: this.guard.lastGood?.iteration ?? null };
    this.running = false;
    this.emit({ type: 'fault', fault: this.broken });
  }

  /** A live change of lr or λ can make a run diverge: keep the state from just before it. */
  private async captureBeforeChange(): Promise<void> {
    const captured = this.looping ? await this.guard.request() : false; // the loop captures between iterations
    const t = this.trainer;
    if (!captured && t && !this.looping && this.guard.lastGood?.iteration !== t.iteration) await this.guard.capture(t);
  }

  /** A run continued from a last good state (taken from a worker that had to be restarted). */
  private async restoreLastGood(lg: LastGoodState): Promise<RunStatus> {
    this.resetForDataChange('restore a saved state');
    for (const d of ['A', 'B'] as const)
      if (this.domains[d].images.length === 0) throw new EmptyDomainError(`Domain ${d} has no images: load the images the run was trained on first.`);
    await this.ensureBackend();
    if (!this.guard.adopt(lg)) throw new RangeError('The saved state has non-finite values; it cannot be restored.');
    const live = Object.fromEntries([...LIVE_KEYS].map((k) => [k, this.config[k]]));
    this.config = makeConfig({ ...lg.checkpoint.manifest.config, ...live });
    const t = this.guard.restore({ A: this.domains.A.images, B: this.domains.B.images }, this.config)!;
    this.trainer = t;
    this.completed = t.iteration;
    this.msEma = 0;
    this.latestVisuals = null;
    await this.idleVisuals(t);
    return this.emitStatus();
  }

  private async publishVisuals(iter: number, v: Visuals): Promise<Pictures> {
    const images = await picturesOf(v); // disposes the tensors
    this.latestVisuals = { iter, images };
    this.emit({ type: 'visuals', iter, images });
    for (const w of this.snapshotWaiters.splice(0)) w(images);
    return images;
  }

  private idleVisuals(t: CycleGANTrainer): Promise<Pictures> {
    return this.publishVisuals(this.completed, forwardVisuals(t));
  }

  // ---------------------------------------------------------------------------------------------- events

  /** Sends the batched loss points (and a status) now. */
  private flush(): void {
    this.losses.flush();
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

  private state(): RunState {
    if (!this.trainer) return this.domains.A.images.length > 0 && this.domains.B.images.length > 0 ? 'ready' : 'empty';
    if (this.running || this.looping) return 'training';
    return this.trainer.done ? 'done' : 'paused';
  }

  private status(): RunStatus {
    const t = this.trainer;
    const perEpoch = t ? t.itersPerEpoch : Math.max(this.domains.A.images.length, this.domains.B.images.length);
    const c = t ? t.config : this.config;
    return {
      state: this.state(),
      iter: this.completed,
      epoch: t ? c.epochCount + Math.floor(Math.max(0, this.completed - 1) / perEpoch) : c.epochCount,
      lr: t ? t.lr : c.lr,
      totalIters: t ? t.totalIters : Math.max(0, lastEpoch(c) - c.epochCount + 1) * perEpoch,
      itersPerEpoch: perEpoch,
      itsPerSec: this.msEma > 0 ? 1000 / this.msEma : 0,
      sampleEvery: this.sampleEvery,
    };
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
    this.domains = domains;
    this.config = { ...t.config };
    this.trainer = t;
    this.completed = t.iteration;
    restored(); // the loss history goes out before any status that shows the restored iteration
    this.domainChanged('A');
    this.domainChanged('B');
    await this.guard.capture(t); // the restored state is the run's first last good state
    await this.idleVisuals(t);
    return this.emitStatus();
  }

  private disposeRun(): void {
    this.ckpt.reset();
    if (this.trainer) this.trainer.dispose();
    this.trainer = null;
    this.guard.clear();
    this.losses.clear();
    this.completed = 0;
    this.msEma = 0;
    this.latestVisuals = null;
  }
}
