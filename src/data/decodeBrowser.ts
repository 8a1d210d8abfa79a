/**
 * File → RGBImage in a browser page or worker: createImageBitmap decodes (off the JS thread, EXIF orientation
 * applied) and an OffscreenCanvas gives the pixels. Big photos are downscaled while decoding (aspect kept) to
 * the engine's bound, so a folder of 12 MP photos does not hold 12 MP each.
 * Alpha is dropped, as the reference's convert('RGB') does (fully transparent pixels come out black: canvases
 * store premultiplied colour).
 */
import { fromRGBA, type RGBImage } from './image';
import { boundedSize, DECODE_SHORT_SIDE } from '../engine/domains';
import { ImageDecodeError, NotAnImageError } from '../engine/errors';

const IMAGE_EXTENSION = /\.(png|jpe?g|jfif|gif|bmp|webp|avif|ico)$/i;

export function looksLikeImage(file: File): boolean {
  return file.type ? file.type.startsWith('image/') : IMAGE_EXTENSION.test(file.name);
}

export async function decodeImageFile(file: File, shortSide = DECODE_SHORT_SIDE): Promise<RGBImage> {
  if (!looksLikeImage(file)) throw new NotAnImageError(`not an image (${file.type || 'unknown file type'})`);
  if (file.size === 0) throw new ImageDecodeError('could not be decoded: the file is empty');
  let bmp: ImageBitmap;
  try {
    bmp = await createImageBitmap(file, { imageOrientation: 'from-image', premultiplyAlpha: 'none' });
  } catch {
    throw new ImageDecodeError(`could not be decoded: the browser cannot read this ${file.type || 'file'} (corrupt, truncated or an unsupported format such as HEIC or SVG)`);
  }
  try {
    const { width, height } = boundedSize(bmp.width, bmp.height, shortSide);
    if (width !== bmp.width || height !== bmp.height) {
      const big = bmp;
      bmp = await createImageBitmap(big, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
      big.close();
    }
    const canvas = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new ImageDecodeError('could not be decoded: this browser gives no 2D OffscreenCanvas');
    ctx.drawImage(bmp, 0, 0);
    const pixels = ctx.getImageData(0, 0, bmp.width, bmp.height).data; // RGBA, un-premultiplied
    return fromRGBA(file.name, bmp.width, bmp.height, pixels);
  } finally {
    bmp.close();
  }
}
