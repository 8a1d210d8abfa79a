/**
 * Image files → RGBImage in Node with pure-JS decoders (pngjs, jpeg-js; no native binaries). Used by the CLI.
 * Files are recognised by their bytes, not their extension (inspect.ts: the same checks and reasons as the
 * browser); anything the CLI cannot train on is skipped with its reason. What comes out matches the browser:
 * alpha dropped (colour kept, as PIL's convert('RGB')), 16-bit samples → their high byte (as PIL), CMYK JPEG →
 * RGB, EXIF orientation applied, and big photos downscaled to the engine's bound while loading.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { fromRGBA, type RGBImage } from '../data/image';
import { CLI_FORMATS, formatName, inspectImage, MAX_PIXELS, orientedSize, SkipError } from '../data/inspect';
import { applyOrientation, reduceBox } from '../data/orient';
import { resizeBicubic } from '../data/resize';
import { boundedSize, DECODE_SHORT_SIDE, fileKey } from '../data/domain';

/** Why a file was skipped (the same class the browser decoder throws). */
export { SkipError as DecodeError };

const u32 = (b: Uint8Array, i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

/**
 * The PNG without its tRNS chunk: pngjs turns a tRNS colour key into (0, 0, 0, 0), losing the colour PIL's
 * convert('RGB') keeps; alpha is dropped anyway.
 */
function withoutTransparency(b: Uint8Array): Buffer {
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  for (let i = 8; i + 8 <= b.length; ) {
    const end = Math.min(b.length, i + 12 + u32(b, i));
    if (String.fromCharCode(b[i + 4], b[i + 5], b[i + 6], b[i + 7]) !== 'tRNS') parts.push(b.subarray(i, end));
    i = end;
  }
  return Buffer.concat(parts);
}

function decodePng(name: string, bytes: Uint8Array): RGBImage {
  const png = PNG.sync.read(withoutTransparency(bytes), { skipRescale: true });
  const depth = (png as unknown as { depth: number }).depth;
  if (depth !== 16) return fromRGBA(name, png.width, png.height, png.data);
  const d16 = png.data as unknown as ArrayLike<number>; // 16-bit samples, not rescaled
  const rgba = new Uint8Array(png.width * png.height * 4);
  for (let i = 0; i < rgba.length; i++) rgba[i] = d16[i] >> 8;
  return fromRGBA(name, png.width, png.height, rgba);
}

function decodeJpeg(name: string, bytes: Uint8Array): RGBImage {
  // the header was checked against MAX_PIXELS; these limits only keep jpeg-js from refusing what PIL opens
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: Math.ceil(MAX_PIXELS / 1e6), maxMemoryUsageInMB: 4096 });
  return fromRGBA(name, img.width, img.height, img.data);
}

/** Downscales (keeping aspect) to the engine's bound: a box reduction to about 2× the target, then PIL's bicubic. */
export function boundImage(img: RGBImage, shortSide: number): RGBImage {
  const t = boundedSize(img.width, img.height, shortSide);
  if (t.width === img.width && t.height === img.height) return img;
  const factor = Math.floor(Math.min(img.width / t.width, img.height / t.height) / 2);
  return resizeBicubic(reduceBox(img, factor), t.width, t.height);
}

/** Decodes a PNG (any bit depth, palette, gray, alpha) or JPEG (baseline, progressive, CMYK), upright and bounded. */
export function decodeImageBytes(name: string, bytes: Uint8Array, shortSide = Infinity): RGBImage {
  const header = inspectImage(name, bytes, CLI_FORMATS);
  let img: RGBImage;
  try {
    img = header.format === 'png' ? decodePng(name, bytes) : decodeJpeg(name, bytes);
  } catch (e) {
    throw new SkipError(`corrupt ${formatName(header.format)}: ${(e as Error).message}`);
  }
  const upright = orientedSize(header);
  img = boundImage(applyOrientation(img, header.orientation), shortSide);
  if (img.width > upright.width || img.height > upright.height) throw new SkipError('corrupt image: the pixels do not match the header');
  return img;
}

export interface FolderLoad {
  images: RGBImage[];
  skipped: { name: string; reason: string }[];
  /** One per image, as the engine's DomainData.keys: finds the same files in both domains. */
  keys: string[];
}

/** All files under `dir`, recursively, in sorted order (as the reference's make_dataset). */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * Every file under `dir`: decoded and bounded (shorter side ≤ `shortSide`, as the studio keeps them), or
 * skipped with its reason. One file at a time, so memory holds one full-size image at most.
 */
export async function loadFolder(dir: string, shortSide = DECODE_SHORT_SIDE): Promise<FolderLoad> {
  const s = await stat(dir).catch(() => null);
  if (!s?.isDirectory()) throw new SkipError(`${dir} is not a folder`);
  const res: FolderLoad = { images: [], skipped: [], keys: [] };
  for (const file of await walk(dir)) {
    const name = relative(dir, file);
    try {
      const bytes = new Uint8Array(await readFile(file));
      res.images.push(decodeImageBytes(name, bytes, shortSide));
      res.keys.push(fileKey(name, bytes.length));
    } catch (e) {
      res.skipped.push({ name, reason: (e as Error).message });
    }
  }
  return res;
}

export async function loadImageFile(path: string): Promise<RGBImage> {
  return decodeImageBytes(path, new Uint8Array(await readFile(path)));
}

export function encodePng(img: RGBImage): Buffer {
  const png = new PNG({ width: img.width, height: img.height });
  for (let i = 0; i < img.width * img.height; i++) {
    const c = img.channels;
    png.data[4 * i] = img.data[c * i];
    png.data[4 * i + 1] = img.data[c * i + (c === 3 ? 1 : 0)];
    png.data[4 * i + 2] = img.data[c * i + (c === 3 ? 2 : 0)];
    png.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(png);
}
