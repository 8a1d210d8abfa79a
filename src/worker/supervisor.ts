/**
 * Supervision of the training worker. After a fatal fault (the GPU device was lost, memory ran out, the worker
 * crashed or stopped answering) the worker is beyond saving: a fresh one is set up as the lost one was and the run
 * goes on there.
 *
 * The order: take the last good state from the old worker while it still answers (not after a hang, and not after
 * running out of memory with nothing trained yet: restoring iteration 0 only builds the same networks again) →
 * restart → the same backend (wasm when the GPU is what died) → the same images and settings → the newer of the
 * last good state and this run's last autosave → training resumed if it was running. Out of memory pauses instead:
 * the same settings would run out again. A restart that fails again before any iteration completed is not
 * resumed automatically (no restart loops).
 *
 * The page does the steps that also change what it shows (the Page port); the supervisor decides what to do.
 */
import type { BackendChoice, BackendName, EngineApi, FatalFault, LastGoodState, Request, ReturnTypes } from '../protocol/messages';

/** An engine that can be replaced by a fresh one (the worker client). */
export interface Restartable extends EngineApi {
  restart(): void;
}

export const restartable = (e: EngineApi | null): Restartable | null =>
  e && typeof (e as Partial<Restartable>).restart === 'function' ? (e as Restartable) : null;

/** What the page does for the supervisor; each step also updates what the page shows. */
export interface Page {
  /** Sets the fresh worker up as the lost one was: `backend`, imported generators, images, settings. Null when
   * done, else what failed ("the wasm backend did not start"). */
  setUp(backend: BackendChoice): Promise<string | null>;
  /** This run's last autosave, resumed when newer than `than`: the iteration it is at, or null. */
  resumeAutosave(than: number | null): Promise<number | null>;
  /** A request as the page makes it (pending, an error banner on refusal; null then); a status it returns is shown. */
  request<K extends 'restoreLastGood' | 'start'>(request: Extract<Request, { kind: K }>, context: string): Promise<ReturnTypes[K] | null>;
  /** The run was restored at iteration `at` (its charts are cut back to it), or nothing could be kept (null). */
  restored(at: number | null): void;
  /** Sends the settings and starts a new run, as Train does. */
  train(): Promise<void>;
}

export type Outcome =
  | { ok: false; why: string }
  | {
      ok: true;
      /** The iteration the run was restored at (null: nothing could be kept). */
      at: number | null;
      from: 'the last good state' | 'the last autosave';
      resumed: boolean;
      /** It failed again right after a restart. */
      again: boolean;
      /** The GPU is what failed: the run moved to wasm. */
      gpuDied: boolean;
    };

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T | null> =>
  Promise.race([p.catch(() => null), new Promise<null>((r) => setTimeout(() => r(null), ms))]);

export class Supervisor {
  /** Restarts since an iteration last completed. */
  attempts = 0;
  /** The backend a restart moved to (wasm after a GPU loss), kept for later restarts; null: the setting's. */
  backend: BackendChoice | null = null;
  /** The backend whose device was lost when the run moved; null: no move. */
  movedFrom: BackendName | null = null;

  constructor(private readonly engine: () => Restartable | null, private readonly page: Page) {}

  /** An iteration completed: the run is healthy again. */
  progress(): void {
    this.attempts = 0;
  }

  /** A fresh worker with the same backend, images and settings; the run restored. `setting`: the backend setting. */
  async restart(f: FatalFault, setting: BackendChoice): Promise<Outcome> {
    const engine = this.engine();
    this.attempts += 1;
    if (!engine) return { ok: false, why: 'The engine cannot be restarted here: reload the page.' };
    const keep = f.kind !== 'hang' && !(f.kind === 'oom' && !f.lastGood);
    const lastGood: LastGoodState | null = keep ? await withTimeout(engine.call({ kind: 'takeLastGood' }), 5000) : null;
    engine.restart();

    const gpuDied = f.kind === 'deviceLost' && (f.backend === 'webgpu' || f.backend === 'webgl');
    if (gpuDied) [this.backend, this.movedFrom] = ['wasm', f.backend]; // not the setting: changing that reloads the page
    const backend = this.backend ?? setting;
    const failed = await this.page.setUp(backend);
    if (failed) return { ok: false, why: `The worker was restarted, but ${failed}. Reload the page to start over.` };

    // the newer of the old worker's in-memory last good state and this run's last autosave (IndexedDB)
    let at = await this.page.resumeAutosave(lastGood?.iteration ?? null);
    const from = at !== null ? 'the last autosave' : 'the last good state';
    if (at === null && lastGood) {
      const status = await this.page.request({ kind: 'restoreLastGood', lastGood }, 'Could not restore the last good state');
      if (status) this.page.restored((at = status.iter));
    }
    if (at === null) this.page.restored(null);

    const again = this.attempts > 1;
    const resumed = f.wasTraining && f.kind !== 'oom' && !again;
    if (resumed) {
      if (at !== null) {
        await this.page.request({ kind: 'start' }, 'Could not resume training');
      } else await this.page.train();
    }
    return { ok: true, at, from, resumed, again, gpuDied };
  }
}
