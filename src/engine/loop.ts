/**
 * The training loop, pipelined on GPU backends: iteration k+1 is enqueued before k's losses are awaited, so the
 * GPU→CPU read of the losses never stalls the device (on wasm and cpu, which compute synchronously, k is read
 * first). Between iterations it takes the guard's last good state and the checkpoints when due, and yields to the
 * event loop so that pause / stop / step are answered after at most the iteration in flight.
 */
import * as tf from '@tensorflow/tfjs';
import type { CycleGANTrainer } from '../train/trainer';
import { scheduleComplete } from './errors';
import { DivergedError } from './guard';
import { drain, type InFlight } from './inFlight';
import { outOfMemory } from '../backend/outOfMemory';
import type { Run } from './run';

/** What the loop needs of the engine. */
export interface LoopHost {
  /** An iteration failed: roll back, stop for good, or pause with the error (./recovery.ts). */
  failed(run: Run, e: unknown): Promise<void>;
  /** The loop has stopped, its last iteration read: answer whoever waits for `t`'s pictures. */
  stopped(run: Run, t: CycleGANTrainer): Promise<void>;
}

/**
 * wasm and cpu run an iteration to its end inside `enqueue`: reading k's losses after enqueuing k+1 would only
 * show k one whole iteration late (the Paper preset: a minute or more) and hold two iterations' tensors.
 */
const synchronousBackend = (): boolean => ['wasm', 'cpu'].includes(tf.getBackend());

/** Yields a macrotask, so incoming messages (pause, stop) run between iterations even when the backend is sync. */
const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

export class TrainingLoop {
  running = false; // the loop should keep going
  looping = false; // the loop has not finished yet (it completes its iteration in flight after a pause)
  done: Promise<void> = Promise.resolve();

  constructor(private readonly host: LoopHost) {}

  /** Trains `run` until paused, stopped, failed or done (ScheduleCompleteError when it is done already). */
  start(run: Run): void {
    if (run.trainer.done) throw scheduleComplete(run.trainer.totalIters);
    this.running = true;
    this.looping = true;
    this.done = this.iterate(run);
  }

  /** Asks the loop to stop after its iteration in flight; resolves once it has. */
  async halt(): Promise<void> {
    this.running = false;
    await this.done;
  }

  /** Step: exactly one iteration outside the loop, with its visuals (ScheduleCompleteError when the run is done). */
  async step(run: Run): Promise<void> {
    const t = run.trainer;
    if (t.done) throw scheduleComplete(t.totalIters);
    if (run.guard.due(t.iteration)) await run.guard.capture(t);
    run.recorder.mark();
    await this.recordOne(run, run.enqueue(true));
    if (t.done) run.events.status();
  }

  /**
   * Records one iteration run outside the loop (Step, Step G/D); a divergence or OOM goes to recovery, as in the
   * loop. Steps autosave when one is due, as the loop does: a class may step for many minutes and not lose it in a crash.
   */
  async recordOne(run: Run, f: InFlight): Promise<void> {
    const t = run.trainer;
    try {
      await run.record(f);
      if (run.saves.due(t.iteration)) await run.saves.atBarrier(t);
    } catch (e) {
      if (!(e instanceof DivergedError || outOfMemory(e))) throw e;
      await this.host.failed(run, e); // rolled back, or a fatal fault: the events say so
    } finally {
      run.flush();
    }
  }

  private async iterate(run: Run): Promise<void> {
    const t = run.trainer;
    const { guard, saves } = run;
    const current = () => !run.disposed && run.trainer === t; // a loop ends when its trainer is replaced
    let inFlight: InFlight | null = null;
    try {
      await yieldToEventLoop(); // let start() answer before the first (on cpu/wasm: synchronous) iteration
      run.recorder.mark();
      while (this.running && !t.done && current()) {
        if (guard.due(t.iteration)) {
          await guard.capture(t); // between iterations: nothing else touches t meanwhile
          if (!this.running) break;
        }
        if (saves.due(t.iteration)) {
          const f = inFlight; // a checkpoint needs a boundary with nothing in flight: read k, capture, go on
          inFlight = null;
          if (f) await run.record(f);
          await saves.atBarrier(t);
          continue;
        }
        if (inFlight && synchronousBackend()) {
          const f = inFlight; // nothing to overlap: the iteration is done, show it before computing the next
          inFlight = null;
          await run.record(f);
        }
        const next = run.enqueue(run.wantsVisuals(t.iteration + 1)); // enqueue k+1 …
        const prev = inFlight;
        inFlight = next;
        if (prev) await run.record(prev); // … before reading k's losses: no stall per iteration
        await yieldToEventLoop();
      }
      const last = inFlight;
      inFlight = null;
      if (last) await run.record(last);
      await saves.atLoopEnd(t, false, current()); // pause / schedule done: save the state (and answer save requests)
    } catch (e) {
      if (inFlight) {
        // the iteration in flight has updated the weights already: record it if its losses can still be read
        // (not after a divergence: it ran on the bad weights, and the run goes back anyway)
        const f = inFlight;
        inFlight = null;
        if (e instanceof DivergedError) await drain(f);
        else await run.record(f).catch(() => undefined);
      }
      await saves.atLoopEnd(t, true, current()).catch(() => undefined); // answers save requests; a failed state is not autosaved
      await this.host.failed(run, e);
    } finally {
      this.running = false;
      guard.release();
      run.flush(); // the last points, still reported as 'training'
      await this.host.stopped(run, t);
      this.looping = false;
      run.events.status(); // the first status that says paused/done carries the final iteration
    }
  }
}
