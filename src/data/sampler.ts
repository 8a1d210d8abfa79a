/**
 * The reference's training transform (data/base_dataset.py get_transform) on prepared images:
 *   [Grayscale] → Resize(load_size, BICUBIC) → RandomCrop(crop_size) → RandomHorizontalFlip → ToTensor → Normalize(0.5, 0.5)
 * Resizing is deterministic, so it is done once per image (`prepare`); the random part runs per iteration.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { toGray, toRGB, type RGBImage } from './image';
import { resizeBicubic } from './resize';

/** Converts to the run's channel count and resizes to load × load (aspect ratio ignored, like the reference). */
export function prepare(img: RGBImage, loadSize: number, channels: 1 | 3): RGBImage {
  const c = channels === 1 ? toGray(img) : toRGB(img);
  return c.width === loadSize && c.height === loadSize ? c : resizeBicubic(c, loadSize, loadSize);
}

export interface CropParams {
  top: number;
  left: number;
  flip: boolean;
}

/** torchvision RandomCrop.get_params (top, then left) then RandomHorizontalFlip (p = ½). */
export function drawCrop(rng: Rng, loadSize: number, cropSize: number, flip: boolean): CropParams {
  const top = rng.int(loadSize - cropSize + 1);
  const left = rng.int(loadSize - cropSize + 1);
  return { top, left, flip: flip && rng.random() < 0.5 };
}

/** Crops, flips and normalises to [-1, 1]: → [1, crop, crop, C] float32. */
export function cropToTensor(img: RGBImage, cropSize: number, p: CropParams): tf.Tensor4D {
  const c = img.channels;
  const out = new Float32Array(cropSize * cropSize * c);
  for (let y = 0; y < cropSize; y++) {
    const row = ((p.top + y) * img.width + p.left) * c;
    for (let x = 0; x < cropSize; x++) {
      const sx = p.flip ? cropSize - 1 - x : x;
      for (let ch = 0; ch < c; ch++) out[(y * cropSize + x) * c + ch] = img.data[row + sx * c + ch] / 127.5 - 1;
    }
  }
  return tf.tensor4d(out, [1, cropSize, cropSize, c]);
}

/** A centred, unflipped crop (for fixed sample images). */
export function centreCrop(img: RGBImage, cropSize: number): CropParams {
  const off = Math.floor((img.width - cropSize) / 2);
  return { top: off, left: off, flip: false };
}
