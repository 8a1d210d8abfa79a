/**
 * The Translate panel's file helpers: which dropped files are generators to import (and how they group),
 * names for the outputs, PNG encoding of a Picture, and the zip of all outputs (fflate, stored: PNGs are
 * compressed already).
 */
import { zipSync } from 'fflate';
import type { Direction, Picture } from '../../src/protocol/messages';
import { isModelFile } from '../store/translate';

/**
 * Model files → import requests: each .pth alone, each Export .zip alone; generator.json + generator.bin as one pair; an exported
 * model.json + its weights .bin as one pair. A folder written by `import-pth` holds both pairs for the same
 * generator: generator.json wins. A .json or .bin without its partner is sent alone, so the engine says what
 * is missing.
 */
export function groupModelFiles(files: File[]): File[][] {
  const out = files.filter((f) => /\.(pth|pt|zip)$/i.test(f.name)).map((f) => [f]); // a .zip: an Export (both generators)
  let json = files.filter((f) => /\.json$/i.test(f.name));
  let bin = files.filter((f) => /\.bin$/i.test(f.name));
  const named = (list: File[], name: string) => list.filter((f) => f.name === name);
  if (named(json, 'generator.json').length === 1 && named(bin, 'generator.bin').length === 1) {
    out.push([named(json, 'generator.json')[0], named(bin, 'generator.bin')[0]]);
    json = json.filter((f) => f.name !== 'generator.json' && f.name !== 'model.json'); // model.json: the same generator again
    bin = bin.filter((f) => f.name !== 'generator.bin' && !/^group\d+-shard\d+of\d+\.bin$/.test(f.name));
  }
  if (json.length === 1 && bin.length === 1) out.push([json[0], bin[0]]);
  else for (const f of [...json, ...bin]) out.push([f]);
  return out;
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
