/**
 * The losses of the current weights on a given pair, forward only (no tape, no update, no RNG): what the
 * classroom shows as "after" a half-step — the same terms, the same images, the updated network.
 * The formulas are step.ts's; halves.test.ts checks that before an update they give step.ts's values.
 */
import * as tf from '@tensorflow/tfjs';
import type { CycleGAN } from '../model/cyclegan';
import { ganLoss, l1 } from './losses';
import type { Hyper } from './step';

/** [6]: G_A, cycle_A, idt_A, G_B, cycle_B, idt_B — the generator step's order. */
export function generatorLosses(m: CycleGAN, realA: tf.Tensor4D, realB: tf.Tensor4D, h: Hyper): tf.Tensor1D {
  return tf.tidy(() => {
    const fakeB = m.G_A.apply(realA); // [1, H, W, C]
    const fakeA = m.G_B.apply(realB);
    const gA = ganLoss(m.D_A.apply(fakeB), true, h.ganMode);
    const cycA = tf.mul(l1(m.G_B.apply(fakeB), realA), h.lambdaA);
    const gB = ganLoss(m.D_B.apply(fakeA), true, h.ganMode);
    const cycB = tf.mul(l1(m.G_A.apply(fakeA), realB), h.lambdaB);
    const idt = h.lambdaIdentity > 0;
    const idtA = idt ? tf.mul(l1(m.G_A.apply(realB), realB), h.lambdaB * h.lambdaIdentity) : tf.scalar(0);
    const idtB = idt ? tf.mul(l1(m.G_B.apply(realA), realA), h.lambdaA * h.lambdaIdentity) : tf.scalar(0);
    return tf.stack([gA, cycA, idtA, gB, cycB, idtB]) as tf.Tensor1D;
  });
}

/** [2]: D_A on real_B vs `fakeB`, D_B on real_A vs `fakeA` — ½(GAN(D(real), 1) + GAN(D(fake), 0)), as backward_D. */
export function discriminatorLosses(m: CycleGAN, realA: tf.Tensor4D, realB: tf.Tensor4D, fakeA: tf.Tensor4D, fakeB: tf.Tensor4D, h: Hyper): tf.Tensor1D {
  return tf.tidy(() => {
    const d = (D: CycleGAN['D_A'], real: tf.Tensor4D, fake: tf.Tensor4D) =>
      tf.mul(tf.add(ganLoss(D.apply(real), true, h.ganMode), ganLoss(D.apply(fake), false, h.ganMode)), 0.5);
    return tf.stack([d(m.D_A, realB, fakeB), d(m.D_B, realA, fakeA)]) as tf.Tensor1D;
  });
}
