/** PNG images for the engine's tests: the decoder the engine is given in Node, and an image as a dropped .png file. */
import { PNG } from 'pngjs';
import { fromRGBA, type RGBImage } from '../data/image';
import { ImageDecodeError, NotAnImageError } from '../engine/errors';
import { encodePng } from '../io/decodeNode';

/** Node's decoder for tests: PNG only, via pngjs, with the errors the browser's decoder gives. */
export async function decodePng(file: File): Promise<RGBImage> {
  if (!file.type.startsWith('image/')) throw new NotAnImageError(`not an image (${file.type || 'unknown type'})`);
  try {
    const png = PNG.sync.read(Buffer.from(await file.arrayBuffer()));
    return fromRGBA(file.name, png.width, png.height, png.data);
  } catch (e) {
    throw new ImageDecodeError(`could not be decoded (${(e as Error).message})`);
  }
}

/** `img` as a .png file, as a person would drop it. */
export const pngOf = (img: RGBImage): File => new File([new Uint8Array(encodePng(img))], img.name, { type: 'image/png' });
