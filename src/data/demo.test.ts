import { describe, expect, it } from 'vitest';
import { DEMOS, makeDemo } from './demo';
import type { RGBImage } from './image';

const mean = (imgs: RGBImage[]) => {
  const s = [0, 0, 0];
  let n = 0;
  for (const im of imgs) for (let i = 0; i < im.data.length; i += 3, n++) for (let c = 0; c < 3; c++) s[c] += im.data[i + c];
  return s.map((v) => v / n / 255);
};

describe('demo domains', () => {
  it('draws 40 images of 96×96 RGB per domain by default, named after the domain', () => {
    const d = makeDemo('apples2oranges');
    for (const dom of ['A', 'B'] as const) {
      expect(d[dom]).toHaveLength(40);
      for (const im of d[dom]) {
        expect([im.width, im.height, im.channels, im.data.length]).toEqual([96, 96, 3, 96 * 96 * 3]);
        expect(im.name).toMatch(new RegExp(`^${DEMOS.apples2oranges[dom]}_\\d{3}\\.png$`));
      }
    }
  });

  it('is deterministic in the seed, and the seed matters', () => {
    const a = makeDemo('summer2winter', { count: 3, size: 32, seed: 5 });
    const b = makeDemo('summer2winter', { count: 3, size: 32, seed: 5 });
    const c = makeDemo('summer2winter', { count: 3, size: 32, seed: 6 });
    expect(b.A.map((i) => [...i.data])).toEqual(a.A.map((i) => [...i.data]));
    expect(c.A[0].data).not.toEqual(a.A[0].data);
  });

  it('varies from image to image (not one picture repeated)', () => {
    for (const demo of ['apples2oranges', 'summer2winter'] as const) {
      const d = makeDemo(demo, { count: 6, size: 48 });
      const keys = new Set(d.A.concat(d.B).map((i) => Buffer.from(i.data).toString('base64')));
      expect(keys.size).toBe(12);
    }
  });

  it('gives the domains the colours CycleGAN should learn to translate', () => {
    const f = makeDemo('apples2oranges', { count: 12, size: 48 });
    const [, gA] = mean(f.A), [rB, gB, bB] = mean(f.B);
    expect(rB).toBeGreaterThan(bB); // oranges warm the picture
    expect(gB).not.toBeCloseTo(gA, 2);
    const s = makeDemo('summer2winter', { count: 12, size: 48 });
    const [rS, gS, bS] = mean(s.A), [rW, gW, bW] = mean(s.B);
    expect(gS).toBeGreaterThan(rS); // green summer
    expect(rW + gW + bW).toBeGreaterThan(rS + gS + bS + 0.4); // white winter
    expect(Math.abs(rW - bW)).toBeLessThan(0.15); // grey-white, not coloured
  });

  it('rejects bad options with the option named', () => {
    expect(() => makeDemo('apples2oranges', { count: 0 })).toThrow(/count/);
    expect(() => makeDemo('apples2oranges', { size: 3 })).toThrow(/size/);
  });
});
