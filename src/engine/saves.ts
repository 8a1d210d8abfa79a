/**
 * One run's checkpoints: its id, its loss history (a checkpoint carries it), when it was last saved, and the
 * requests waiting for its next capture. The loop asks `due` between iterations and calls `atBarrier` with
 * nothing in flight; where checkpoints are written is ./checkpoints.ts.
 */
import type { Checkpoint } from '../io/checkpoint';
import { encodeCheckpoint } from '../io/checkpointFile';
import type { CheckpointSummary, LossPoint } from '../protocol/messages';
import type { CycleGANTrainer } from '../train/trainer';
import { AUTO_MS, newRunId, type Checkpoints } from './checkpoints';
import { EngineBusyError } from './errors';
import type { Events } from './events';
import { LossHistory } from './lossHistory';

export class Saves {
  readonly history = new LossHistory();
  private waiters: { resolve: (ck: Checkpoint) => void; reject: (e: unknown) => void }[] = [];

  /**
   * @param lastSavedIter the iteration of the last save (a restored run: the one it was saved at)
   * @param lastSavedAt performance.now() of the last capture (or the run's start)
   */
  constructor(
    private readonly shelf: Checkpoints,
    private readonly id = newRunId(),
    private lastSavedIter = 0,
    private lastSavedAt = performance.now(),
  ) {}

  record(p: LossPoint): void {
    this.history.push(p);
  }

  /** A restored run's loss history: kept, and sent to the UI in parts before any status shows its iteration. */
  replay(history: LossHistory, events: Events): void {
    this.history.clear(history.start);
    for (let i = 0; i < history.length; i += 5000) {
      const points = history.points(i, i + 5000);
      for (const p of points) this.history.push(p);
      events.emit({ type: 'losses', points });
    }
  }

  // ------------------------------------------------------------------------------------------- loop hooks

  /** Should the loop stop enqueueing and call atBarrier now? (`iter`: the trainer's iteration, in flight included) */
  due(iter: number): boolean {
    if (this.waiters.length > 0) return true;
    const every = this.shelf.every;
    if (this.shelf.busy || every === 0 || iter <= this.lastSavedIter) return false;
    if (every === 'auto') return performance.now() - this.lastSavedAt >= AUTO_MS;
    return iter - this.lastSavedIter >= every;
  }

  /** Called with nothing in flight: capture, hand to waiters, autosave in the background. */
  async atBarrier(t: CycleGANTrainer, reason: CheckpointSummary['reason'] = 'autosave'): Promise<void> {
    const ck = await this.capture(t);
    for (const w of this.waiters.splice(0)) w.resolve(ck);
    if (t.iteration > this.lastSavedIter && this.healthy(t)) this.inBackground(ck, reason);
  }

  /** The loop ended (pause, schedule done, error, stop): save a healthy unsaved state, answer any waiter. */
  async atLoopEnd(t: CycleGANTrainer, failed: boolean, current: boolean): Promise<void> {
    if (!current) {
      for (const w of this.waiters.splice(0)) w.reject(new EngineBusyError('The run was stopped before it could be saved.'));
      return;
    }
    if (this.waiters.length > 0 || (!failed && this.shelf.every !== 0 && t.iteration > this.lastSavedIter && this.healthy(t)))
      await this.atBarrier(t, 'pause');
  }

  // ------------------------------------------------------------------------------------------- requests

  /** Save now: waits for the next iteration boundary when training. */
  async saveNow(t: CycleGANTrainer, looping: boolean): Promise<CheckpointSummary> {
    const ck = await this.captureNow(t, looping);
    await this.shelf.settle();
    return this.shelf.write(ck, 'manual', () => this.saved(ck));
  }

  async download(t: CycleGANTrainer, looping: boolean): Promise<{ fileName: string; bytes: Uint8Array }> {
    const ck = await this.captureNow(t, looping);
    const c = ck.manifest.config;
    return { fileName: `cyclegan-${c.cropSize}px-iter${ck.manifest.iteration}.ckpt`, bytes: encodeCheckpoint(ck) };
  }

  /** Keeps the run in this browser's storage too (a loaded file); a failure is an event. */
  async keep(t: CycleGANTrainer, reason: CheckpointSummary['reason']): Promise<void> {
    await this.shelf.settle();
    this.inBackground(await this.capture(t), reason);
  }

  // ------------------------------------------------------------------------------------------- internals

  /** Only finite, complete states are saved (a NaN run is what a rollback goes back from, not to). */
  private healthy(t: CycleGANTrainer): boolean {
    if (this.history.lastIter !== t.iteration) return false;
    if (this.history.length === 0) return true;
    const last = this.history.points(this.history.length - 1)[0];
    return Object.values(last.values).every(Number.isFinite);
  }

  private captureNow(t: CycleGANTrainer, looping: boolean): Promise<Checkpoint> {
    if (!looping) return this.capture(t);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject })); // the loop's next boundary
  }

  private capture(t: CycleGANTrainer): Promise<Checkpoint> {
    this.lastSavedAt = performance.now();
    return this.shelf.capture(t, this.history, this.id);
  }

  private inBackground(ck: Checkpoint, reason: CheckpointSummary['reason']): void {
    this.lastSavedIter = ck.manifest.iteration;
    this.shelf.inBackground(ck, reason, () => this.saved(ck));
  }

  private saved(ck: Checkpoint): void {
    this.lastSavedIter = Math.max(this.lastSavedIter, ck.manifest.iteration);
  }
}
