/**
 * Kept files the user should hear about: an animated GIF (only its first frame is trained on) and transparency
 * (dropped as the reference's convert('RGB') drops it). The frame count is read from the GIF's blocks, the note
 * travels with the image to the domain summary the panel lists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RGBImage } from './image';
import { BROWSER_FORMATS, gifFrames, hasTransparency, inspectImage, keptNote } from './inspect';
import { decodeAll, summarize } from '../engine/domains';
import { bitmapOptions } from './decodeBrowser';

const FIX = join(import.meta.dirname, '../../fixtures/bad');

// GIF89a, 1×1, a 2-colour global table, one graphic-control extension, one image, the trailer
const HEAD = [...'GIF89a'].map((c) => c.charCodeAt(0)).concat([1, 0, 1, 0, 0x80, 0, 0, 255, 255, 255, 0, 0, 0]);
const GCE = [0x21, 0xf9, 4, 1, 0, 0, 0, 0];
const IMAGE = [0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0];
const gif = (frames: number) => new Uint8Array([...HEAD, ...Array.from({ length: frames }, () => [...GCE, ...IMAGE]).flat(), 0x3b]);

describe('kept with a note', () => {
  it('counts the frames of a GIF from its blocks', () => {
    expect(gifFrames(gif(1))).toBe(1);
    expect(gifFrames(gif(3))).toBe(3);
    expect(inspectImage('still.gif', gif(1), BROWSER_FORMATS)).toMatchObject({ format: 'gif', width: 1, height: 1, frames: 1 });
    expect(inspectImage('animated.gif', new Uint8Array(readFileSync(join(FIX, 'animated.gif'))), BROWSER_FORMATS)).toMatchObject({ format: 'gif', frames: 2 });
  });

  it('says which frame of an animated GIF is used, and that transparency is dropped; nothing for a plain file', () => {
    const h = inspectImage('animated.gif', new Uint8Array(readFileSync(join(FIX, 'animated.gif'))), BROWSER_FORMATS);
    expect(keptNote(h, false)).toBe('animated GIF (2 frames): only the first frame is used');
    const png = inspectImage('rgba.png', new Uint8Array(readFileSync(join(FIX, 'rgba.png'))), BROWSER_FORMATS);
    expect(keptNote(png, true)).toBe("transparency dropped: transparent pixels keep their stored colour, as the reference's convert('RGB')");
    expect(keptNote(png, false)).toBeUndefined();
    expect(keptNote(inspectImage('still.gif', gif(1), BROWSER_FORMATS), false)).toBeUndefined();
    expect(hasTransparency([1, 2, 3, 255, 4, 5, 6, 255])).toBe(false);
    expect(hasTransparency([1, 2, 3, 255, 4, 5, 6, 0])).toBe(true);
  });

  it('the note reaches the domain summary the panel lists (and only noted files are listed)', async () => {
    const image = (name: string, note?: string): RGBImage => ({ name, width: 2, height: 2, channels: 3, data: new Uint8Array(12), ...(note ? { note } : {}) });
    const decode = async (f: File) => image(f.name, f.name.endsWith('.gif') ? 'animated GIF (2 frames): only the first frame is used' : undefined);
    const r = await decodeAll([new File(['a'], 'x/a.gif'), new File(['b'], 'x/b.png')], decode, 286, () => undefined);
    const s = summarize('A', { ...r, source: 'x' });
    expect(s.count).toBe(2);
    expect(s.notes).toEqual([{ name: 'x/a.gif', note: 'animated GIF (2 frames): only the first frame is used' }]);
    expect(summarize('A', { ...r, images: r.images.slice(1), source: 'x' }).notes).toBeUndefined();
  });
});

describe('how the browser is asked to decode', () => {
  const header = (width: number, height: number, orientation = 1) => ({ format: 'png', width, height, orientation, frames: 1 });
  it('a 10000×10000 photo is downscaled while decoding (never a 400 MB bitmap); a panorama keeps its aspect within 4×', () => {
    expect(bitmapOptions(header(10_000, 10_000), 286)).toMatchObject({ resizeWidth: 286, resizeHeight: 286, resizeQuality: 'high' });
    expect(bitmapOptions(header(20_000, 100), 286)).toMatchObject({ resizeWidth: 1144, resizeHeight: 6 });
    expect(bitmapOptions(header(24, 16), 286)).not.toHaveProperty('resizeWidth'); // small files as they are (8×8 is upscaled later, by the load-size resize)
  });
  it('upright (EXIF orientation, whose 5–8 swap the sides the bound applies to), stored colour, alpha not premultiplied', () => {
    expect(bitmapOptions(header(6000, 300, 6), 286)).toMatchObject({ imageOrientation: 'from-image', resizeWidth: 57, resizeHeight: 1144 }); // upright 300×6000
    expect(bitmapOptions(header(24, 16), 286)).toEqual({ imageOrientation: 'from-image', premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  });
});
