/**
 * What the engine does when an iteration fails (issue 5): a divergence rolls the run back to the last good state,
 * out of memory or a lost device is fatal (the UI restarts the worker and restores the last good state there),
 * anything else pauses the run with the error. Also the "last good" capture before a live lr/λ change.
 */
import { makeConfig, type CycleGANConfig } from '../config';
import type { BackendName, EngineEvent, FatalFault, LastGoodState, RunStatus } from '../protocol/messages';
import { bytesText, checkFit, sizeLabel, type MemoryLimits } from '../train/memoryFit';
import type { CycleGANTrainer, Domains } from '../train/trainer';
import { LIVE_KEYS } from './configure';
import { EmptyDomainError, errorInfo, errorText } from './errors';
import { outOfMemory } from './outOfMemory';
import { DivergedError, type Guard } from './guard';

/** What recovery needs of the engine. */
export interface RecoveryHost {
  readonly guard: Guard;
  images(): Domains;
  config(): CycleGANConfig;
  setConfig(c: CycleGANConfig): void;
  trainer(): CycleGANTrainer | null;
  /** Makes `t` the run (null: no run), at its own iteration, with fresh timing and no pictures yet. */
  install(t: CycleGANTrainer | null): void;
  disposeRun(): void;
  completed(): number;
  disposed(): boolean;
  looping(): boolean;
  stopLoop(): void;
  backendName(): BackendName | null;
  /** What the backend can hold, as far as known (for the out-of-memory message). */
  memoryLimits(): MemoryLimits;
  /** Resets an idle run for new state; refuses while training. */
  resetForDataChange(what: string): void;
  ensureBackend(): Promise<void>;
  idleVisuals(t: CycleGANTrainer): Promise<unknown>;
  flush(): void;
  emit(e: EngineEvent): void;
  emitStatus(): RunStatus;
}

export class Recovery {
  /** A fatal fault: the worker must be restarted; the engine refuses further work. */
  broken: FatalFault | null = null;

  constructor(private readonly host: RecoveryHost) {}

  /** What an error in an iteration means: a divergence (roll back), out of memory (fatal), or anything else. */
  async failed(t: CycleGANTrainer, e: unknown): Promise<void> {
    if (e instanceof DivergedError) return this.rollback(t, e);
    const { name, message } = errorInfo(e);
    if (outOfMemory(e)) return this.fatal('oom', errorText(e));
    // A lost device makes the reads in flight fail just before its `lost` report arrives: give the report a moment
    // (the run still counts as training meanwhile), since it explains the failure and restarts the worker.
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (this.broken) return;
    this.host.emit({
      type: 'error',
      error: { name, message: `Training paused at iteration ${this.host.completed()} (${name}: ${message}). Press Train to retry from here, Stop to start over, or pick a smaller preset if the device ran out of memory.` },
    });
  }

  /** Replaces the diverged trainer by the last good state; the run is then idle (paused) at its iteration. */
  private async rollback(t: CycleGANTrainer, e: DivergedError): Promise<void> {
    const h = this.host;
    h.flush(); // the good points before the bad one
    const restored = h.guard.restore(h.images(), h.config());
    t.dispose();
    h.install(restored);
    if (!restored) h.disposeRun();
    const k = h.completed();
    const message = `Training diverged at iteration ${e.iter} (${e.what}). It was paused and rolled back to iteration ${k}, the last good state. ` +
      'Training on with the same settings will likely diverge again at the same point (the run is deterministic): lower the learning rate (e.g. halve it) or the λ weights first, or press Step to watch it iteration by iteration.';
    h.emit({ type: 'rolledBack', rollback: { iter: k, divergedAt: e.iter, what: e.what, message } });
    if (restored) await h.idleVisuals(restored).catch(() => undefined);
  }

  /**
   * The backend cannot go on (its device was lost, or memory ran out): stop, refuse further work, and tell the
   * UI, which restarts the worker (taking the last good state first). Called by the worker's device watcher.
   */
  fatal(kind: 'deviceLost' | 'oom', detail: string): void {
    if (this.broken || this.host.disposed()) return;
    const backend = this.host.backendName();
    const message = kind === 'deviceLost' ? `The GPU device was lost (${detail}).` : this.oomMessage(detail);
    this.broken = { kind, message, wasTraining: this.host.looping(), backend, lastGood: this.host.guard.lastGood?.iteration ?? null };
    this.host.stopLoop();
    this.host.emit({ type: 'fault', fault: this.broken });
  }

  /** What ran out, training what, and (where the backend's limit is known) what the estimate says it needs. */
  private oomMessage(detail: string): string {
    const c = this.host.config();
    const backend = this.host.backendName() ?? '';
    const fit = checkFit(c, this.host.memoryLimits());
    const estimate = fit && !fit.fits
      ? ` By estimate, this configuration needs about ${bytesText(fit.needBytes)}${fit.what === 'tensor' ? ' for its largest tensor' : ''}; ${backend} holds ${bytesText(fit.limitBytes)} at most.`
      : '';
    return `The ${backend} backend ran out of memory training ${sizeLabel(c)} (${detail}).${estimate}`;
  }

  /** A live change of lr or λ can make a run diverge: keep the state from just before it. */
  async captureBeforeChange(): Promise<void> {
    const h = this.host;
    const captured = h.looping() ? await h.guard.request() : false; // the loop captures between iterations
    const t = h.trainer();
    if (!captured && t && !h.looping() && h.guard.lastGood?.iteration !== t.iteration) await h.guard.capture(t);
  }

  /** A run continued from a last good state (taken from a worker that had to be restarted). */
  async restoreLastGood(lg: LastGoodState): Promise<RunStatus> {
    const h = this.host;
    h.resetForDataChange('restore a saved state');
    const images = h.images();
    for (const d of ['A', 'B'] as const)
      if (images[d].length === 0) throw new EmptyDomainError(`Domain ${d} has no images: load the images the run was trained on first.`);
    await h.ensureBackend();
    if (!h.guard.adopt(lg)) throw new RangeError('The saved state has non-finite values; it cannot be restored.');
    const current = h.config();
    const live = Object.fromEntries([...LIVE_KEYS].map((k) => [k, current[k]]));
    h.setConfig(makeConfig({ ...lg.checkpoint.manifest.config, ...live }));
    const t = h.guard.restore(images, h.config())!;
    h.install(t);
    await h.idleVisuals(t);
    return h.emitStatus();
  }
}
