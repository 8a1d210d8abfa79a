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

/** The run's latest pictures, sent as `visuals` events, and the snapshot requests waiting for the next ones. */
export class Gallery {
  latest: { iter: number; images: Pictures } | null = null;
  private waiters: ((v: Pictures | null) => void)[] = [];

  constructor(private readonly emit: (e: { type: 'visuals'; iter: number; images: Pictures }) => void) {}

  /** Someone waits for the next iteration's pictures (the loop keeps that iteration's visuals). */
  get waiting(): boolean {
    return this.waiters.length > 0;
  }

  next(): Promise<Pictures | null> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Reads and disposes the visuals of iteration `iter`, sends them and answers the waiters. */
  async publish(iter: number, v: Visuals): Promise<Pictures> {
    const images = await picturesOf(v);
    this.latest = { iter, images };
    this.emit({ type: 'visuals', iter, images });
    for (const w of this.waiters.splice(0)) w(images);
    return images;
  }

  /** The pictures of an idle run at iteration `iter`: a forward pass of its current weights. */
  idle(t: CycleGANTrainer, iter: number): Promise<Pictures> {
    return this.publish(iter, forwardVisuals(t));
  }

  /** The loop stopped without keeping another iteration's visuals: the waiters get `current()`'s (null: none). */
  async answer(current: () => Promise<Pictures | null>): Promise<void> {
    const waiters = this.waiters.splice(0);
    if (!waiters.length) return;
    const v = await current().catch(() => null);
    for (const w of waiters) w(v);
  }
}
