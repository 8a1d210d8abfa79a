/**
 * Supervision of the training worker. After a fatal fault (the GPU device was lost, memory ran out, the worker
 * crashed or stopped answering) the worker is beyond saving: a fresh one is set up as the lost one was and the run
 * goes on there.
 *
 * The supervisor is the engine the page talks to: it passes every request on to the worker client and keeps a
 * journal of the setup that succeeded (./journal.ts) and the imported generators (./importedModels.ts), so it can
 * set a fresh worker up by itself. The page only says what happened (app/store/recovery.ts).
 *
 * The order of restart(): take the last good state from the old worker while it still answers (not after a hang,
 * and not after running out of memory with nothing trained yet: restoring iteration 0 only builds the same networks
 * again) → restart → the same backend (wasm when the GPU is what died) → the imported generators → the same images
 * and settings → the newer of the last good state and the run's last save → training resumed if it was running.
 * Out of memory pauses instead: the same settings would run out again. A restart that fails again before any
 * iteration completed is not resumed automatically (no restart loops).
 */
import type {
  BackendInfo, BackendName, CheckpointSummary, EngineApi, EngineEvent, FatalFault, LastGoodState, Request, RequestKind, ReturnTypes, RunStatus,
} from '../protocol/messages';
import { ImportedModels } from './importedModels';
import { Journal, type SetUpFailure } from './journal';

/** An engine that can be replaced by a fresh one (the worker client). */
export interface Restartable extends EngineApi {
  restart(): void;
}

export type Outcome =
  | { ok: false; failed: SetUpFailure }
  | {
      ok: true;
      /** What the fresh worker runs on. */
      backend: BackendInfo;
      /** The iteration the run was restored at (null: nothing could be kept). */
      at: number | null;
      from: 'the last good state' | 'the last autosave';
      /** The save it resumed from (when `from` is the last autosave). */
      save: CheckpointSummary | null;
      /** The run's status once restored (and resumed): null when no step answered with one. */
      status: RunStatus | null;
      /** Requests of the restore that were refused, with what was being done (the page shows them as errors). */
      refused: { context: string; error: unknown }[];
      resumed: boolean;
      /** It failed again right after a restart. */
      again: boolean;
      /** The GPU is what failed: the run moved to wasm. */
      gpuDied: boolean;
    };

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T | null> =>
  Promise.race([p.catch(() => null), new Promise<null>((r) => setTimeout(() => r(null), ms))]);

export class Supervisor implements EngineApi {
  /** Restarts since an iteration last completed. */
  attempts = 0;
  /** The backend a restart moved to (wasm after a GPU loss), kept for later restarts; null: the one first asked for. */
  backend: 'wasm' | null = null;
  /** The backend whose device was lost when the run moved; null: no move. */
  movedFrom: BackendName | null = null;
  private readonly journal = new Journal();
  private readonly models = new ImportedModels();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private restarting = false;

  constructor(private readonly engine: Restartable) {
    engine.onEvent((e) => this.heard(e));
  }

  async call<K extends RequestKind>(request: Extract<Request, { kind: K }>): Promise<ReturnTypes[K]> {
    const value = await this.engine.call(this.models.toWorker(request));
    this.journal.record(request, value);
    return this.models.toPage(request, value);
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.listeners.clear();
    this.engine.dispose();
  }

  /** A fresh worker with the same backend, generators, images and settings; the run restored. */
  async restart(f: FatalFault): Promise<Outcome> {
    this.attempts += 1;
    this.restarting = true;
    try {
      return await this.restartAfter(f);
    } finally {
      this.restarting = false;
    }
  }

  private async restartAfter(f: FatalFault): Promise<Outcome> {
    const engine = this.engine;
    const keep = f.kind !== 'hang' && !(f.kind === 'oom' && !f.lastGood);
    const lastGood: LastGoodState | null = keep ? await withTimeout(engine.call({ kind: 'takeLastGood' }), 5000) : null;
    engine.restart();

    const gpuDied = f.kind === 'deviceLost' && (f.backend === 'webgpu' || f.backend === 'webgl');
    if (gpuDied) [this.backend, this.movedFrom] = ['wasm', f.backend]; // not the setting: changing that reloads the page
    const init = { ...(this.journal.init ?? { kind: 'init' as const }), backend: this.backend ?? this.journal.init?.backend ?? 'auto' };
    const backend = await engine.call(init).catch(() => null);
    if (!backend) return { ok: false, failed: { step: 'backend', backend: init.backend } };
    const reimported = await this.models.reimport(engine); // the imported generators lived in the old worker
    if (reimported) this.emit({ type: 'importedModels', ...reimported });
    const failed = await this.journal.replay(engine);
    if (failed) return { ok: false, failed };

    const refused: { context: string; error: unknown }[] = [];
    const request = <K extends 'resumeCheckpoint' | 'restoreLastGood' | 'start'>(r: Extract<Request, { kind: K }>, context: string) =>
      engine.call(r).catch((error: unknown) => (refused.push({ context, error }), null));

    // the newer of the old worker's in-memory last good state and the run's last save (IndexedDB)
    const saved = this.journal.last;
    const newer = saved && (lastGood === null || saved.iter > lastGood.iteration) ? saved : null;
    let status = newer ? await request({ kind: 'resumeCheckpoint', id: newer.id }, 'Could not resume the saved run') : null;
    const save = status ? newer : null;
    if (!status && lastGood) status = await request({ kind: 'restoreLastGood', lastGood }, 'Could not restore the last good state');
    const at = status?.iter ?? null;

    const again = this.attempts > 1;
    const resumed = f.wasTraining && f.kind !== 'oom' && !again;
    if (resumed) status = (await request({ kind: 'start' }, at !== null ? 'Could not resume training' : 'Could not start training')) ?? status;
    return { ok: true, backend, at, from: save ? 'the last autosave' : 'the last good state', save, status, refused, resumed, again, gpuDied };
  }

  private heard(e: EngineEvent): void {
    if (e.type === 'losses' && !this.restarting) this.attempts = 0; // an iteration completed: the run is healthy again
    if (e.type === 'importedModels') {
      if (this.restarting) return; // the fresh worker's list while it is refilled: restart() says how it ended
      e = { ...e, models: this.models.list(e.models) };
    }
    this.journal.heard(e);
    this.emit(e);
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }
}

/** The supervisor behind the page's engine, if it has one (not in tests with a scripted engine). */
export const supervisorOf = (e: EngineApi | null): Supervisor | null => (e instanceof Supervisor ? e : null);
