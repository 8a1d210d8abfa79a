/**
 * Divergence guard: a NaN or Inf in any loss or weight pauses the run and rolls it back to the last good state.
 *
 * - Every iteration enqueues one small check right after it (one tidy: the sum of each network's weights, a [4]
 *   tensor — NaN or ±Inf exactly when a weight is, since trained weights are far too small to overflow a float32
 *   sum) whose read is awaited together with the losses: no extra stall, one reduction per weight tensor.
 * - A "last good" checkpoint (captureCheckpoint: weights, Adam moments, pools, RNG — exact) is kept in memory.
 *   It is taken when a run is created, every `every` iterations, and before risky changes (a live lr change),
 *   and only kept after every float in it was checked finite on the CPU: a bad state never becomes "good".
 * - Rollback rebuilds the trainer from it (restoreTrainer); the run is then paused at that iteration.
 */
import * as tf from '@tensorflow/tfjs';
import { NET_NAMES } from '../model/cyclegan';
import { captureCheckpoint, restoreTrainer, validateManifest } from '../io/checkpoint';
import type { LastGoodState } from '../protocol/messages';
import type { LossValues } from '../train/losses';
import type { CycleGANTrainer, Domains, LiveHyper } from '../train/trainer';

/** The iteration's losses or weights are not finite: carries what diverged, for the message. */
export class DivergedError extends Error {
  override name = 'DivergedError';
  constructor(readonly iter: number, readonly what: string) {
    super(`Training diverged at iteration ${iter}: ${what}.`);
  }
}

/** Each network's weight sum, enqueued now (it sees the weights as this iteration left them), read later. */
export function watchWeights(t: CycleGANTrainer): Promise<Float32Array> {
  const sums = tf.tidy(() => tf.stack(NET_NAMES.map((n) => tf.addN([...t.models.params(n).values()].map((w) => tf.sum(w)))))); // [4]: G_A, G_B, D_A, D_B
  return sums.data().then(
    (d) => {
      sums.dispose();
      return d as Float32Array;
    },
    (e) => {
      sums.dispose();
      throw e;
    },
  );
}

/** What is not finite, in words ("loss D_A is NaN; D_A has non-finite weights"), or null when all is well. */
export function nonFinite(losses: LossValues, weights: Float32Array | null): string | null {
  const parts: string[] = [];
  const bad = Object.entries(losses).filter(([, v]) => !Number.isFinite(v));
  if (bad.length) parts.push(bad.map(([k, v]) => `loss ${k} is ${v}`).join(', '));
  if (weights) {
    const nets = NET_NAMES.filter((_, i) => !Number.isFinite(weights[i]));
    if (nets.length) parts.push(`${nets.join(', ')} ${nets.length === 1 ? 'has' : 'have'} non-finite weights`);
  }
  return parts.length ? parts.join('; ') : null;
}

function allFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

export type LastGood = LastGoodState;

export class Guard {
  private good: LastGood | null = null;
  private requests: ((captured: boolean) => void)[] = [];
  private tried = -1; // the iteration of the last capture attempt (a failed one is not retried every iteration)

  /** @param every capture a last-good state at least every this many iterations */
  constructor(readonly every: number) {}

  get lastGood(): LastGood | null {
    return this.good;
  }

  /** Whether a capture is due after `iteration` completed iterations (or one was requested). */
  due(iteration: number): boolean {
    if (this.requests.length > 0) return true;
    const since = Math.max(this.good?.iteration ?? -Infinity, this.tried);
    return iteration - since >= this.every || (!this.good && this.tried < 0);
  }

  /**
   * Captures the trainer's state as the last good one if every value in it is finite. Call it only when no
   * iteration can start meanwhile (between iterations): the capture spans several awaits.
   */
  async capture(t: CycleGANTrainer): Promise<boolean> {
    this.tried = t.iteration;
    const ck = await captureCheckpoint(t);
    const ok = allFinite(ck.data);
    if (ok) this.good = { iteration: ck.manifest.iteration, checkpoint: ck };
    for (const r of this.requests.splice(0)) r(ok);
    return ok;
  }

  /** For a caller that cannot capture itself (the loop owns the trainer): resolves at the loop's next capture. */
  request(): Promise<boolean> {
    return new Promise((resolve) => this.requests.push(resolve));
  }

  /** The loop stopped: requests it did not serve resolve false (the caller may capture itself now). */
  release(): void {
    for (const r of this.requests.splice(0)) r(false);
  }

  /**
   * A trainer at the last good state, with the engine's current live settings (the user's latest lr and λs,
   * not the ones the checkpoint was taken with). The caller disposes the diverged trainer.
   */
  restore(domains: Domains, live: LiveHyper & { nEpochs: number; nEpochsDecay: number }): CycleGANTrainer | null {
    if (!this.good) return null;
    const t = restoreTrainer(this.good.checkpoint, domains);
    t.setHyper({ lr: live.lr, lambdaA: live.lambdaA, lambdaB: live.lambdaB, lambdaIdentity: live.lambdaIdentity });
    Object.assign(t.config, { nEpochs: live.nEpochs, nEpochsDecay: live.nEpochsDecay });
    return t;
  }

  /** Takes a last good state from elsewhere (a restarted worker), after the same finite check. */
  adopt(lg: LastGood): boolean {
    validateManifest(lg.checkpoint.manifest);
    if (!allFinite(lg.checkpoint.data)) return false;
    this.good = { iteration: lg.checkpoint.manifest.iteration, checkpoint: lg.checkpoint };
    return true;
  }

  clear(): void {
    this.good = null;
    this.tried = -1;
    this.release();
  }
}
