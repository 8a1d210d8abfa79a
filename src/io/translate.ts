/**
 * Translating one image with a trained generator, as the reference's test.py with --preprocess none:
 * the image keeps its own size, rounded to a multiple of 4 (bicubic) when needed — the generator's two
 * stride-2 layers need it. Shared by the CLI and the studio.
 */
import * as tf from '@tensorflow/tfjs';
import { toGray, toRGB, type RGBImage } from '../data/image';
import { resizeBicubic } from '../data/resize';
import type { ResnetGenerator } from '../model/generator';
import { tensorToImage } from '../train/visuals';

/** __make_power_2(img, base=4): round each side to the nearest multiple of 4. */
export function roundToMultipleOf4(img: RGBImage): RGBImage {
  const w = Math.max(4, Math.round(img.width / 4) * 4);
  const h = Math.max(4, Math.round(img.height / 4) * 4);
  return w === img.width && h === img.height ? img : resizeBicubic(img, w, h);
}

export async function translateImage(g: ResnetGenerator, img: RGBImage): Promise<RGBImage> {
  const src = roundToMultipleOf4(g.options.inputNc === 1 ? toGray(img) : toRGB(img));
  const out = tf.tidy(() => {
    const x = tf.sub(tf.div(tf.tensor4d(src.data, [1, src.height, src.width, src.channels], 'float32'), 127.5), 1); // [1, H, W, C] in [-1, 1]
    return g.apply(x as tf.Tensor4D);
  });
  const res = await tensorToImage(out, img.name);
  out.dispose();
  return res;
}
