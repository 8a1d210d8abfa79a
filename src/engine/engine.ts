/**
 * The in-process engine: every protocol request, on top of at most one training Run (./run.ts). The worker serves
 * it to the UI; Node tests and tools call it directly. Decoding and backend setup are injected (browser vs Node).
 * The engine keeps the request table, the serial queue, the backend, the images and the config.
 *
 * Rules (what the UI can rely on):
 * - State is derived, never stored: no run → 'empty' | 'ready'; a run and the loop running → 'training';
 *   a run idle → 'paused', or 'done' once the schedule is complete.
 * - Requests that change state run one at a time, in arrival order. The training loop is not one of them, so
 *   pause/stop/step are answered after at most the iteration in flight; pause and stop resolve once it has stopped.
 * - start: ready → a new run from the seed; paused → resume; training → no-op; done → ScheduleCompleteError.
 *   step: ready/paused → exactly one iteration (with visuals); training → no-op. stop: disposes the run.
 * - configure: LIVE_KEYS and sampleEvery apply from the next iteration, even while training. Any other change,
 *   new images, or a backend switch rebuilds the run: refused while training (EngineBusyError), else disposed.
 * - Losses: one point per iteration, in batches at most every `lossFlushMs`. Nothing fails silently.
 *
 * One iteration, from `start` to the `losses` event: TrainingLoop.iterate (./loop.ts) → Run.enqueue → Run.record
 * → Recorder.add (./recorder.ts) → a batched `losses` event. A failure goes to Recovery.failed (./recovery.ts).
 */
import { makeConfig, type CycleGANConfig } from '../config';
import type { BackendChoice, BackendInfo, EngineApi, EngineEvent, LastGoodState, OfficialRunImport, Request, RequestKind, ReturnTypes, RunStatus } from '../protocol/messages';
import { Backend } from './backend';
import { Classroom } from './classroom';
import { CheckpointNotFoundError, Checkpoints, type SavedRun } from './checkpoints';
import { MemoryCheckpointStore } from '../io/checkpointStore';
import { applyLive, planConfigure } from './configure';
import { EngineBusyError } from './errors';
import { Events } from './events';
import { exportRun } from './export';
import { exportPytorch, readOfficialRun } from './official';
import { Faults } from './faults';
import { ImageDomains } from './imageDomains';
import { TrainingLoop } from './loop';
import { runSettings, type EngineOptions } from './options';
import { Recovery } from './recovery';
import { Run, type RunEnv } from './run';
import { serialQueue } from './serial';
import { runStatus } from './status';
import { Translator } from './translate';

export type { EngineOptions } from './options';

export class Engine implements EngineApi {
  private config: CycleGANConfig = makeConfig();
  private run: Run | null = null;
  private readonly serial = serialQueue(); // the requests that change state
  private disposed = false;
  private readonly events = new Events(() => this.status());
  private readonly env: RunEnv;
  private readonly domains: ImageDomains;
  private readonly ckpt: Checkpoints;
  private readonly translator: Translator;
  private readonly backend: Backend;
  private readonly loop = new TrainingLoop({
    failed: (run, e) => this.recovery.failed(run, e),
    stopped: (run, t) => run.gallery.answer(async () => (this.run === run && run.trainer === t && !this.disposed ? run.idleVisuals() : null)),
  });
  private readonly recovery: Recovery = new Recovery({
    events: this.events, loop: this.loop, run: () => this.run, config: () => this.config, backend: () => this.backend.info, disposeRun: () => this.disposeRun(),
  });
  private readonly classroom = new Classroom({ loop: this.loop, serial: (f) => this.serial(f), run: () => this.ensureRun(), current: () => this.run });

  constructor(opts: EngineOptions) {
    this.domains = new ImageDomains(opts.decode, this.events);
    this.ckpt = new Checkpoints(opts.checkpointStore ?? new MemoryCheckpointStore(), this.domains, this.events);
    this.env = { events: this.events, faults: new Faults(opts.faults), shelf: this.ckpt, settings: runSettings(opts) };
    const generators = () => (this.run ? { G_A: this.run.trainer.models.G_A, G_B: this.run.trainer.models.G_B, iter: this.run.completed } : null);
    this.translator = new Translator({ decode: opts.decode, run: generators, emit: (e) => this.events.emit(e) });
    this.backend = new Backend(opts.setupBackend, this.translator, this.events);
  }

  private readonly handlers: { [K in RequestKind]: (r: Extract<Request, { kind: K }>) => Promise<ReturnTypes[K]> } = {
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
    pause: () => this.serial(async () => (await this.loop.halt(), this.status())),
    step: () => this.serial(() => this.stepOnce()),
    stop: () => this.serial(async () => (await this.loop.halt(), this.run?.flush(), this.disposeRun(), this.events.status())),
    snapshot: async () => (this.loop.looping && this.run ? this.run.gallery.next() : this.run?.idleVisuals() ?? null), // not queued: it only reads the weights; while training, the next iteration keeps its visuals
    // ── models ──
    exportModel: () => exportRun(this.run?.trainer ?? null, { A: this.domains.data.A.source, B: this.domains.data.B.source }), // not queued: it snapshots the weights
    exportPytorch: () => exportPytorch(this.run?.trainer ?? null, this.domains.data), // not queued: it snapshots the weights
    importOfficialRun: (r) => this.serial(() => this.importOfficialRun(r.files)),
    translate: (r) => this.translator.translate(r.source, r.direction, r.file), // not queued: reads the weights between iterations
    importGenerator: (r) => this.serial(() => this.translator.importGenerator(r.files)),
    dropImportedModel: (r) => this.serial(async () => this.translator.drop(r.id)),
    // ── checkpoints ──
    listCheckpoints: () => this.ckpt.list(),
    resumeCheckpoint: (r) => this.serial(async () => (this.refuseWhileTraining('resume a saved run'), this.adopt(await this.ckpt.resume(r.id)))),
    saveCheckpoint: () => this.serial(async () => this.saving((r) => r.saves.saveNow(r.trainer, this.loop.looping))),
    downloadCheckpoint: () => this.serial(async () => this.saving((r) => r.saves.download(r.trainer, this.loop.looping))),
    loadCheckpoint: (r) => this.serial(async () => (this.refuseWhileTraining('load a checkpoint'), this.adopt(await this.ckpt.load(r.file), 'loaded'))),
    deleteCheckpoint: (r) => this.ckpt.delete(r.id),
    // ── faults ──
    ping: async () => true,
    takeLastGood: async () => this.run?.guard.lastGood ?? null, // not queued: the loop may be stuck on a lost device
    restoreLastGood: (r) => this.serial(() => this.restoreLastGood(r.lastGood)),
    injectFault: async (r) => this.env.faults.inject(r.fault, (m) => this.fatal('deviceLost', m)),
    // ── classroom ──
    stepPart: (r) => this.classroom.step(r.part),
    slowMotion: () => this.classroom.slowMotion(),
    netDigest: () => this.classroom.digest(),
  };

  call<K extends RequestKind>(request: Extract<Request, { kind: K }>): Promise<ReturnTypes[K]> {
    if (this.disposed) return Promise.reject(new EngineBusyError('The engine was shut down; reload the page.'));
    const handler = this.handlers[request.kind] as (r: Extract<Request, { kind: K }>) => Promise<ReturnTypes[K]>;
    return this.recovery.answer(request.kind, () => handler(request)); // a broken engine refuses most requests
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    return this.events.listen(listener);
  }

  /** Stops the loop and frees every tensor (asynchronously: the iteration in flight is read first). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.recovery.close();
    this.loop.running = false;
    void this.loop.done.then(() => (this.disposeRun(), this.translator.dispose()));
  }

  /** Resolves when the training loop (if any) has stopped; for tests and tools. */
  idle(): Promise<void> {
    return this.loop.done;
  }

  /** The backend cannot go on (its device was lost, or memory ran out); called by the worker's device watcher. */
  fatal(kind: 'deviceLost' | 'oom', detail: string): void {
    this.recovery.fatal(kind, detail);
  }

  // ---------------------------------------------------------------------------------------------- requests

  private async init(choice: BackendChoice, threads?: number): Promise<BackendInfo> {
    if (this.backend.info?.requested === choice) return this.backend.info;
    if (this.loop.looping) throw new EngineBusyError('Stop training before switching the backend (the run lives on the current one).');
    this.disposeRun(); // tensors belong to the old backend
    return this.backend.start(choice, threads);
  }

  /** Images are what a run trains on: refuse while training, dispose an idle run. */
  private resetForDataChange(what: string): void {
    if (this.loop.looping) throw new EngineBusyError(`Pause or stop training to ${what}: the run trains on the images it started with.`);
    this.disposeRun();
  }

  private refuseWhileTraining(what: string): void {
    if (this.loop.looping) throw new EngineBusyError(`Pause or stop training to ${what}: the current run would be replaced.`);
  }

  private async configure(partial: Partial<CycleGANConfig>, sampleEvery: number | undefined): Promise<RunStatus> {
    const plan = planConfigure(this.config, partial, sampleEvery, { exists: !!this.run, training: this.loop.looping });
    if (plan.rebuild) this.disposeRun();
    this.config = plan.next;
    if (sampleEvery !== undefined) this.env.settings.sampleEvery = sampleEvery;
    if (this.run && plan.risky) await this.run.captureBeforeChange(() => this.loop.looping);
    if (this.run && plan.changed.length > 0) applyLive(this.run.trainer, plan.next);
    return this.events.status();
  }

  /** The run; a new one from the seed on the current images and config when there is none. */
  private async ensureRun(): Promise<Run> {
    if (this.run) return this.run;
    const images = this.domains.trainable((d) => `load a folder of images into ${d}, or load a demo, before training.`);
    await this.backend.ensure();
    const run = (this.run = Run.fresh(this.config, images, this.env));
    await run.guard.capture(run.trainer); // iteration 0 is the first last good state
    return run;
  }

  private async start(): Promise<RunStatus> {
    if (this.loop.looping) return this.status(); // double start: no-op
    this.loop.start(await this.ensureRun());
    return this.events.status();
  }

  private async stepOnce(): Promise<RunStatus> {
    if (this.loop.looping) return this.status(); // training already: step is a no-op
    await this.loop.step(await this.ensureRun());
    return this.status();
  }

  /** A request that saves the run: there must be one. */
  private saving<T>(f: (run: Run) => Promise<T>): Promise<T> {
    if (!this.run) throw new CheckpointNotFoundError('There is no run to save yet: train (or step) at least once.');
    return f(this.run);
  }

  /** A saved run (checkpoints.ts) replaces the current one: its images, config and trainer. A loaded file is kept in this browser too. */
  private async adopt(saved: SavedRun, loaded?: 'loaded'): Promise<RunStatus> {
    this.disposeRun();
    this.events.status(); // iteration 0: the UI drops the old run's charts and images
    const run = Run.fromSaved(saved, this.env); // its loss history goes out before any status that shows its iteration
    const status = await this.install(run, { ...saved.trainer.config }, saved.domains);
    if (loaded && this.run) await this.run.saves.keep(this.run.trainer, loaded);
    return { ...status, iter: run.trainer.iteration };
  }

  /** The official trainer's four networks become a new run on the loaded images (./official.ts). */
  private async importOfficialRun(files: File[]): Promise<OfficialRunImport> {
    this.refuseWhileTraining('continue a PyTorch run');
    const images = this.domains.trainable((d) => `load the images to train on into ${d} first (the .pth files hold only the networks).`);
    const read = await readOfficialRun(files, this.config); // throws PthError naming the file, changing nothing
    await this.backend.ensure();
    this.disposeRun();
    return { status: await this.install(Run.fromOfficial(read, images, this.env), read.config), config: { ...read.config }, changed: read.changed };
  }

  /** A run continued from a last good state (taken from a worker that had to be restarted). */
  private async restoreLastGood(lg: LastGoodState): Promise<RunStatus> {
    this.resetForDataChange('restore a saved state');
    const images = this.domains.trainable(() => 'load the images the run was trained on first.');
    await this.backend.ensure();
    const run = Run.fromLastGood(lg, images, this.config, this.env); // throws on a bad state, changing nothing
    return this.install(run, { ...run.trainer.config }); // the saved run's config, with the live knobs as they are now
  }

  /**
   * A new run takes the place of the old (already disposed) one, with its config and, from a checkpoint, its images.
   * Its first last good state is the one it starts from, unless it brought one; then its pictures and status go out.
   */
  private async install(run: Run, config: CycleGANConfig, domains?: SavedRun['domains']): Promise<RunStatus> {
    this.run = run;
    this.config = config;
    if (domains) this.domains.replace(domains); // sends a status: the run's loss history has gone out already
    if (!run.guard.lastGood) await run.guard.capture(run.trainer);
    await run.idleVisuals();
    return this.events.status();
  }

  private disposeRun(): void {
    this.run?.dispose();
    this.run = null;
  }

  private status(): RunStatus {
    const r = this.run, training = this.loop.running || this.loop.looping;
    return runStatus({ trainer: r?.trainer ?? null, completed: r?.completed ?? 0, msPerIter: r?.recorder.msPerIter ?? 0, config: this.config,
      imageCounts: this.domains.counts(), training, sampleEvery: this.env.settings.sampleEvery, backend: this.backend.info?.name ?? null });
  }
}
