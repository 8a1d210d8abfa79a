/**
 * What a file really is, read from its bytes before any decoder sees it: the format, the pixel size and the
 * EXIF orientation (image-size reads the headers), or a specific reason to skip it. Shared by the browser
 * decoder and the CLI's, so both skip the same files for the same reasons.
 *
 * Why check before decoding:
 * - decoders accept truncated PNG/JPEG and fill the missing rows with grey; the reference (PIL, without
 *   LOAD_TRUNCATED_IMAGES) refuses them, and a half-grey picture would quietly poison training;
 * - the header gives the size, so a 100 MP photo is downscaled while decoding and a decompression bomb is
 *   refused before it allocates anything (PIL's limit: 2 × 89,478,485 pixels);
 * - a file's name says nothing: `photo.png` may hold text, a ZIP, or a HEIC from a phone.
 */
import { imageSize } from 'image-size';

export type ImageFormat = 'png' | 'jpg' | 'gif' | 'bmp' | 'webp' | 'avif' | 'heic' | 'heif' | 'svg' | 'ico' | 'tiff' | string;

export interface ImageHeader {
  format: ImageFormat;
  width: number; // as stored
  height: number;
  /** EXIF orientation 1–8 (JPEG only); 5–8 swap width and height when applied. */
  orientation: number;
  /** Frames in the file (an animated GIF has several; decoders, like PIL's Image.open, read the first). */
  frames: number;
}

/** PIL's Image.MAX_IMAGE_PIXELS × 2: above this PIL raises DecompressionBombError instead of decoding. */
export const MAX_PIXELS = 2 * 89_478_485;

/** Why a file is skipped. `reason` is the same text for every file skipped for the same cause (the UI groups by it). */
export class SkipError extends Error {
  override name = 'SkipError';
}

/** Files operating systems and tools leave in folders; never images. */
const SYSTEM_FILES = /^(\.ds_store|thumbs\.db|desktop\.ini|\._.*|\.directory|icon\r?)$/i;
const IMAGE_EXTENSION = /\.(png|jpe?g|jfif|gif|bmp|webp|avif|heic|heif|svg|ico|tiff?)$/i;

/** Formats the studio decodes in the browser (createImageBitmap); `cliOnly` in the CLI (pure-JS decoders). */
export const BROWSER_FORMATS = new Set(['png', 'jpg', 'gif', 'bmp', 'webp', 'avif', 'ico']);
export const CLI_FORMATS = new Set(['png', 'jpg']);

const baseName = (name: string) => name.slice(name.lastIndexOf('/') + 1);

/** 'jpg' → 'JPEG', 'png' → 'PNG': the names people know. */
export const formatName = (f: string): string => (f === 'jpg' ? 'JPEG' : f === 'webp' ? 'WebP' : f.toUpperCase());

const UNKNOWN = 'data of an unknown kind';
/** Formats whose signature is weak enough to match text (a PNM starts "P1"…"P7", a TGA has none). */
const WEAK_SIGNATURES = new Set(['tga', 'pnm']);

/** Best guess at what non-image bytes are, for the message. */
function describeContent(b: Uint8Array): string {
  const ascii = (n: number) => String.fromCharCode(...b.subarray(0, n));
  if (ascii(2) === 'PK') return 'a ZIP archive';
  if (ascii(4) === '%PDF') return 'a PDF document';
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip data';
  if (ascii(8).slice(4) === 'ftyp') return 'a video or other ISO media file';
  const head = b.subarray(0, Math.min(b.length, 512));
  const printable = head.every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c !== 127));
  if (printable) {
    const t = new TextDecoder().decode(head).trimStart();
    if (t.startsWith('{') || t.startsWith('[')) return 'JSON text';
    if (/^<(!doctype html|html)/i.test(t)) return 'an HTML page';
    return 'text';
  }
  return UNKNOWN;
}

/**
 * The header of an image file, or a SkipError saying why it is not one the studio can train on.
 * `supported` is the set of formats the caller's decoder reads.
 */
export function inspectImage(name: string, bytes: Uint8Array, supported: Set<string>): ImageHeader {
  const base = baseName(name);
  if (SYSTEM_FILES.test(base)) throw new SkipError('not an image: a file the operating system keeps in folders');
  if (bytes.length === 0) throw new SkipError('empty file (0 bytes)');
  let size: ReturnType<typeof imageSize> | null = null;
  let headerError = '';
  try {
    size = imageSize(bytes);
  } catch (e) {
    headerError = (e as Error).message;
  }
  const format = size ? (size.type === 'jpeg' ? 'jpg' : (size.type ?? 'unknown')) : '';
  // image-size's weaker signatures (TGA, PNM, DDS) also match text: an unknown or unsupported match that reads as
  // text, JSON, HTML or an archive is that, not a broken image
  if (!size || WEAK_SIGNATURES.has(format)) {
    const what = describeContent(bytes);
    const named = IMAGE_EXTENSION.test(base);
    if (/unsupported file type: undefined/.test(headerError) || what !== UNKNOWN || !named)
      throw new SkipError(named ? `not an image: the name says image but the file holds ${what}` : `not an image (${what})`);
  }
  if (!size) throw new SkipError('corrupt or truncated image: its header cannot be read');
  if (format === 'svg') throw new SkipError('SVG is skipped: a vector drawing has no fixed pixels and may load external files; export it as PNG');
  if (format === 'heic' || format === 'heif')
    throw new SkipError('HEIC/HEIF photos cannot be decoded by the browser: export them as JPEG (on iPhone: Settings › Camera › Formats › Most Compatible)');
  if (!supported.has(format))
    throw new SkipError(supported === CLI_FORMATS ? `${formatName(format)} is not read by the command line: PNG and JPEG only (the studio in the browser reads it)` : `${formatName(format)} images are not supported: use PNG or JPEG`);
  const { width, height } = size;
  if (!(width > 0 && height > 0)) throw new SkipError('corrupt image: its header gives no size');
  if (width * height > MAX_PIXELS)
    throw new SkipError(`too large: more than ${Math.round(MAX_PIXELS / 1e6)} megapixels (the reference's decompression-bomb limit); downscale it first`);
  if (format === 'png' && !pngComplete(bytes)) throw new SkipError('truncated or corrupt PNG: the file ends before its last chunk');
  if (format === 'jpg' && !jpegComplete(bytes)) throw new SkipError('truncated JPEG: the file ends before the end-of-image marker');
  const orientation = size.orientation && size.orientation >= 1 && size.orientation <= 8 ? size.orientation : 1;
  return { format, width, height, orientation, frames: format === 'gif' ? gifFrames(bytes) : 1 };
}

/**
 * What the user should know about a file that is kept but not used exactly as it is (the domain panel lists it):
 * only the first frame of an animated GIF is trained on, and transparency is dropped the way the reference's
 * convert('RGB') drops it (the colour stored under a transparent pixel is kept, not composited on white).
 */
export function keptNote(h: ImageHeader, transparent: boolean): string | undefined {
  const notes: string[] = [];
  if (h.frames > 1) notes.push(`animated GIF (${h.frames} frames): only the first frame is used`);
  if (transparent) notes.push('transparency dropped: transparent pixels keep their stored colour, as the reference\'s convert(\'RGB\')');
  return notes.length ? notes.join('; ') : undefined;
}

/** Whether any pixel of RGBA bytes is not fully opaque. */
export function hasTransparency(rgba: ArrayLike<number>): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return true;
  return false;
}

/**
 * Counts a GIF's frames (image descriptors) by walking its blocks; a damaged tail counts what was read.
 * Layout: 6-byte signature, 7-byte screen descriptor (+ global colour table), then extension blocks (0x21),
 * images (0x2C: 9-byte descriptor, local colour table, LZW code size, data sub-blocks) and the trailer (0x3B).
 */
export function gifFrames(b: Uint8Array): number {
  const table = (packed: number) => (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);
  const subBlocks = (i: number) => {
    while (i < b.length && b[i] !== 0) i += b[i] + 1;
    return i + 1;
  };
  let i = 13 + table(b[10]);
  let frames = 0;
  while (i < b.length) {
    const block = b[i];
    if (block === 0x3b) break;
    if (block === 0x21) i = subBlocks(i + 2);
    else if (block === 0x2c) {
      frames++;
      i = subBlocks(i + 10 + table(b[i + 9]) + 1);
    } else break;
  }
  return Math.max(1, frames);
}

/** Size after applying the EXIF orientation (5–8 are transposed). */
export function orientedSize(h: ImageHeader): { width: number; height: number } {
  return h.orientation >= 5 ? { width: h.height, height: h.width } : { width: h.width, height: h.height };
}

const u32 = (b: Uint8Array, i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

/** Walks the PNG chunks: complete when IEND is reached inside the file. */
function pngComplete(b: Uint8Array): boolean {
  let i = 8;
  while (i + 8 <= b.length) {
    const len = u32(b, i);
    const type = String.fromCharCode(b[i + 4], b[i + 5], b[i + 6], b[i + 7]);
    if (i + 12 + len > b.length) return false;
    if (type === 'IEND') return true;
    i += 12 + len;
  }
  return false;
}

/**
 * Walks the JPEG markers: segments by their length, entropy-coded data up to the next real marker (in scan
 * data 0xFF is followed by 0x00 or a restart marker). Complete when EOI is reached; data after EOI is allowed
 * (phones append videos), an embedded EXIF thumbnail's EOI is inside APP1 and skipped.
 */
function jpegComplete(b: Uint8Array): boolean {
  let i = 2;
  while (i + 1 < b.length) {
    if (b[i] !== 0xff) return false;
    const m = b[i + 1];
    if (m === 0xff) {
      i++; // fill byte
      continue;
    }
    if (m === 0xd9) return true;
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      i += 2;
      continue;
    }
    if (i + 3 >= b.length) return false;
    const len = (b[i + 2] << 8) | b[i + 3];
    i += 2 + len;
    if (m === 0xda) {
      // scan data: skip to the next marker that is not stuffing or a restart
      while (i + 1 < b.length && !(b[i] === 0xff && b[i + 1] !== 0x00 && !(b[i + 1] >= 0xd0 && b[i + 1] <= 0xd7))) i++;
    }
  }
  return false;
}
