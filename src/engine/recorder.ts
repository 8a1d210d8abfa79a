/**
 * A run's iterations as loss points: how many have been read, how long each took (smoothed), and the points sent
 * in batches — at most one `losses` message (with a status) per `flushMs`.
 */
import type { LossPoint } from '../protocol/messages';
import type { LossValues } from '../train/losses';
import type { IterationInfo } from '../train/trainer';
import { Batcher } from './batcher';
import type { Events } from './events';

export class Recorder {
  /** Iterations whose losses have been read. */
  completed: number;
  private msEma = 0;
  private lastMark = 0;
  private readonly batch: Batcher<LossPoint>;

  constructor(iteration: number, flushMs: number, events: Events) {
    this.completed = iteration;
    this.batch = new Batcher(flushMs, (points) => {
      events.emit({ type: 'losses', points });
      events.status();
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

  /** The run went back to iteration `iter` (a rollback): timing starts over. */
  reset(iter: number): void {
    this.completed = iter;
    this.msEma = 0;
  }

  /** One iteration read: timed, counted, queued for the next batch. */
  add(it: IterationInfo, values: LossValues): LossPoint {
    const now = performance.now();
    const ms = now - this.lastMark;
    this.lastMark = now;
    this.msEma = this.msEma === 0 ? ms : 0.8 * this.msEma + 0.2 * ms;
    this.completed = it.iter;
    const point = { iter: it.iter, epoch: it.epoch, lr: it.lr, values, ms };
    this.batch.push(point);
    return point;
  }

  /** Sends the batched points (and a status) now. */
  flush(): void {
    this.batch.flush();
  }

  /** Drops the points not sent yet (the run they belong to is gone). */
  clear(): void {
    this.batch.clear();
  }
}
