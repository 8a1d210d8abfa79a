/** The reference's losses (models/networks.py GANLoss, torch.nn.L1Loss), all means over every element. */
import * as tf from '@tensorflow/tfjs';
import type { GanMode } from '../config';

import { LOSS_NAMES, type LossName } from '../names';

export { LOSS_NAMES, type LossName };
export type LossValues = Record<LossName, number>;

/**
 * GANLoss(prediction, target_is_real): lsgan = MSE against 1 / 0; vanilla = BCE-with-logits against 1 / 0,
 * written in the stable form max(x, 0) − x·t + log(1 + e^−|x|).
 */
export function ganLoss(prediction: tf.Tensor, targetIsReal: boolean, mode: GanMode): tf.Scalar {
  return tf.tidy(() => {
    const t = targetIsReal ? 1 : 0;
    if (mode === 'lsgan') return tf.mean(tf.square(tf.sub(prediction, t)));
    const x = prediction;
    return tf.mean(tf.add(tf.sub(tf.relu(x), tf.mul(x, t)), tf.softplus(tf.neg(tf.abs(x)))));
  });
}

/** L1Loss: mean |a − b|. */
export function l1(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))));
}

export function lossValues(values: ArrayLike<number>): LossValues {
  return Object.fromEntries(LOSS_NAMES.map((n, i) => [n, values[i]])) as LossValues;
}
