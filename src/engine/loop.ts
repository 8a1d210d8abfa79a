/**
 * The training loop, pipelined on GPU backends: iteration k+1 is enqueued before k's losses are awaited, so the
 * GPU→CPU read of the losses never stalls the device (on wasm and cpu, which compute synchronously, k is read first). Between iterations it takes the guard's last good state and the
 * checkpoints when due, and yields to the event loop so that pause / stop / step are answered after at most
 * the iteration in flight.
 */
import * as tf from '@tensorflow/tfjs';
import type { CycleGANTrainer, PendingIteration } from '../train/trainer';
import type { Checkpoints } from './checkpoints';
import type { Faults } from './faults';
import type { LossValues } from '../train/losses';
import { DivergedError, nonFinite, watchWeights, type Guard } from './guard';

export interface InFlight {
  it: PendingIteration;
  withVisuals: boolean;
  weights: Promise<Float32Array>; // non-finite counts per network, read with the losses
}

/** What the loop needs of the engine. */
export interface LoopHost {
  readonly guard: Guard;
  readonly ckpt: Checkpoints;
  readonly faults: Faults;
  /** The run the engine has now (a loop ends when its trainer is replaced). */
  current(): CycleGANTrainer | null;
  /** Whether iteration `iter` keeps its visuals (the sampling period, or someone waits for a snapshot). */
  wantsVisuals(iter: number): boolean;
  /** The loop starts timing its iterations now. */
  markStart(): void;
  /** Reads one iteration's losses and images and records them; throws DivergedError on a non-finite value. */
  complete(t: CycleGANTrainer, f: InFlight): Promise<void>;
  failed(t: CycleGANTrainer, e: unknown): Promise<void>;
  flush(): void;
  /** The loop has stopped, its last iteration read: answer whoever waits for pictures. */
  stopped(t: CycleGANTrainer): Promise<void>;
  emitStatus(): void;
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

  start(t: CycleGANTrainer): void {
    this.running = true;
    this.looping = true;
    this.done = this.run(t);
  }

  /** Asks the loop to stop after its iteration in flight; resolves once it has. */
  async halt(): Promise<void> {
    this.running = false;
    await this.done;
  }

  /** Enqueues one iteration and the finite check of the weights it leaves. */
  enqueue(t: CycleGANTrainer, withVisuals: boolean): InFlight {
    this.host.faults.beforeIteration(t);
    const it = t.runIteration(withVisuals);
    return { it, withVisuals, weights: watchWeights(t) };
  }

  private async run(t: CycleGANTrainer): Promise<void> {
    const h = this.host;
    let inFlight: InFlight | null = null;
    try {
      await yieldToEventLoop(); // let start() answer before the first (on cpu/wasm: synchronous) iteration
      h.markStart();
      while (this.running && !t.done && h.current() === t) {
        if (h.guard.due(t.iteration)) {
          await h.guard.capture(t); // between iterations: nothing else touches t meanwhile
          if (!this.running) break;
        }
        if (h.ckpt.due(t.iteration)) {
          const f = inFlight; // a checkpoint needs a boundary with nothing in flight: read k, capture, go on
          inFlight = null;
          if (f) await h.complete(t, f);
          await h.ckpt.atBarrier(t);
          continue;
        }
        if (inFlight && synchronousBackend()) {
          const f = inFlight; // nothing to overlap: the iteration is done, show it before computing the next
          inFlight = null;
          await h.complete(t, f);
        }
        const next = this.enqueue(t, h.wantsVisuals(t.iteration + 1)); // enqueue k+1 …
        const prev = inFlight;
        inFlight = next;
        if (prev) await h.complete(t, prev); // … before reading k's losses: no stall per iteration
        await yieldToEventLoop();
      }
      const last = inFlight;
      inFlight = null;
      if (last) await h.complete(t, last);
      await h.ckpt.atLoopEnd(t, false); // pause / schedule done: save the state (and answer save requests)
    } catch (e) {
      if (inFlight) {
        // the iteration in flight has updated the weights already: record it if its losses can still be read
        // (not after a divergence: it ran on the bad weights, and the run goes back anyway)
        const f = inFlight;
        inFlight = null;
        if (e instanceof DivergedError) await drain(f);
        else await h.complete(t, f).catch(() => undefined);
      }
      await h.ckpt.atLoopEnd(t, true).catch(() => undefined); // answers save requests; a failed state is not autosaved
      await h.failed(t, e);
    } finally {
      this.running = false;
      h.guard.release();
      h.flush(); // the last points, still reported as 'training'
      await h.stopped(t);
      this.looping = false;
      h.emitStatus(); // the first status that says paused/done carries the final iteration
    }
  }
}

/**
 * Reads an iteration's losses and the finite check of the weights it left (the GPU→CPU sync point). A non-finite
 * value throws DivergedError before anything is recorded (the run goes back); on any failure the iteration's
 * tensors are disposed, never left behind.
 */
export async function readLosses(f: InFlight): Promise<LossValues> {
  try {
    const [losses, weights] = await Promise.all([f.it.losses, f.weights]);
    const bad = nonFinite(losses, weights);
    if (bad) throw new DivergedError(f.it.iter, bad);
    return losses;
  } catch (e) {
    tf.dispose([...Object.values(f.it.visuals), ...Object.values(f.it.taps)]);
    throw e;
  }
}

/** Lets an iteration finish without recording it. */
async function drain(f: InFlight): Promise<void> {
  await Promise.all([f.it.losses, f.weights]).catch(() => undefined);
  tf.dispose([...Object.values(f.it.visuals), ...Object.values(f.it.taps)]);
}
