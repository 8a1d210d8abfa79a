/** The engine's outbox: every event goes to every listener; a listener that throws never stops the others. */
import type { EngineEvent, RunStatus } from '../protocol/messages';

export class Events {
  private readonly listeners = new Set<(e: EngineEvent) => void>();

  /** @param current the run's status as it is now (derived, never stored) */
  constructor(private readonly current: () => RunStatus) {}

  listen(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        console.error('engine event listener failed', err);
      }
    }
  }

  /** Sends the status as it is now, and returns it. */
  status(): RunStatus {
    const status = this.current();
    this.emit({ type: 'status', status });
    return status;
  }
}
