/**
 * One training run: everything that lives and dies with it. The trainer (networks, optimizers, pools, RNG), the
 * divergence guard and its last good state, the recorder of its loss points, its checkpoints (id, loss history,
 * autosave cadence) and its latest pictures. The engine holds at most one; the loop, recovery and the classroom
 * are handed it.
 *
 * One iteration, start to finish: `enqueue` (an armed test fault, then trainer.runIteration, then the finite check
 * of the weights it leaves) → later `record` (the GPU→CPU read, a non-finite value throws DivergedError; the
 * loss point is timed, batched and kept in the history; a kept iteration's pictures and the discriminators' view
 * of them go out as `visuals` and `verdicts`).
 */
import type { CycleGANConfig } from '../config';
import { officialTrainer, type OfficialNetworks } from '../io/official/fromPth';
import type { LastGoodState } from '../protocol/messages';
import { CycleGANTrainer, type Domains } from '../train/trainer';
import type { Checkpoints, SavedRun } from './checkpoints';
import type { Events } from './events';
import type { Faults } from './faults';
import { Guard, watchWeights } from './guard';
import { readChecked, type InFlight } from './inFlight';
import { Gallery, type Pictures } from './pictures';
import { Recorder } from './recorder';
import { Saves } from './saves';
import { verdictsOf } from './staged';

/** The engine's settings a run reads; `sampleEvery` changes live. */
export interface RunSettings {
  lossFlushMs: number; // ≤ 1000 / lossFlushMs loss messages a second
  guardEvery: number; // a last good state at least every this many iterations
  sampleEvery: number; // the visuals period, in iterations
}

/** What a run is given by the engine that holds it. */
export interface RunEnv {
  readonly events: Events;
  readonly faults: Faults;
  readonly shelf: Checkpoints;
  readonly settings: RunSettings;
}

export class Run {
  readonly guard: Guard;
  readonly recorder: Recorder;
  readonly saves: Saves;
  readonly gallery: Gallery;
  disposed = false;

  /**
   * @param trainer at its own iteration (0 for a new run)
   * @param images what it trains on, as decoded (a rollback rebuilds the trainer from them)
   */
  constructor(
    public trainer: CycleGANTrainer,
    readonly images: Domains,
    private readonly env: RunEnv,
    parts: { guard?: Guard; saves?: Saves } = {},
  ) {
    this.guard = parts.guard ?? new Guard(env.settings.guardEvery);
    this.recorder = new Recorder(trainer.iteration, env.settings.lossFlushMs, env.events);
    this.saves = parts.saves ?? new Saves(env.shelf);
    this.gallery = new Gallery((e) => env.events.emit(e));
  }

  /** A new run from the seed (its holder then captures iteration 0 as the first last good state). */
  static fresh(config: CycleGANConfig, images: Domains, env: RunEnv): Run {
    return new Run(new CycleGANTrainer(config, images), images, env);
  }

  /** A run read back from a checkpoint; its loss history is sent as it is taken over. */
  static fromSaved(saved: SavedRun, env: RunEnv): Run {
    const t = saved.trainer;
    const saves = new Saves(env.shelf, saved.id, t.iteration);
    const run = new Run(t, { A: saved.domains.A.images, B: saved.domains.B.images }, env, { saves });
    saves.replay(saved.history, env.events);
    return run;
  }

  /** A run at iteration 0 holding the official PyTorch trainer's four networks (fresh Adam, empty pools). */
  static fromOfficial(read: { config: CycleGANConfig; nets: OfficialNetworks }, images: Domains, env: RunEnv): Run {
    return new Run(officialTrainer(read.config, images, read.nets), images, env);
  }

  /**
   * A run continued from a last good state taken from another worker, with the live knobs (lr, λs, schedule
   * length) of `live`. Throws, before anything is built, when the state is not a valid checkpoint or holds a
   * non-finite value.
   */
  static fromLastGood(lg: LastGoodState, images: Domains, live: CycleGANConfig, env: RunEnv): Run {
    const guard = new Guard(env.settings.guardEvery);
    if (!guard.adopt(lg)) throw new RangeError('The saved state has non-finite values; it cannot be restored.');
    // never saved in this worker: its first autosave comes as in a worker just started
    return new Run(guard.restore(images, live)!, images, env, { guard, saves: new Saves(env.shelf, undefined, 0, 0) });
  }

  get events(): Events {
    return this.env.events;
  }

  /** Iterations whose losses have been read. */
  get completed(): number {
    return this.recorder.completed;
  }

  /** Whether iteration `iter` keeps its visuals: the sampling period, or someone waits for a snapshot. */
  wantsVisuals(iter: number): boolean {
    return iter === 1 || iter % this.env.settings.sampleEvery === 0 || this.gallery.waiting;
  }

  /** Enqueues the next iteration and the finite check of the weights it leaves; nothing is read yet. */
  enqueue(withVisuals: boolean): InFlight {
    const t = this.trainer;
    this.env.faults.beforeIteration(t);
    const it = t.runIteration(withVisuals);
    return { it, withVisuals, weights: watchWeights(t) };
  }

  /** Reads an enqueued iteration and records it; throws DivergedError on a non-finite value. */
  async record(f: InFlight): Promise<void> {
    const values = await readChecked(f);
    this.saves.record(this.recorder.add(f.it, values));
    if (f.withVisuals) {
      const images = await this.gallery.publish(f.it.iter, f.it.visuals);
      const verdicts = await verdictsOf(f.it.iter, f.it.taps, this.trainer.config.ganMode, images); // disposes the taps
      if (verdicts) this.env.events.emit({ type: 'verdicts', verdicts });
    }
  }

  /** Sends the batched loss points (and a status) now. */
  flush(): void {
    this.recorder.flush();
  }

  /** The pictures of the run as it stands: a forward pass of its current weights. */
  idleVisuals(): Promise<Pictures> {
    return this.gallery.idle(this.trainer, this.recorder.completed);
  }

  /** A live change of lr or λ can make a run diverge: keep the state from just before it. */
  async captureBeforeChange(looping: () => boolean): Promise<void> {
    const captured = looping() ? await this.guard.request() : false; // the loop captures between iterations
    const t = this.trainer;
    if (!captured && !this.disposed && !looping() && this.guard.lastGood?.iteration !== t.iteration) await this.guard.capture(t);
  }

  /**
   * Replaces a diverged trainer by one at the last good state, with the current live settings; the run is then
   * idle at that iteration, with fresh timing and no pictures. Null (nothing changed) when there is no such state.
   */
  rollBack(): CycleGANTrainer | null {
    const old = this.trainer;
    const restored = this.guard.restore(this.images, old.config);
    if (!restored) return null;
    old.dispose();
    this.trainer = restored;
    this.recorder.reset(restored.iteration);
    this.gallery.latest = null;
    return restored;
  }

  /** Frees every tensor of the run and drops what it has not sent. */
  dispose(): void {
    this.disposed = true;
    this.trainer.dispose();
    this.guard.clear();
    this.recorder.clear();
  }
}
