/**
 * ImagePool (Shrivastava et al.; util/image_pool.py): the discriminators see a history of generated images,
 * not only the latest. While fewer than `size` are stored, store and return the new image. Once full: with
 * probability ½ return a uniformly chosen stored image and keep the new one in its place; else return the new one.
 * Size 0 returns every image unchanged. Random choices come from the run's RNG.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';

export class ImagePool {
  private images: tf.Tensor4D[] = [];

  constructor(readonly size: number) {}

  get length(): number {
    return this.images.length;
  }

  /** Returns a tensor the caller owns (dispose it); the pool keeps its own references. */
  query(image: tf.Tensor4D, rng: Rng): tf.Tensor4D {
    if (this.size === 0) return image.clone();
    if (this.images.length < this.size) {
      this.images.push(tf.keep(image.clone()));
      return image.clone();
    }
    if (rng.random() > 0.5) {
      const id = rng.int(this.size);
      const old = this.images[id];
      this.images[id] = tf.keep(image.clone());
      return old; // ownership moves to the caller
    }
    return image.clone();
  }

  /** The stored images, for checkpoints. */
  snapshot(): readonly tf.Tensor4D[] {
    return this.images;
  }

  /** Replaces the contents (takes ownership of `images`). */
  restore(images: tf.Tensor4D[]): void {
    this.dispose();
    this.images = images.map((t) => tf.keep(t));
  }

  dispose(): void {
    for (const t of this.images) t.dispose();
    this.images = [];
  }
}
