/**
 * The main thread's Trainer: the same interface as the in-process Engine, over postMessage to the worker.
 * Requests carry ids; each resolves with its `return` or rejects with a RemoteError (same name and message).
 * If the worker fails to load, crashes, or sends a message that cannot be read, every pending request is
 * rejected and an `error` event is raised — nothing hangs.
 */
import { RemoteError, WorkerCrashError } from '../engine/errors';
import type { EngineEvent, FromWorker, Request, RequestKind, ReturnTypes, ToWorker, Trainer } from '../protocol/messages';

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

export class WorkerTrainer implements Trainer {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private dead: Error | null = null;

  constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => this.receive(e.data));
    worker.addEventListener('error', (e: Event) => {
      e.preventDefault?.();
      // an ErrorEvent with a message is an uncaught error in a running worker; a bare Event means it never loaded
      const runtime = typeof ErrorEvent !== 'undefined' && e instanceof ErrorEvent && Boolean(e.message);
      const msg = runtime
        ? `The training worker hit an unexpected error: ${(e as ErrorEvent).message}. Requests in flight were cancelled; press Stop and try again, or reload the page.`
        : 'The training worker could not start (its script failed to load). Reload the page; if it keeps failing, check the browser console.';
      this.fail(new WorkerCrashError(msg), !runtime);
    });
    worker.addEventListener('messageerror', () =>
      this.fail(new WorkerCrashError('A message from the training worker could not be read. The last request was lost; try it again.'), false),
    );
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
    this.fail(new WorkerCrashError('The training engine was shut down.'), true, false);
    this.worker.terminate?.();
  }

  private receive(m: FromWorker): void {
    if (m.kind === 'event') return this.emit(m.event);
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

export function createWorkerTrainer(): Trainer {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'cyclegan-engine' });
  return new WorkerTrainer(worker as unknown as WorkerLike);
}
