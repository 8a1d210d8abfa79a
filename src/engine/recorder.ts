/**
 * Records completed iterations: reads their losses (the GPU→CPU sync point, readLosses), times them, sends the
 * points in batches (at most one `losses` message per `lossFlushMs`) and hands them to the checkpoints' loss
 * history, and publishes a kept iteration's pictures with the discriminators' view of them.
 */
import type { EngineEvent, LossPoint } from '../protocol/messages';
import type { CycleGANTrainer, PendingIteration } from '../train/trainer';
import { Batcher } from './batcher';
import type { Checkpoints } from './checkpoints';
import { readLosses, type InFlight } from './loop';
import type { Gallery, Pictures } from './pictures';

export interface RecorderHost {
  readonly ckpt: Checkpoints;
  readonly gallery: Gallery;
  /** The discriminators' view of a kept iteration (disposes its taps). */
  verdicts(t: CycleGANTrainer, it: PendingIteration, images: Pictures): Promise<void>;
  /** The schedule is complete: the loop stops after this iteration. */
  scheduleDone(): void;
  emit(e: EngineEvent): void;
  emitStatus(): void;
}

export class Recorder {
  completed = 0; // iterations whose losses have been read
  private msEma = 0;
  private lastMark = 0;
  private readonly losses: Batcher<LossPoint>;

  constructor(lossFlushMs: number, private readonly host: RecorderHost) {
    this.losses = new Batcher(lossFlushMs, (points) => {
      host.emit({ type: 'losses', points });
      host.emitStatus();
    });
  }

  /** The next iteration's time counts from `at`. */
  mark(at = performance.now()): void {
    this.lastMark = at;
  }

  /** Smoothed ms per iteration (0 before the first). */
  get msPerIter(): number {
    return this.msEma;
  }

  /** A run installed at iteration `iter`, with fresh timing. */
  reset(iter: number): void {
    this.completed = iter;
    this.msEma = 0;
  }

  /** Reads one iteration's losses and, when kept, its images; throws DivergedError on a non-finite value. */
  async complete(t: CycleGANTrainer, f: InFlight): Promise<void> {
    const values = await readLosses(f);
    const now = performance.now();
    const ms = now - this.lastMark;
    this.lastMark = now;
    this.msEma = this.msEma === 0 ? ms : 0.8 * this.msEma + 0.2 * ms;
    this.completed = f.it.iter;
    const point = { iter: f.it.iter, epoch: f.it.epoch, lr: f.it.lr, values, ms };
    this.losses.push(point);
    this.host.ckpt.record(point);
    if (f.withVisuals) {
      const images = await this.host.gallery.publish(f.it.iter, f.it.visuals);
      await this.host.verdicts(t, f.it, images);
    }
    if (t.done) this.host.scheduleDone();
  }

  /** Sends the batched loss points (and a status) now. */
  flush(): void {
    this.losses.flush();
  }

  /** Drops the points not sent yet (the run they belong to is gone). */
  clear(): void {
    this.losses.clear();
  }
}
