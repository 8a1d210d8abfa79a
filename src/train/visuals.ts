/** Turns the iteration's image tensors into bytes for display: [-1, 1] → uint8, one read per image. */
import * as tf from '@tensorflow/tfjs';
import type { RGBImage } from '../data/image';
import { VISUAL_NAMES, type VisualName, type Visuals } from './step';

export async function tensorToImage(t: tf.Tensor4D, name: string): Promise<RGBImage> {
  const [, h, w, c] = t.shape;
  const bytes = tf.tidy(() => tf.cast(tf.clipByValue(tf.round(tf.mul(tf.add(t, 1), 127.5)), 0, 255), 'int32'));
  const data = Uint8Array.from(await bytes.data()); // the GPU→CPU read, awaited (not dataSync) so the worker never blocks
  bytes.dispose();
  return { name, width: w, height: h, channels: c as 1 | 3, data };
}

/** Converts and disposes the visuals. */
export async function visualsToImages(v: Visuals): Promise<Partial<Record<VisualName, RGBImage>>> {
  const out: Partial<Record<VisualName, RGBImage>> = {};
  for (const n of VISUAL_NAMES) {
    const t = v[n];
    if (!t) continue;
    out[n] = await tensorToImage(t, n);
    t.dispose();
  }
  return out;
}
