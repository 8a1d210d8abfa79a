import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { initNodeBackend } from './node';
import { registerWasmTrainingKernels, setWasmKernelMethods, type BackpropFilterMethod, type BackpropInputMethod } from './wasmKernels';
import { probe } from '../bench/trainProbe';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  x: [number, number, number, number];
  k: [number, number, number, number]; // [KH, KW, Ci, Co]
  s: number | [number, number];
  pad: Pad;
  round?: 'floor' | 'round' | 'ceil';
}

const E = (t: number, b: number, l: number, r: number): Pad => [[0, 0], [t, b], [l, r], [0, 0]];

const CASES: Case[] = [
  { x: [1, 6, 6, 3], k: [1, 1, 3, 4], s: 1, pad: 0 },
  { x: [2, 7, 5, 2], k: [1, 1, 2, 3], s: 2, pad: 'valid' },
  { x: [1, 8, 8, 3], k: [3, 3, 3, 4], s: 1, pad: 'same' },
  { x: [2, 9, 7, 3], k: [3, 3, 3, 4], s: 2, pad: 'same' },
  { x: [1, 8, 8, 4], k: [3, 3, 4, 5], s: 2, pad: 1 }, // the generator's down/up-sampling layers
  { x: [1, 8, 10, 4], k: [3, 3, 4, 2], s: 2, pad: E(1, 1, 1, 1) },
  { x: [2, 7, 6, 3], k: [3, 3, 3, 2], s: 2, pad: E(0, 2, 1, 0) },
  { x: [1, 8, 8, 3], k: [4, 4, 3, 5], s: 2, pad: 1 }, // PatchGAN
  { x: [1, 8, 8, 5], k: [4, 4, 5, 3], s: 1, pad: 1 },
  { x: [1, 7, 9, 2], k: [4, 4, 2, 3], s: 1, pad: 3 },
  { x: [1, 9, 9, 2], k: [3, 3, 2, 3], s: 2, pad: 3 }, // pad > K-1
  { x: [1, 6, 5, 3], k: [1, 1, 3, 2], s: 1, pad: 1 }, // pad > K-1
  { x: [1, 12, 11, 3], k: [7, 7, 3, 4], s: 1, pad: 'valid' },
  { x: [2, 10, 9, 4], k: [7, 7, 4, 2], s: 1, pad: 3 },
  { x: [1, 9, 8, 3], k: [3, 2, 3, 4], s: [2, 1], pad: 'same' }, // non-square kernel and strides
  { x: [1, 9, 9, 2], k: [3, 3, 2, 3], s: 2, pad: 'valid' },
  { x: [1, 9, 9, 2], k: [3, 3, 2, 3], s: 2, pad: 1, round: 'ceil' },
  { x: [1, 9, 9, 1], k: [3, 3, 1, 1], s: 1, pad: 'same' }, // single channel in/out
];

function data(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const a = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

/** conv2d forward + grads, conv2dTranspose forward + grads, on the active backend. */
function compute(c: Case): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(data(c.x, 1), c.x);
    const w = tf.tensor4d(data(c.k, 2), c.k);
    const conv = (a: Tensor, b: Tensor) => tf.conv2d(a as Tensor4D, b as Tensor4D, c.s, c.pad, 'NHWC', 1, c.round);
    const y = conv(x, w);
    const dy = tf.tensor4d(data(y.shape, 3), y.shape as [number, number, number, number]);
    const [gx, gw] = tf.grads(conv)([x, w], dy);
    // conv2dTranspose maps y-shaped inputs back to x's shape with the same filter
    const tconv = (a: Tensor, b: Tensor) => tf.conv2dTranspose(a as Tensor4D, b as Tensor4D, c.x, c.s, c.pad, c.round);
    const t = tconv(dy, w);
    const dt = tf.tensor4d(data(c.x, 4), c.x);
    const [gtIn, gtW] = tf.grads(tconv)([dy, w], dt);
    return [y, gx, gw, t, gtIn, gtW].map((r) => r.dataSync() as Float32Array);
  });
}

const NAMES = ['conv2d', 'conv2d dx', 'conv2d dw', 'conv2dTranspose', 'conv2dTranspose dx', 'conv2dTranspose dw'];

function relErr(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / Math.max(1, m);
}

const METHODS: Array<{ filter: BackpropFilterMethod; input: BackpropInputMethod }> = [
  { filter: 'auto', input: 'auto' },
  { filter: 'conv', input: 'dilate' },
  { filter: 'im2col', input: 'phase' },
  { filter: 'auto', input: 'gemm' },
];

let cpuResults: Float32Array[][] = [];

beforeAll(async () => {
  await initNodeBackend('cpu');
  cpuResults = CASES.map(compute);
  await initNodeBackend('wasm');
}, 60_000);

describe('wasm training kernels vs cpu', () => {
  for (const m of METHODS) {
    it(`conv2d / conv2dTranspose forward and gradients match cpu (filter=${m.filter}, input=${m.input})`, async () => {
      await tf.setBackend('wasm');
      setWasmKernelMethods(m);
      try {
        CASES.forEach((c, i) => {
          const got = compute(c);
          got.forEach((g, j) => {
            const e = relErr(g, cpuResults[i][j]);
            expect(e, `${NAMES[j]} ${JSON.stringify(c)}`).toBeLessThanOrEqual(1e-4);
          });
        });
      } finally {
        setWasmKernelMethods({ filter: 'auto', input: 'auto' });
      }
    });
  }

  it('Reverse matches cpu (axes, dtypes)', async () => {
    const cases: Array<{ shape: number[]; axes: number[]; dtype: 'float32' | 'int32' | 'bool' }> = [
      { shape: [1, 3, 70, 8], axes: [1], dtype: 'float32' },
      { shape: [1, 70, 3, 8], axes: [2], dtype: 'float32' },
      { shape: [2, 3, 4, 5], axes: [1, 2], dtype: 'float32' },
      { shape: [2, 3, 4, 5], axes: [0, 3], dtype: 'int32' },
      { shape: [2, 3, 4, 5], axes: [-1], dtype: 'float32' },
      { shape: [2, 1, 4, 5], axes: [1], dtype: 'float32' },
      { shape: [7], axes: [0], dtype: 'bool' },
      { shape: [3, 40], axes: [0, 1], dtype: 'float32' },
    ];
    const run = () =>
      cases.map((c) =>
        tf.tidy(() => {
          const n = c.shape.reduce((a, b) => a * b, 1);
          const v = Array.from(data([n], 11), (z) => Math.round(z * 100));
          const t = c.dtype === 'bool' ? tf.tensor(v.map((z) => z > 0), c.shape, 'bool') : tf.tensor(v, c.shape, c.dtype);
          return Array.from(tf.reverse(t, c.axes).dataSync());
        }),
      );
    await tf.setBackend('cpu');
    const want = run();
    await tf.setBackend('wasm');
    expect(run()).toEqual(want);
  });

  it('registerWasmTrainingKernels is idempotent', () => {
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBeDefined();
  });

  it('leaks no tensors and no backend data ids', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const tensors0 = tf.memory().numTensors;
    const ids0 = backend.numDataIds();
    const x = tf.tensor4d(data([2, 9, 9, 3], 5), [2, 9, 9, 3]);
    const w = tf.tensor4d(data([3, 3, 3, 4], 6), [3, 3, 3, 4]);
    const u = tf.tensor4d(data([3, 3, 2, 3], 7), [3, 3, 2, 3]);
    const step = () => {
      for (const m of METHODS) {
        setWasmKernelMethods(m);
        const [gx, gw] = tf.grads((a: Tensor, b: Tensor) => tf.conv2d(a as Tensor4D, b as Tensor4D, 2, 1).square().sum())([x, w]);
        const [gt, gu] = tf.grads((a: Tensor, b: Tensor) => tf.conv2dTranspose(a as Tensor4D, b as Tensor4D, [2, 18, 18, 2], 2, 1).sum())([x, u]);
        const [g7, g7w] = tf.grads((a: Tensor, b: Tensor) => tf.conv2d(a as Tensor4D, b as Tensor4D, 1, 'same').sum())([x, w]);
        tf.dispose([gx, gw, gt, gu, g7, g7w]);
      }
      setWasmKernelMethods({ filter: 'auto', input: 'auto' });
    };
    step(); // warm-up
    const tensors = tf.memory().numTensors;
    const ids = backend.numDataIds();
    for (let i = 0; i < 10; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(ids);
    tf.dispose([x, w, u]);
    expect(tf.memory().numTensors).toBe(tensors0);
    expect(backend.numDataIds()).toBe(ids0);
  });
});

describe('a CycleGAN-like training step on wasm', () => {
  it('finds every kernel it needs and matches the cpu gradients', async () => {
    const wasm = await probe('wasm', 1);
    const cpu = await probe('cpu', 1);
    expect(wasm.kernels).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MirrorPad', 'Reverse']));
    expect(Math.abs(wasm.loss[0] - cpu.loss[0])).toBeLessThan(1e-4 * Math.abs(cpu.loss[0]));
    for (const k of Object.keys(cpu.grads)) expect(relErr(wasm.grads[k], cpu.grads[k]), k).toBeLessThanOrEqual(1e-4);
  });
});

describe('initNodeBackend', () => {
  it('activates and returns the requested backend', async () => {
    expect(await initNodeBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await initNodeBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown backend with a clear error', async () => {
    await expect(initNodeBackend('webgl' as 'cpu')).rejects.toThrow(/unknown backend 'webgl'/);
  });
});
