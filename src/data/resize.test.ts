import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toGray, type RGBImage } from './image';
import { resizeBicubic } from './resize';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/resize/pil_bicubic.json', import.meta.url), 'utf8')) as {
  width: number; height: number; src: number[]; gray: number[]; cases: { size: [number, number]; data: number[] }[];
};
const src: RGBImage = { name: 'x', width: fx.width, height: fx.height, channels: 3, data: Uint8Array.from(fx.src) };

describe('resizeBicubic equals PIL Image.resize(BICUBIC) byte for byte', () => {
  for (const c of fx.cases)
    it(`${fx.width}×${fx.height} → ${c.size[0]}×${c.size[1]}`, () => {
      const out = resizeBicubic(src, c.size[0], c.size[1]);
      expect(Array.from(out.data)).toEqual(c.data);
    });
  it("toGray equals PIL convert('L')", () => {
    expect(Array.from(toGray(src).data)).toEqual(fx.gray);
  });
});
