/**
 * File → RGBImage in a browser page or worker.
 *
 * 1. The bytes are inspected first (inspect.ts): non-images, empty, truncated, SVG, HEIC and oversized files
 *    are skipped with a specific reason before any decoder runs.
 * 2. createImageBitmap decodes off the JS thread, with the EXIF orientation applied ('from-image'), no colour
 *    management ('none': PIL ignores ICC profiles too), un-premultiplied alpha, and — because the header gave
 *    the size — downscaled to the engine's bound while decoding: a 10000×10000 photo never becomes a 400 MB
 *    bitmap in the worker. Animated GIFs give their first frame (what PIL's Image.open reads).
 * 3. The pixels are read through WebGL (pixels.ts), which keeps un-premultiplied colour: alpha is DROPPED with
 *    the colour under it kept, exactly as PIL's convert('RGB'). A 2D canvas would store premultiplied colour
 *    and turn fully transparent pixels black; it is only the fallback when WebGL is unavailable.
 */
import { fromRGBA, type RGBImage } from './image';
import { BROWSER_FORMATS, formatName, inspectImage, orientedSize, SkipError } from './inspect';
import { readPixels } from './pixels';
import { boundedSize, DECODE_SHORT_SIDE } from '../engine/domains';

export async function decodeImageFile(file: File, shortSide = DECODE_SHORT_SIDE): Promise<RGBImage> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const header = inspectImage(file.name, bytes, BROWSER_FORMATS);
  const full = orientedSize(header);
  const { width, height } = boundedSize(full.width, full.height, shortSide);
  const resize = width !== full.width || height !== full.height ? { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' as const } : {};
  let bmp: ImageBitmap;
  try {
    bmp = await createImageBitmap(new Blob([bytes]), { imageOrientation: 'from-image', premultiplyAlpha: 'none', colorSpaceConversion: 'none', ...resize });
  } catch {
    throw new SkipError(`corrupt ${formatName(header.format)}: the browser cannot decode its pixels`);
  }
  try {
    return fromRGBA(file.name, bmp.width, bmp.height, readPixels(bmp));
  } finally {
    bmp.close();
  }
}
