/**
 * The worker side of the protocol: every request goes through one helper that posts exactly one `return` or
 * `throw` (errors as {name, message}); the engine's events are forwarded as they come.
 */
import { errorInfo } from '../engine/errors';
import type { FromWorker, ToWorker, EngineApi } from '../protocol/messages';
import { transfersOf } from '../protocol/transfer';

/** The part of DedicatedWorkerGlobalScope (or a MessagePort, in tests) the handler uses. */
export interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ToWorker>) => void): void;
}

export function serve(scope: WorkerScope, trainer: EngineApi): void {
  const post = (m: FromWorker, transfer: Transferable[] = []) => {
    try {
      scope.postMessage(m, transfer);
    } catch (e) {
      // e.g. a DataCloneError: the caller must still get an answer
      if (m.kind === 'return') scope.postMessage({ kind: 'throw', id: m.id, error: errorInfo(e) });
      else console.error('could not post', m.kind, e);
    }
  };
  trainer.onEvent((event) => post({ kind: 'event', event }));

  const answer = async ({ id, request }: ToWorker): Promise<void> => {
    try {
      const value = await trainer.call(request);
      post({ kind: 'return', id, value }, transfersOf(value)); // handed-over buffers move, the rest is copied
    } catch (e) {
      post({ kind: 'throw', id, error: errorInfo(e) });
    }
  };
  scope.addEventListener('message', (e) => void answer(e.data));
}
