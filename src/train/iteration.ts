/** One iteration of a run as its caller sees it: where it stands in the schedule, and its results still on the device. */
import type * as tf from '@tensorflow/tfjs';
import { lossValues, type LossValues } from './losses';
import type { Taps, Visuals } from './step';

export interface IterationInfo {
  iter: number; // 1-based index of this iteration in the run
  epoch: number; // 1-based epoch (the reference's numbering, starting at epoch_count)
  lr: number;
}

export interface PendingIteration extends IterationInfo {
  /** Resolves with the eight losses: one GPU→CPU read for all of them. */
  losses: Promise<LossValues>;
  /** The iteration's images (only when asked for); the caller disposes them. */
  visuals: Visuals;
  /** What the discriminators saw (with the visuals only: the classroom's D view); the caller disposes them. */
  taps: Taps;
}

/** Reads an [8] loss tensor (one GPU→CPU read) and disposes it. */
export function readLossTensor(losses: tf.Tensor1D): Promise<LossValues> {
  return losses.data().then((v) => {
    losses.dispose();
    return lossValues(v);
  });
}
