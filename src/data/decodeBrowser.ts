/**
 * File → RGBImage in a browser page or worker.
 *
 * 1. The bytes are inspected first (inspect.ts): non-images, empty, truncated, SVG, HEIC and oversized files
 *    are skipped with a specific reason before any decoder runs.
 * 2. createImageBitmap decodes off the JS thread, with the EXIF orientation applied ('from-image'), no colour
 *    management ('none': PIL ignores ICC profiles too), un-premultiplied alpha, and — because the header gave
 *    the size — downscaled to the engine's bound while decoding: a 10000×10000 photo never becomes a 400 MB
 *    bitmap in the worker. Animated GIFs give their first frame (what PIL's Image.open reads), and say so.
 * 3. The pixels are read through WebGL (pixels.ts), which keeps un-premultiplied colour: alpha is DROPPED with
 *    the colour under it kept, exactly as PIL's convert('RGB'). A 2D canvas would store premultiplied colour
 *    and turn fully transparent pixels black; it is only the fallback when WebGL is unavailable.
 * 4. A kept file that is not used exactly as it is (animated, transparent) carries a `note` the domain panel lists.
 */
import { fromRGBA, type RGBImage } from './image';
import { BROWSER_FORMATS, formatName, hasTransparency, inspectImage, keptNote, orientedSize, SkipError, type ImageHeader } from './inspect';
import { readPixels } from './pixels';
import { boundedSize, DECODE_SHORT_SIDE } from './domain';

/**
 * How createImageBitmap must decode a file with this header: upright, colour as stored, and — when the header's
 * size is over the bound — downscaled while decoding (the full-size bitmap is never made).
 */
export function bitmapOptions(header: ImageHeader, shortSide: number): ImageBitmapOptions {
  const full = orientedSize(header);
  const { width, height } = boundedSize(full.width, full.height, shortSide);
  const resize = width !== full.width || height !== full.height ? { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' as const } : {};
  return { imageOrientation: 'from-image', premultiplyAlpha: 'none', colorSpaceConversion: 'none', ...resize };
}

export async function decodeImageFile(file: File, shortSide = DECODE_SHORT_SIDE): Promise<RGBImage> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const header = inspectImage(file.name, bytes, BROWSER_FORMATS);
  let bmp: ImageBitmap;
  try {
    bmp = await createImageBitmap(new Blob([bytes]), bitmapOptions(header, shortSide));
  } catch {
    throw new SkipError(`corrupt ${formatName(header.format)}: the browser cannot decode its pixels`);
  }
  try {
    const rgba = readPixels(bmp);
    const note = keptNote(header, header.format !== 'jpg' && hasTransparency(rgba));
    return { ...fromRGBA(file.name, bmp.width, bmp.height, rgba), ...(note ? { note } : {}) };
  } finally {
    bmp.close();
  }
}
