/**
 * What the engine does when an iteration fails: a divergence rolls the run back to its last good state, out of
 * memory or a lost device is fatal (the engine refuses further work; the worker's supervisor restarts it and
 * restores the last good state there), anything else pauses the run with the error. Every request passes through
 * `answer`: a broken engine refuses all but a few, and running out of memory in a request that trains is fatal too.
 */
import type { CycleGANConfig } from '../config';
import type { BackendInfo, FatalFault, RequestKind } from '../protocol/messages';
import { bytesText, checkFit, sizeLabel, WASM_LIMITS } from '../train/memoryFit';
import { errorInfo, errorText } from './errors';
import type { Events } from './events';
import { EngineFaultError } from './faults';
import { DivergedError } from './guard';
import type { TrainingLoop } from './loop';
import { outOfMemory } from '../backend/outOfMemory';
import type { Run } from './run';

/** The requests that build a run or run iterations: running out of memory in them is a fatal fault. */
const TRAINS = new Set<RequestKind>(['start', 'resume', 'step', 'stepPart', 'slowMotion']);

/** What a broken engine still answers: the supervisor's ping and rescue of the last good state, and test faults. */
const WHILE_BROKEN = new Set<RequestKind>(['ping', 'takeLastGood', 'injectFault']);

/** What recovery needs of the engine. */
export interface RecoveryHost {
  readonly events: Events;
  readonly loop: TrainingLoop;
  /** The run now (null: none). */
  run(): Run | null;
  /** The engine's config (the next run's, when there is none): what an out-of-memory message names. */
  config(): CycleGANConfig;
  backend(): BackendInfo | null;
  disposeRun(): void;
}

export class Recovery {
  /** A fatal fault: the worker must be restarted; the engine refuses further work. */
  broken: FatalFault | null = null;
  private closed = false;

  constructor(private readonly host: RecoveryHost) {}

  /** The engine was shut down: faults from now on are nobody's business. */
  close(): void {
    this.closed = true;
  }

  /** Answers a request with `handle`; once broken, refuses all but WHILE_BROKEN. Out of memory in TRAINS is fatal. */
  answer<T>(kind: RequestKind, handle: () => Promise<T>): Promise<T> {
    if (this.broken && !WHILE_BROKEN.has(kind))
      return Promise.reject(new EngineFaultError(`${this.broken.message} The studio restarts the engine; try again in a moment.`));
    const answer = handle();
    return TRAINS.has(kind) ? answer.catch((e) => this.rethrow(e)) : answer;
  }

  /**
   * A request that builds or runs iterations failed. Out of memory there (the weights did not fit, or a half-step's
   * activations) is as fatal as in the loop — an aborted wasm module is dead; anything else is rethrown as it is.
   */
  private rethrow(e: unknown): never {
    if (!outOfMemory(e)) throw e;
    this.fatal('oom', errorText(e));
    throw new EngineFaultError(`${this.broken?.message ?? 'Out of memory.'} The studio restarts the engine.`);
  }

  /** What an error in an iteration means: a divergence (roll back), out of memory (fatal), or anything else. */
  async failed(run: Run, e: unknown): Promise<void> {
    if (e instanceof DivergedError) return this.rollback(run, e);
    const { name, message } = errorInfo(e);
    if (outOfMemory(e)) return this.fatal('oom', errorText(e));
    // A lost device makes the reads in flight fail just before its `lost` report arrives: give the report a moment
    // (the run still counts as training meanwhile), since it explains the failure and restarts the worker.
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (this.broken) return;
    const k = this.host.run()?.completed ?? 0;
    this.host.events.emit({
      type: 'error',
      error: { name, message: `Training paused at iteration ${k} (${name}: ${message}). Press Train to retry from here, Stop to start over, or pick a smaller preset if the device ran out of memory.` },
    });
  }

  /** Replaces the diverged trainer by the last good state; the run is then idle (paused) at its iteration. */
  private async rollback(run: Run, e: DivergedError): Promise<void> {
    run.flush(); // the good points before the bad one
    const restored = run.rollBack();
    if (!restored) this.host.disposeRun();
    const k = this.host.run()?.completed ?? 0;
    const message = `Training diverged at iteration ${e.iter} (${e.what}). It was paused and rolled back to iteration ${k}, the last good state. ` +
      'Training on with the same settings will likely diverge again at the same point (the run is deterministic): lower the learning rate (e.g. halve it) or the λ weights first, or press Step to watch it iteration by iteration.';
    this.host.events.emit({ type: 'rolledBack', rollback: { iter: k, divergedAt: e.iter, what: e.what, message } });
    if (restored) await run.idleVisuals().catch(() => undefined);
  }

  /**
   * The backend cannot go on (its device was lost, or memory ran out): stop, refuse further work, and tell the
   * UI, whose supervisor restarts the worker (taking the last good state first).
   */
  fatal(kind: 'deviceLost' | 'oom', detail: string): void {
    if (this.broken || this.closed) return;
    const { loop } = this.host;
    const backend = this.host.backend()?.name ?? null;
    const message = kind === 'deviceLost' ? `The GPU device was lost (${detail}).` : this.oomMessage(detail);
    this.broken = { kind, message, wasTraining: loop.looping, backend, lastGood: this.host.run()?.guard.lastGood?.iteration ?? null };
    loop.running = false;
    this.host.events.emit({ type: 'fault', fault: this.broken });
  }

  /** What ran out, training what, and (where the backend's limit is known) what the estimate says it needs. */
  private oomMessage(detail: string): string {
    const c = this.host.config();
    const b = this.host.backend();
    const backend = b?.name ?? '';
    const fit = checkFit(c, b?.memory ?? (b?.name === 'wasm' ? WASM_LIMITS : {}));
    const estimate = fit && !fit.fits
      ? ` By estimate, this configuration needs about ${bytesText(fit.needBytes)}${fit.what === 'tensor' ? ' for its largest tensor' : ''}; ${backend} holds ${bytesText(fit.limitBytes)} at most.`
      : '';
    return `The ${backend} backend ran out of memory training ${sizeLabel(c)} (${detail}).${estimate}`;
  }
}
