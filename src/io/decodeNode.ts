/**
 * Image files → RGBImage in Node with pure-JS decoders (pngjs, jpeg-js; no native binaries). Used by the CLI.
 * Files are recognised by their bytes, not their extension; anything else is skipped with a reason.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { fromRGBA, type RGBImage } from '../data/image';

export class DecodeError extends Error {
  override name = 'DecodeError';
}

export function sniff(bytes: Uint8Array): 'png' | 'jpeg' | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** Decodes PNG (any bit depth, palette, gray, alpha — alpha dropped as PIL's convert('RGB')) or baseline/progressive JPEG. */
export function decodeImageBytes(name: string, bytes: Uint8Array): RGBImage {
  if (bytes.length === 0) throw new DecodeError('empty file (0 bytes)');
  const kind = sniff(bytes);
  if (!kind) throw new DecodeError('not a PNG or JPEG image');
  try {
    if (kind === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes)); // → 8-bit RGBA whatever the source format
      return fromRGBA(name, png.width, png.height, png.data);
    }
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    return fromRGBA(name, img.width, img.height, img.data);
  } catch (e) {
    throw new DecodeError(`could not decode ${kind.toUpperCase()}: ${(e as Error).message}`);
  }
}

export interface FolderLoad {
  images: RGBImage[];
  skipped: { name: string; reason: string }[];
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

export async function loadFolder(dir: string): Promise<FolderLoad> {
  const s = await stat(dir).catch(() => null);
  if (!s?.isDirectory()) throw new DecodeError(`${dir} is not a folder`);
  const res: FolderLoad = { images: [], skipped: [] };
  for (const file of await walk(dir)) {
    const name = relative(dir, file);
    try {
      res.images.push(decodeImageBytes(name, new Uint8Array(await readFile(file))));
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
