/**
 * Translating one image with a trained generator, as the reference's test.py with --preprocess none:
 * the image keeps its own size, rounded to a multiple of 4 (bicubic) when needed — the generator's two
 * stride-2 layers need it. One difference, to bound memory and time: an image whose longer side exceeds
 * `maxSide` (default 1024 px) is first downscaled (bicubic, aspect kept) to that side. Shared by the CLI
 * (`translate`) and the studio (Translate panel): the same image gives the same pixels in both.
 */
import * as tf from '@tensorflow/tfjs';
import { toGray, toRGB, type RGBImage } from '../data/image';
import { resizeBicubic } from '../data/resize';
import type { ResnetGenerator } from '../model/generator';
import { tensorToImage } from '../train/visuals';
import { TRANSLATE_MAX_SIDE } from './translateSize';

export { TRANSLATE_MAX_SIDE };

/** Python's round(): halves go to the even neighbour (round(4.5) = 4, where Math.round gives 5). */
const roundHalfEven = (x: number): number => {
  const f = Math.floor(x);
  return x - f !== 0.5 ? Math.round(x) : f % 2 === 0 ? f : f + 1;
};

/** __make_power_2(img, base=4): each side to the nearest multiple of 4, as Python rounds (18 px → 16, 22 → 24). */
export function roundToMultipleOf4(img: RGBImage): RGBImage {
  const w = Math.max(4, roundHalfEven(img.width / 4) * 4);
  const h = Math.max(4, roundHalfEven(img.height / 4) * 4);
  return w === img.width && h === img.height ? img : resizeBicubic(img, w, h);
}

/** Downscales (aspect kept) so the longer side is ≤ maxSide; 0 or Infinity = no bound. */
export function boundLongestSide(img: RGBImage, maxSide = TRANSLATE_MAX_SIDE): RGBImage {
  const long = Math.max(img.width, img.height);
  if (!(maxSide > 0) || long <= maxSide) return img;
  const k = maxSide / long;
  return resizeBicubic(img, Math.max(1, Math.round(img.width * k)), Math.max(1, Math.round(img.height * k)));
}

/** What the generator sees: its channel count, the longer side bounded, each side a multiple of 4. */
export function prepareForGenerator(g: ResnetGenerator, img: RGBImage, maxSide = TRANSLATE_MAX_SIDE): RGBImage {
  const c = g.options.inputNc === 1 ? toGray(img) : toRGB(img);
  return roundToMultipleOf4(boundLongestSide(c, maxSide));
}

export interface Translation {
  /** The image as the generator saw it (prepared: bounded, rounded to multiples of 4). */
  input: RGBImage;
  /** G(input), same width and height. */
  output: RGBImage;
}

/**
 * One image through G. Reads the weights only: no RNG, no gradient, no variable changes, so it can run
 * between two training iterations without changing the run. Every tensor it makes is disposed.
 */
export async function translate(g: ResnetGenerator, img: RGBImage, maxSide = TRANSLATE_MAX_SIDE): Promise<Translation> {
  const src = prepareForGenerator(g, img, maxSide);
  const out = tf.tidy(() => {
    const x = tf.sub(tf.div(tf.tensor4d(src.data, [1, src.height, src.width, src.channels], 'float32'), 127.5), 1); // [1, H, W, C] in [-1, 1]
    return g.apply(x as tf.Tensor4D); // [1, H, W, outputNc]
  });
  try {
    return { input: src, output: await tensorToImage(out, img.name) };
  } finally {
    out.dispose();
  }
}

export async function translateImage(g: ResnetGenerator, img: RGBImage, maxSide = TRANSLATE_MAX_SIDE): Promise<RGBImage> {
  return (await translate(g, img, maxSide)).output;
}
