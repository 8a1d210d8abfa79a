/** The iteration's images as the UI draws them: tensors in [-1, 1] → RGBA bytes. */
import * as tf from '@tensorflow/tfjs';
import { toRGBA, type RGBImage } from '../data/image';
import { centreCrop, cropToTensor } from '../data/sampler';
import type { Picture } from '../protocol/messages';
import type { VisualName, Visuals } from '../train/step';
import type { CycleGANTrainer } from '../train/trainer';
import { visualsToImages } from '../train/visuals';

export type Pictures = Record<VisualName, Picture>;

export const toPicture = (img: RGBImage): Picture => ({ width: img.width, height: img.height, rgba: toRGBA(img) });

/** Reads (awaited, one read per image) and disposes the visuals. */
export async function picturesOf(v: Visuals): Promise<Pictures> {
  const imgs = await visualsToImages(v);
  return Object.fromEntries(Object.entries(imgs).map(([k, img]) => [k, toPicture(img)])) as Pictures;
}

/** The current weights on a fixed pair (first A, first B, centre crop), without training. The caller disposes. */
export function forwardVisuals(t: CycleGANTrainer): Required<Visuals> {
  const c = t.config;
  const a = t.data.A[0], b = t.data.B[0];
  const { G_A, G_B } = t.models;
  return tf.tidy(() => {
    const realA = cropToTensor(a, c.cropSize, centreCrop(a, c.cropSize)); // [1, crop, crop, C]
    const realB = cropToTensor(b, c.cropSize, centreCrop(b, c.cropSize));
    const fakeB = G_A.apply(realA), fakeA = G_B.apply(realB);
    const out: Required<Visuals> = {
      real_A: realA, fake_B: fakeB, rec_A: G_B.apply(fakeB), idt_B: G_B.apply(realA),
      real_B: realB, fake_A: fakeA, rec_B: G_A.apply(fakeA), idt_A: G_A.apply(realB),
    };
    return out;
  });
}
