/**
 * RGBImage → PNG bytes, in pure JS (fflate's zlib; no canvas, no Node built-ins): 8-bit RGB or gray, no filter,
 * no interlace. For files a worker or the page writes itself, such as the training images of an export.
 */
import { zlibSync } from 'fflate';
import type { RGBImage } from '../data/image';
import { crc32 } from './crc32';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export function encodePngBytes(img: RGBImage): Uint8Array {
  const { width, height, channels } = img;
  const header = new Uint8Array(13);
  const h = new DataView(header.buffer);
  h.setUint32(0, width);
  h.setUint32(4, height);
  header.set([8, channels === 3 ? 2 : 0, 0, 0, 0], 8); // bit depth 8, RGB (2) or gray (0), deflate, no filter, no interlace
  const row = width * channels;
  const raw = new Uint8Array(height * (row + 1)); // each scanline: filter type 0, then its samples
  for (let y = 0; y < height; y++) raw.set(img.data.subarray(y * row, (y + 1) * row), y * (row + 1) + 1);
  const parts = [Uint8Array.from(SIGNATURE), chunk('IHDR', header), chunk('IDAT', zlibSync(raw, { level: 6 })), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((off, p) => (out.set(p, off), off + p.length), 0);
  return out;
}
