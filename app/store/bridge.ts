/** Connects an engine to the store: every event goes through the store's reducer; then the engine starts. */
import type { BackendChoice, EngineApi } from '../../src/protocol/messages';
import type { StudioStore } from './index';

export function connectEngine(engine: EngineApi, store: StudioStore, backend: BackendChoice): () => void {
  const off = engine.onEvent((e) => store.getState().applyEvent(e));
  void store.getState().init(backend);
  return off;
}
