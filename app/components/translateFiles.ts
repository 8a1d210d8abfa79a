/**
 * The Translate panel's file helpers: which dropped files are generators to import (and how they group),
 * names for the outputs, PNG encoding of a Picture, and the zip of all outputs (fflate, stored: PNGs are
 * compressed already).
 */
import { zipSync } from 'fflate';
import type { Direction, Picture } from '../../src/protocol/messages';
import { isModelFile } from '../store/translate';

/**
 * Model files → import requests: each .pth alone; generator.json + generator.bin as one pair.
 * A .json or .bin without its partner is sent alone, so the engine says what is missing.
 */
export function groupModelFiles(files: File[]): File[][] {
  const pth = files.filter((f) => /\.(pth|pt)$/i.test(f.name)).map((f) => [f]);
  const json = files.filter((f) => /\.json$/i.test(f.name));
  const bin = files.filter((f) => /\.bin$/i.test(f.name));
  const pairs: File[][] = [];
  if (json.length === 1 && bin.length === 1) pairs.push([json[0], bin[0]]);
  else for (const f of [...json, ...bin]) pairs.push([f]);
  return [...pth, ...pairs];
}

export function splitDrop(files: File[]): { models: File[][]; images: File[] } {
  return { models: groupModelFiles(files.filter(isModelFile)), images: files.filter((f) => !isModelFile(f)) };
}

/** photo.jpg translated A→B → photo_fake_B.png (the reference's visual names). */
export function outputName(fileName: string, direction: Direction): string {
  const stem = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'image';
  return `${stem}_fake_${direction === 'AtoB' ? 'B' : 'A'}.png`;
}

export async function pictureToPng(p: Picture): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(p.width, p.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gives no 2D canvas to encode the PNG');
  ctx.putImageData(new ImageData(new Uint8ClampedArray(p.rgba), p.width, p.height), 0, 0);
  return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
}

/** One zip of named PNGs; repeated names get " (2)", " (3)" … before the extension. */
export async function zipPngs(entries: { name: string; picture: Picture }[]): Promise<Uint8Array> {
  const files: Record<string, [Uint8Array, { level: 0 }]> = {};
  for (const { name, picture } of entries) {
    let unique = name;
    for (let k = 2; unique in files; k++) unique = name.replace(/(\.png)$/i, ` (${k})$1`);
    files[unique] = [await pictureToPng(picture), { level: 0 }];
  }
  return zipSync(files);
}
