/**
 * Every request to the engine goes through `callEngine`: it counts the request as pending (so its
 * button disables itself), and turns a rejection into an error banner — nothing is swallowed (a refusal after a
 * fatal fault is told by the recovery banner instead).
 */
import type { Request, RequestKind, ReturnTypes } from '../../src/protocol/messages';
import type { StoreApi } from 'zustand/vanilla';
import type { Studio, StudioDeps } from './types';

export type CallResult<T> = { ok: true; value: T } | { ok: false };

export type CallEngine = <K extends RequestKind>(
  request: Extract<Request, { kind: K }>,
  context: string,
) => Promise<CallResult<ReturnTypes[K]>>;

export function makeCallEngine(store: Pick<StoreApi<Studio>, 'getState' | 'setState'>, deps: StudioDeps): CallEngine {
  const bump = (kind: RequestKind, by: number) =>
    store.setState((s) => {
      const n = (s.run.pending[kind] ?? 0) + by;
      const pending = { ...s.run.pending };
      if (n > 0) pending[kind] = n;
      else delete pending[kind];
      return { run: { ...s.run, pending } };
    });

  return async (request, context) => {
    const engine = deps.engine();
    if (!engine) {
      store.getState().pushError(context, { name: 'EngineUnavailable', message: 'The training engine is not running (see the error above); reload the page to retry.' });
      return { ok: false };
    }
    bump(request.kind, +1);
    try {
      return { ok: true, value: await engine.call(request) };
    } catch (e) {
      // refused because the engine hit a fatal fault (out of memory, lost device): the recovery banner tells that story
      if ((e as { name?: unknown } | null)?.name !== 'EngineFaultError') store.getState().pushError(context, e);
      return { ok: false };
    } finally {
      bump(request.kind, -1);
    }
  };
}
