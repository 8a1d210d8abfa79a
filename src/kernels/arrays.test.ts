/** The array loops behind the fused kernels, against their plain definitions. */
import { describe, expect, it } from 'vitest';
import { reflectPad, reflectPadGrad } from './arrays';

/** A value per cell over many orders of magnitude, so that the order of a sum shows in its rounding. */
function noisy(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return Float32Array.from({ length: n }, () => (next() - 0.5) * 10 ** Math.floor(next() * 12 - 6));
}

const reflect = (j: number, n: number, p: number) => (j < p ? p - j : j >= n + p ? 2 * (n - 1) - (j - p) : j - p);

/** The adjoint as its definition reads: every padded cell's gradient added, in dy's order, in float64, to its source. */
function plainGrad(dy: Float32Array, N: number, H: number, W: number, C: number, p: number): Float32Array {
  const PH = H + 2 * p, PW = W + 2 * p;
  const acc = new Float64Array(N * H * W * C);
  for (let n = 0; n < N; n++)
    for (let r = 0; r < PH; r++)
      for (let q = 0; q < PW; q++)
        for (let c = 0; c < C; c++) acc[((n * H + reflect(r, H, p)) * W + reflect(q, W, p)) * C + c] += dy[((n * PH + r) * PW + q) * C + c];
  return Float32Array.from(acc);
}

describe('reflection pad', () => {
  const shapes: [number, number, number, number, number][] = [
    [1, 6, 6, 3, 1], [2, 5, 7, 4, 3], [1, 4, 4, 2, 3], [2, 9, 3, 5, 2], [1, 16, 16, 8, 1],
  ];

  it.each(shapes)('gradient of [%i, %i, %i, %i] padded by %i: the plain adjoint, to the bit', (N, H, W, C, p) => {
    const dy = noisy(N * (H + 2 * p) * (W + 2 * p) * C, N * 1000 + H * 100 + W * 10 + p);
    const dx = new Float32Array(N * H * W * C).fill(NaN); // every cell must be written
    reflectPadGrad(dy, dx, N, H, W, C, p);
    expect(dx).toEqual(plainGrad(dy, N, H, W, C, p));
  });

  it.each(shapes)('pad of [%i, %i, %i, %i] by %i copies each cell from its reflection', (N, H, W, C, p) => {
    const x = noisy(N * H * W * C, 7);
    const PH = H + 2 * p, PW = W + 2 * p;
    const y = new Float32Array(N * PH * PW * C);
    reflectPad(x, y, N, H, W, C, p);
    for (let n = 0; n < N; n++)
      for (let r = 0; r < PH; r++)
        for (let q = 0; q < PW; q++)
          for (let c = 0; c < C; c++) expect(y[((n * PH + r) * PW + q) * C + c]).toBe(x[((n * H + reflect(r, H, p)) * W + reflect(q, W, p)) * C + c]);
  });
});
