/**
 * The main thread's EngineApi: the same interface as the in-process Engine, over postMessage to the worker.
 * Requests carry ids; each resolves with its `return` or rejects with a RemoteError (same name and message).
 * If the worker fails to load, crashes, or sends a message that cannot be read, every pending request is
 * rejected and an `error` event is raised — nothing hangs.
 *
 * Restartable (given `create`): an uncaught error in the running worker, or silence noticed by the watchdog
 * (a worker that closed itself or whose thread is stuck), terminates it and raises a `fault` event; the supervisor
 * (./supervisor.ts) then calls restart() for a fresh worker and sets it up again.
 */
import { RemoteError, WorkerCrashError } from '../engine/errors';
import type {
  BackendName, EngineEvent, FatalFault, FromWorker, Request, RequestKind, ReturnTypes, RunState, ToWorker, EngineApi,
} from '../protocol/messages';
import { Watchdog, type WatchdogOptions } from './watchdog';

/** The part of a Worker the client uses (a MessagePort works too, in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (e: Event) => void): void;
  terminate?(): void;
}

interface Pending {
  kind: RequestKind;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export interface WorkerEngineOptions {
  /** Makes a fresh worker for restart(); without it a crash is final. */
  create?: () => WorkerLike;
  /** Heartbeat (only with `create`): ping every intervalMs; unanswered for timeoutMs → the worker is gone. */
  watchdog?: WatchdogOptions;
}

export class WorkerEngine implements EngineApi {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private dead: Error | null = null;
  private generation = 0; // messages of a replaced worker are ignored
  private readonly watchdog: Watchdog | null;
  // what the last events said, for the fault report of a worker that can no longer say it
  private state: RunState = 'empty';
  private backend: BackendName | null = null;

  constructor(private worker: WorkerLike, private readonly opts: WorkerEngineOptions = {}) {
    this.watchdog = opts.create && opts.watchdog
      ? new Watchdog(opts.watchdog, () => void this.call({ kind: 'ping' }).catch(() => undefined), (ms) =>
          this.crashed('hang', `The training worker stopped answering (no reply for ${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s): it was stopped.`))
      : null;
    this.attach(worker);
  }

  get restartable(): boolean {
    return Boolean(this.opts.create);
  }

  /** Replaces the worker by a fresh one (after a fault): requests still pending are rejected. */
  restart(): void {
    if (!this.opts.create) throw new WorkerCrashError('This engine cannot be restarted; reload the page.');
    this.watchdog?.stop();
    this.worker.terminate?.();
    this.fail(new WorkerCrashError('The training worker was restarted; the request was cancelled.'), false, false);
    this.dead = null;
    this.state = 'empty';
    this.worker = this.opts.create();
    this.attach(this.worker);
  }

  private attach(worker: WorkerLike): void {
    const gen = ++this.generation;
    const live = () => gen === this.generation;
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      if (!live()) return;
      this.watchdog?.heard();
      this.receive(e.data);
    });
    worker.addEventListener('error', (e: Event) => {
      e.preventDefault?.();
      if (!live()) return;
      // an ErrorEvent with a message is an uncaught error in a running worker; a bare Event means it never loaded
      const runtime = typeof ErrorEvent !== 'undefined' && e instanceof ErrorEvent && Boolean(e.message);
      if (runtime && this.restartable) return this.crashed('crash', `The training worker crashed (${(e as ErrorEvent).message}).`);
      const msg = runtime
        ? `The training worker hit an unexpected error: ${(e as ErrorEvent).message}. Requests in flight were cancelled; press Stop and try again, or reload the page.`
        : 'The training worker could not start (its script failed to load). Reload the page; if it keeps failing, check the browser console.';
      this.fail(new WorkerCrashError(msg), !runtime);
    });
    worker.addEventListener('messageerror', () => {
      if (live()) this.fail(new WorkerCrashError('A message from the training worker could not be read. The last request was lost; try it again.'), false);
    });
    this.watchdog?.start();
  }

  /**
   * The worker failed: cancel what was pending and report a fault. A silent one is stopped at once; one that threw
   * still runs, so the UI can take its last good state before restart() replaces it.
   */
  private crashed(kind: 'crash' | 'hang', message: string): void {
    this.watchdog?.stop();
    if (kind === 'hang') {
      this.worker.terminate?.();
      this.generation++; // whatever it still sends is ignored
    }
    this.fail(new WorkerCrashError(`${message} The studio restarts it.`), kind === 'hang', false);
    const fault: FatalFault = { kind, message, wasTraining: this.state === 'training', backend: this.backend, lastGood: null };
    this.emit({ type: 'fault', fault });
  }

  call<K extends RequestKind>(request: Extract<Request, { kind: K }>): Promise<ReturnTypes[K]> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<ReturnTypes[K]>((resolve, reject) => {
      this.pending.set(id, { kind: request.kind, resolve: resolve as (v: unknown) => void, reject });
      try {
        this.worker.postMessage({ id, request });
      } catch (e) {
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.watchdog?.stop();
    this.fail(new WorkerCrashError('The training engine was shut down.'), true, false);
    this.worker.terminate?.();
  }

  private receive(m: FromWorker): void {
    if (m.kind === 'event') {
      const e = m.event;
      if (e.type === 'status') {
        this.state = e.status.state;
        this.watchdog?.expect(e.status.expectedIterMs); // a big config's first iteration may outlast the timeout
      }
      else if (e.type === 'backend') this.backend = e.info.name;
      else if (e.type === 'losses') for (const p of e.points) this.watchdog?.iteration(p.ms);
      return this.emit(e);
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.kind === 'return') p.resolve(m.value);
    else p.reject(new RemoteError(m.error));
  }

  /** Rejects every pending request; `fatal` refuses later ones too. */
  private fail(error: Error, fatal: boolean, announce = true): void {
    if (fatal) this.dead = error;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
    if (announce) this.emit({ type: 'error', error: { name: error.name, message: error.message } });
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }
}

/**
 * The studio's engine in a Web Worker, restartable, with a heartbeat. `faults` (TEST-ONLY, the page's ?faults=1)
 * starts the worker with fault injection enabled (its name carries the flag) and a short watchdog.
 */
export function createWorkerEngine(opts: { faults?: boolean } = {}): WorkerEngine {
  const name = opts.faults ? 'cyclegan-engine faults' : 'cyclegan-engine';
  const create = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name }) as unknown as WorkerLike;
  const watchdog = { intervalMs: 1000, timeoutMs: opts.faults ? 4000 : 60_000 };
  return new WorkerEngine(create(), { create, watchdog });
}
