/** translate(): the reference's test.py --preprocess none, checked against PyTorch on a real PNG. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTensor, loadFixture, nchwToNhwc, type Fixture } from '../parity/loadFixture';
import { disposeParams } from '../model/params';
import { syntheticImage } from '../testing/synthetic';
import { decodeImageBytes } from './decodeNode';
import { importPthGenerator } from './pth/pth';
import { boundLongestSide, prepareForGenerator, roundToMultipleOf4, translate } from './translate';

const DIR = fileURLToPath(new URL('../../fixtures/pth/', import.meta.url));
let expected: Fixture;
beforeAll(async () => {
  await tf.setBackend('cpu');
  expected = loadFixture('expected', DIR);
});

describe('translate (--preprocess none)', () => {
  it('rounds sides to multiples of 4 as Python rounds (halves to even), bounding the longer side first', () => {
    const size = (w: number, h: number) => {
      const r = roundToMultipleOf4(syntheticImage('x', w, h, 1));
      return [r.width, r.height];
    };
    expect(size(45, 26)).toEqual([44, 24]); // 26/4 = 6.5 → 6 (Math.round would give 7 → 28)
    expect(size(18, 22)).toEqual([16, 24]); // 4.5 → 4, 5.5 → 6
    expect(size(37, 2)).toEqual([36, 4]); // never below 4
    const big = boundLongestSide(syntheticImage('x', 2000, 900, 1), 1024);
    expect([big.width, big.height]).toEqual([1024, 461]);
    expect(boundLongestSide(big, 0)).toBe(big); // 0: no bound
  });

  it('translate_in.png through g_zip.pth matches PyTorch: input exactly, output within 1e-4', async () => {
    const img = decodeImageBytes('translate_in.png', new Uint8Array(readFileSync(`${DIR}/translate_in.png`)));
    expect([img.width, img.height]).toEqual([45, 26]);
    const x = nchwToNhwc(getTensor(expected, 'translate_in/input'));
    const y = nchwToNhwc(getTensor(expected, 'translate_in/output'));
    const { generator: g } = importPthGenerator(new Uint8Array(readFileSync(`${DIR}/g_zip.pth`)));
    try {
      const src = prepareForGenerator(g, img);
      expect([1, src.height, src.width, 3]).toEqual(x.shape);
      // PIL's bicubic resize, bit for bit: the bytes PyTorch normalised are the bytes we feed
      src.data.forEach((v, i) => expect(v, `pixel byte ${i}`).toBe(Math.round((x.data[i] + 1) * 127.5)));
      const out = tf.tidy(() => g.apply(tf.sub(tf.div(tf.tensor4d(src.data, [1, src.height, src.width, 3], 'float32'), 127.5), 1) as tf.Tensor4D));
      const got = out.dataSync();
      out.dispose();
      let maxDiff = 0;
      for (let i = 0; i < y.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - y.data[i]));
      expect(maxDiff).toBeLessThan(1e-4);
      // and translate() itself: its bytes are PyTorch's output in [0, 255], rounded
      const r = await translate(g, img);
      expect([r.output.width, r.output.height]).toEqual([44, 24]);
      let worst = 0;
      for (let i = 0; i < y.data.length; i++) worst = Math.max(worst, Math.abs(r.output.data[i] - (y.data[i] + 1) * 127.5));
      expect(worst).toBeLessThanOrEqual(0.5 + 127.5e-4);
    } finally {
      disposeParams(g.params);
    }
  });
});
