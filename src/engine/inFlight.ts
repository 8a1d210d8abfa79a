/**
 * An iteration enqueued and not read yet: its losses, images and the finite check of the weights it left, all
 * still on the device. Reading it is the GPU→CPU sync point of an iteration.
 */
import * as tf from '@tensorflow/tfjs';
import type { LossValues } from '../train/losses';
import type { PendingIteration } from '../train/trainer';
import { DivergedError, nonFinite } from './guard';

export interface InFlight {
  it: PendingIteration;
  withVisuals: boolean;
  weights: Promise<Float32Array>; // non-finite counts per network, read with the losses
}

const disposeImages = (f: InFlight) => tf.dispose([...Object.values(f.it.visuals), ...Object.values(f.it.taps)]);

/**
 * Reads an iteration's losses and the finite check of its weights. A non-finite value throws DivergedError before
 * anything is recorded (the run goes back); on any failure the iteration's tensors are disposed, never left behind.
 */
export async function readChecked(f: InFlight): Promise<LossValues> {
  try {
    const [losses, weights] = await Promise.all([f.it.losses, f.weights]);
    const bad = nonFinite(losses, weights);
    if (bad) throw new DivergedError(f.it.iter, bad);
    return losses;
  } catch (e) {
    disposeImages(f);
    throw e;
  }
}

/** Lets an iteration finish without recording it. */
export async function drain(f: InFlight): Promise<void> {
  await Promise.all([f.it.losses, f.weights]).catch(() => undefined);
  disposeImages(f);
}
