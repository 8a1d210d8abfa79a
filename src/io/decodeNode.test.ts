/**
 * Bad input in Node: every file of fixtures/bad (written by scripts/make_bad_inputs.py with PIL, the reference's
 * decoder) is either kept with PIL's convert('RGB') pixels or skipped with its specific reason; the big cases
 * are made here, in a temp dir.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { RGBImage } from '../data/image';
import { MAX_PIXELS } from '../data/inspect';
import { applyOrientation } from '../data/orient';
import { decodeImageBytes, loadFolder } from './decodeNode';

const DIR = join(import.meta.dirname, '../../fixtures/bad');
/** cli: false — kept by the browser, skipped by the CLI (GIF, WebP, BMP: the pure-JS decoders read PNG and JPEG). */
type Expected = { kept: true; width: number; height: number; corners: number[][]; note: string; cli: boolean } | { kept: false; reason: string; cliReason?: string };
const EXPECTED: Record<string, Expected> = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));
const bytesOf = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));

const pixel = (img: RGBImage, x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));
const corners = (img: RGBImage) => [
  pixel(img, 0, 0), pixel(img, img.width - 1, 0), pixel(img, 0, img.height - 1), pixel(img, img.width - 1, img.height - 1),
];

const tmp = mkdtempSync(join(tmpdir(), 'cgs-bad-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** An 8-bit gray PNG of w × h written directly (filter 0 rows): pixel = (x + y) mod 256 in 16-px blocks. */
function grayPng(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const raw = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = x < w / 2 ? 40 : 200;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

describe('decodeImageBytes on every fixture', () => {
  for (const [name, e] of Object.entries(EXPECTED)) {
    if (e.kept && !e.cli) {
      it(`skips ${name} in the CLI, naming the formats it reads`, () => {
        expect(() => decodeImageBytes(name, bytesOf(name))).toThrow(/is not read by the command line: PNG and JPEG only/);
      });
    } else if (e.kept) {
      it(`keeps ${name} (${e.note})`, () => {
        const img = decodeImageBytes(name, bytesOf(name));
        expect([img.width, img.height]).toEqual([e.width, e.height]);
        expect(img.channels).toBe(3);
        const got = corners(img).flat(), want = e.corners.slice(0, 4).flat();
        // PNG/GIF: PIL's pixels exactly; JPEG: jpeg-js and libjpeg round the IDCT differently (±3)
        const tol = /\.jpe?g$/.test(name) ? 3 : 0;
        got.forEach((v, i) => expect(Math.abs(v - want[i]), `${name} sample ${i}: ${got} vs ${want}`).toBeLessThanOrEqual(tol));
      });
    } else {
      it(`skips ${name} with its reason`, () => {
        expect(() => decodeImageBytes(name, bytesOf(name))).toThrow(new RegExp(e.cliReason ?? e.reason));
      });
    }
  }
});

describe('loadFolder', () => {
  it('keeps nested files and same-named files in different folders (with their paths), skips the rest with reasons', async () => {
    const r = await loadFolder(DIR);
    const names = r.images.map((i) => i.name);
    expect(names).toContain('rgb.png');
    expect(names).toContain('sub/rgb.png');
    const keptHere = Object.entries(EXPECTED).filter(([, e]) => e.kept && e.cli).length;
    expect(r.images).toHaveLength(keptHere);
    expect(r.skipped.find((s) => s.name === 'expected.json')?.reason).toMatch(/not an image \(JSON text\)/);
    expect(r.keys).toHaveLength(r.images.length);
    const pano = r.images.find((i) => i.name === 'panorama_2000x20.png')!;
    expect([pano.width, pano.height]).toEqual([1144, 11]); // longer side ≤ 4 × 286, aspect kept
  });

  it('an empty folder gives no images and no skipped files', async () => {
    const empty = mkdtempSync(join(tmp, 'empty-'));
    expect(await loadFolder(empty)).toEqual({ images: [], skipped: [], keys: [] });
  });
});

describe('guards', () => {
  it('downscales a 10000×10000 PNG to the bound while loading (box reduce, then bicubic)', () => {
    const big = grayPng(10_000, 10_000);
    const img = decodeImageBytes('big.png', new Uint8Array(big), 286);
    expect([img.width, img.height]).toEqual([286, 286]);
    expect(pixel(img, 10, 10)).toEqual([40, 40, 40]);
    expect(pixel(img, 275, 275)).toEqual([200, 200, 200]);
  });

  it('refuses a decompression bomb from its header alone, before allocating', () => {
    const side = Math.ceil(Math.sqrt(MAX_PIXELS)) + 1;
    const header = grayPng(1, 1);
    header.writeUInt32BE(side, 16); // IHDR width
    header.writeUInt32BE(side, 20); // IHDR height (CRC now wrong: never read)
    expect(() => decodeImageBytes('bomb.png', new Uint8Array(header))).toThrow(/too large: more than 179 megapixels/);
  });

  it('applies each EXIF orientation as its definition says', () => {
    const img: RGBImage = { name: 'o', width: 3, height: 2, channels: 1 as 1 | 3, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) } as RGBImage;
    // stored:  1 2 3 / 4 5 6
    const want: Record<number, [number, number, number[]]> = {
      1: [3, 2, [1, 2, 3, 4, 5, 6]], 2: [3, 2, [3, 2, 1, 6, 5, 4]], 3: [3, 2, [6, 5, 4, 3, 2, 1]], 4: [3, 2, [4, 5, 6, 1, 2, 3]],
      5: [2, 3, [1, 4, 2, 5, 3, 6]], 6: [2, 3, [4, 1, 5, 2, 6, 3]], 7: [2, 3, [6, 3, 5, 2, 4, 1]], 8: [2, 3, [3, 6, 2, 5, 1, 4]],
    };
    for (const [o, [w, h, data]] of Object.entries(want)) {
      const r = applyOrientation(img, Number(o));
      expect([r.width, r.height, Array.from(r.data)], `orientation ${o}`).toEqual([w, h, data]);
    }
  });

  it('a truncated PNG or JPEG is refused even when the decoder would fill it with grey', () => {
    for (const name of ['rgb.png', 'photo.jpg']) {
      const b = bytesOf(name);
      expect(() => decodeImageBytes(name, b.subarray(0, b.length - 2))).toThrow(/truncated/);
    }
  });

  it('tiny text files and text that looks like a weak image signature are "not an image", not "corrupt"', () => {
    const text = (t: string) => new TextEncoder().encode(t);
    expect(() => decodeImageBytes('meta.json', text('{}'))).toThrow(/^not an image \(JSON text\)$/);
    expect(() => decodeImageBytes('a.txt', text('P1 2 2'))).toThrow(/^not an image \(text\)$/); // a PNM signature
    expect(() => decodeImageBytes('x.png', text('hi'))).toThrow(/^not an image: the name says image but the file holds text$/);
    expect(() => decodeImageBytes('README', Uint8Array.from([0, 1, 2, 250]))).toThrow(/^not an image \(data of an unknown kind\)$/);
  });

  it('a JPEG with data after its end marker (phones append videos) is kept', () => {
    const b = bytesOf('photo.jpg');
    const withTail = new Uint8Array(b.length + 100);
    withTail.set(b);
    withTail.fill(0xab, b.length);
    expect(decodeImageBytes('motion.jpg', withTail).width).toBe(24);
    writeFileSync(join(tmp, 'x'), '');
  });
});
