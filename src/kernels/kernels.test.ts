/**
 * The fused kernels against the composite tfjs ops they replace (the reference): forward and gradient on cpu and
 * wasm, Adam with one to three gradient sets, a few training iterations with and without them, and the number of
 * kernel calls one iteration takes.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../backend/node';
import { syntheticDomain } from '../testing/synthetic';
import { makeConfig } from '../config';
import { layers } from '../model/discriminator';
import { layout } from '../model/generator';
import { CycleGANTrainer } from '../train/trainer';
import { INSTANCE_NORM } from './names';
import { adamUpdate, conv2d, fused, instanceNorm, reflectionPad, residualInstanceNorm, setFusedKernels } from './ops';
import { relErr, seededData } from '../testing/arrays';

const BACKENDS = ['cpu', 'wasm'] as const;

const data = seededData;

interface OpCase {
  name: string;
  shape: [number, number, number, number];
  /** The op under test on its input tensor(s); weights come from the seeds. */
  f: (x: tf.Tensor4D) => tf.Tensor4D;
}

const w3 = () => tf.tensor4d(data([3, 3, 5, 4], 7, 0.4), [3, 3, 5, 4]);
const bias = () => tf.tensor1d(data([4], 8));
const CASES: OpCase[] = [
  { name: 'instance norm', shape: [2, 6, 5, 3], f: (x) => instanceNorm(x) },
  { name: 'instance norm + ReLU', shape: [1, 7, 9, 8], f: (x) => instanceNorm(x, 'relu') },
  { name: 'instance norm + LeakyReLU(0.2)', shape: [2, 4, 4, 5], f: (x) => instanceNorm(x, 'leakyrelu', 0.2) },
  { name: 'skip + instance norm', shape: [2, 5, 6, 4], f: (x) => residualInstanceNorm(tf.mul(x, 0.5) as tf.Tensor4D, x) },
  { name: 'reflection pad 1', shape: [2, 4, 6, 3], f: (x) => reflectionPad(x, 1) },
  { name: 'reflection pad 3', shape: [1, 5, 4, 2], f: (x) => reflectionPad(x, 3) },
  { name: 'conv 3×3 + bias, pad 1', shape: [2, 7, 6, 5], f: (x) => conv2d(x, w3(), bias(), 1, 1) },
  { name: 'conv 3×3 stride 2 + bias, pad 1', shape: [1, 8, 8, 5], f: (x) => conv2d(x, w3(), bias(), 2, 1) },
  { name: 'reflection pad 1 → conv → IN + ReLU', shape: [1, 6, 6, 5], f: (x) => instanceNorm(conv2d(reflectionPad(x, 1), w3(), bias(), 1, 0), 'relu') },
];

/** y and dL/dx for L = Σ y·r (r fixed), on the active backend, fused or composite. */
function run(c: OpCase, useFused: boolean): Float32Array[] {
  setFusedKernels(useFused);
  try {
    return tf.tidy(() => {
      const x = tf.tensor4d(data(c.shape, 1, 2, 0.3), c.shape);
      const y = c.f(x);
      const r = tf.tensor(data(y.shape, 2), y.shape);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(c.f(t as tf.Tensor4D), r)))(x);
      return [y.dataSync() as Float32Array, g.dataSync() as Float32Array];
    });
  } finally {
    setFusedKernels(true);
  }
}

describe.each(BACKENDS)('fused kernels on %s', (backend) => {
  beforeAll(async () => {
    await initNodeBackend(backend);
  });

  it('are registered and used: instance norm + ReLU is one kernel call', async () => {
    expect(fused(INSTANCE_NORM)).toBe(true);
    const x = tf.tensor4d(data([1, 2, 2, 3], 5), [1, 2, 2, 3]);
    const p = await tf.profile(() => tf.dispose(instanceNorm(x, 'relu')));
    x.dispose();
    expect(p.kernels.map((k) => k.name)).toEqual([INSTANCE_NORM]);
  });

  it.each(CASES)('$name: forward and gradient equal the composite ops', (c) => {
    const [yF, gF] = run(c, true);
    const [yC, gC] = run(c, false);
    expect(yF.length).toBe(yC.length);
    expect(relErr(yF, yC)).toBeLessThan(2e-6);
    expect(relErr(gF, gC)).toBeLessThan(2e-6);
  });

  it.each([1, 2, 3])('Adam over %i gradient set(s) equals the composite update', (sets) => {
    const shape = [3, 4, 5];
    const step = (useFused: boolean) => {
      setFusedKernels(useFused);
      try {
        return tf.tidy(() => {
          const [p, m, v] = [1, 2, 3].map((s) => tf.tensor(data(shape, s, s === 3 ? 0.01 : 1, s === 3 ? 0.01 : 0), shape));
          const grads = Array.from({ length: sets }, (_, i) => tf.tensor(data(shape, 10 + i), shape));
          return adamUpdate(p, m, v, grads, { lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8, step: 7 }).map((t) => t.dataSync() as Float32Array);
        });
      } finally {
        setFusedKernels(true);
      }
    };
    const a = step(true), b = step(false);
    for (let i = 0; i < 3; i++) expect(relErr(a[i], b[i])).toBeLessThan(1e-6);
  });
});

describe('training with the fused kernels', () => {
  const tiny = { loadSize: 36, cropSize: 32, ngf: 8, nBlocks: 2, ndf: 8, seed: 3 };
  const domains = () => ({ A: syntheticDomain('a', 3, 40, 1), B: syntheticDomain('b', 3, 40, 2) });
  afterEach(() => setFusedKernels(true));

  /**
   * The biases of the convs that feed an InstanceNorm: their true gradient is 0 (the norm subtracts the mean), so
   * both paths hand Adam rounding noise, which it scales to steps of about ±lr: after n steps they may be up to
   * 2·n·lr apart (the parity tests allow the same).
   */
  function normFedBiases(t: CycleGANTrainer): Set<string> {
    const keys = new Set<string>();
    for (const g of ['G_A', 'G_B'] as const) {
      const out = `model.${layout(t.models[g].options).out}.bias`;
      for (const k of t.models.params(g).keys()) if (k.endsWith('.bias') && k !== out) keys.add(`${g}/${k}`);
    }
    for (const d of ['D_A', 'D_B'] as const) for (const l of layers(t.models[d].options)) if (l.norm) keys.add(`${d}/${l.key}.bias`);
    return keys;
  }

  /** Every parameter of the four networks after `n` iterations, by "net/key". */
  async function weightsAfter(config: typeof tiny, n: number, useFused: boolean): Promise<{ w: Map<string, Float32Array>; zero: Set<string> }> {
    setFusedKernels(useFused);
    const t = new CycleGANTrainer(config, domains());
    try {
      for (let i = 0; i < n; i++) await t.step();
      const w = new Map<string, Float32Array>();
      for (const net of ['G_A', 'G_B', 'D_A', 'D_B'] as const) for (const [k, v] of t.models.params(net)) w.set(`${net}/${k}`, v.dataSync() as Float32Array);
      return { w, zero: normFedBiases(t) };
    } finally {
      t.dispose();
    }
  }

  // cpu is slow: a smaller net there, the tiny preset on wasm
  it.each([
    ['cpu', { ...tiny, loadSize: 28, cropSize: 24, ngf: 4, ndf: 4 }],
    ['wasm', tiny],
  ] as const)('%s: the weights after 3 iterations equal the composite path within 1e-5', async (backend, config) => {
    await initNodeBackend(backend);
    const n = 3;
    const a = await weightsAfter(config, n, true);
    const b = await weightsAfter(config, n, false);
    let worst = 0, worstZero = 0;
    for (const [k, w] of a.w) {
      const ref = b.w.get(k)!;
      const e = w.reduce((m, x, j) => Math.max(m, Math.abs(x - ref[j])), 0);
      if (a.zero.has(k)) worstZero = Math.max(worstZero, e);
      else worst = Math.max(worst, e);
    }
    const lr = makeConfig(config).lr;
    console.log(`${backend}: fused vs composite after ${n} iterations, max |Δw| = ${worst.toExponential(2)}; zero-gradient biases (${a.zero.size}) ${worstZero.toExponential(2)} (2·n·lr = ${(2 * n * lr).toExponential(1)})`);
    expect(a.zero.size).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(1e-5);
    expect(worstZero).toBeLessThanOrEqual(2 * n * lr * (1 + 1e-3));
  });

  it('one iteration of the Classroom architecture (6 blocks) takes at most 2,000 kernel calls on wasm', async () => {
    await initNodeBackend('wasm');
    // the count depends on the layers, not their sizes: Classroom's 6 blocks at a small size
    const t = new CycleGANTrainer({ ...tiny, nBlocks: 6 }, domains());
    try {
      await t.step(); // the pools fill and the first-iteration paths run
      const p = await tf.profile(async () => {
        await t.step();
      });
      const counts = new Map<string, number>();
      for (const k of p.kernels) counts.set(k.name, (counts.get(k.name) ?? 0) + 1);
      console.log(`kernel calls per iteration: ${p.kernels.length} (${[...counts].sort((x, y) => y[1] - x[1]).slice(0, 6).map(([k, n]) => `${k} ${n}`).join(', ')})`);
      expect(p.kernels.length).toBeLessThanOrEqual(2000);
      expect(counts.get(INSTANCE_NORM)).toBeGreaterThan(0);
    } finally {
      t.dispose();
    }
  });
});
