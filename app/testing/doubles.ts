/** Test doubles for the store's Node tests: a scripted EngineApi and loss points. Never imported by the app. */
import type { EngineEvent, LossPoint, Request, RequestKind, ReturnTypes, RunStatus, EngineApi } from '../../src/protocol/messages';
import { LOSS_NAMES } from '../constants';

export function point(iter: number, f: (iter: number, k: number) => number = (i, k) => 1 + k + Math.sin(i)): LossPoint {
  const values = Object.fromEntries(LOSS_NAMES.map((n, k) => [n, f(iter, k)])) as LossPoint['values'];
  return { iter, epoch: 1 + Math.floor((iter - 1) / 10), lr: 0.0002, values, ms: 5 };
}

export function status(p: Partial<RunStatus> = {}): RunStatus {
  return { state: 'ready', iter: 0, epoch: 1, lr: 0.0002, totalIters: 100, itersPerEpoch: 10, itsPerSec: 0, sampleEvery: 20, expectedIterMs: 0, ...p };
}

type Handler = { [K in RequestKind]?: (r: Extract<Request, { kind: K }>) => ReturnTypes[K] | Promise<ReturnTypes[K]> };

/** Answers requests with `handlers` (unhandled kinds reject, like an engine that refuses), records them, emits on demand. */
export class FakeEngine implements EngineApi {
  readonly calls: Request[] = [];
  private listeners = new Set<(e: EngineEvent) => void>();
  constructor(public handlers: Handler = {}) {}

  async call<K extends RequestKind>(request: Extract<Request, { kind: K }>): Promise<ReturnTypes[K]> {
    this.calls.push(request);
    const h = this.handlers[request.kind] as ((r: typeof request) => ReturnTypes[K]) | undefined;
    if (!h) throw Object.assign(new Error(`${request.kind} is not allowed now`), { name: 'StateError' });
    return h(request);
  }
  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}
