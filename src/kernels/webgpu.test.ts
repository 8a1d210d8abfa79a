/**
 * The WGSL kernels (webgpu/) against the cpu backend's fused kernels (arrays.ts, the reference): forward and
 * gradient through the ops of ops.ts, Adam's three outputs, and a tiny CycleGAN iteration, in Node on WebGPU (Dawn;
 * Chromium's SwiftShader when there is no GPU). Tensors belong to a backend, so every cpu result is computed
 * first, as arrays, and the backend switched once.
 *
 * Tolerance: |webgpu − cpu| ≤ 1e-5 × max |cpu| per tensor (~100 float32 ulps of the largest value). The cpu kernels
 * sum in float64 and round once; the WGSL ones sum in float32 (per invocation, then a tree, then the splits), so the
 * statistics differ by a few ulps: the errors seen on SwiftShader are 5e-8 to 9e-7 (logged per case), Adam's at most
 * one ulp. 1e-5 leaves room for another GPU's rounding (fused multiply-adds) and still fails on a wrong index or an
 * E[x²] − E[x]² variance (~3e-5 on the inputs around 10). The losses of the iteration: within 1e-3 (seen: ~1e-6).
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../backend/node';
import { SWIFTSHADER_ICD } from '../backend/nodeWebgpu';
import { syntheticDomain } from '../testing/synthetic';
import { CycleGANTrainer } from '../train/trainer';
import { LOSS_NAMES } from '../train/losses';
import { ADAM, INSTANCE_NORM, INSTANCE_NORM_GRAD, REFLECT_PAD, REFLECT_PAD_GRAD } from './names';
import { adamUpdate, fused, instanceNorm, reflectionPad, residualInstanceNorm } from './ops';
import { relErr, seededData } from '../testing/arrays';

// Dawn reads it when it first enumerates adapters (a GPU's own Vulkan driver needs none)
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

const TOLERANCE = 1e-5;

const data = seededData;

type Shape = [number, number, number, number];
interface OpCase {
  name: string;
  shape: Shape;
  f: (x: tf.Tensor4D) => tf.Tensor4D;
  offset?: number; // the inputs' mean (0.3 unless given); their spread is ±1
}

// channel blocks are 4, 8 or 32 wide (webgpu/tiling.ts): C = 3, 5, 33, 40 leave a block part-filled; H·W of a few
// thousand is split into ranges reduced by separate workgroups
const CASES: OpCase[] = [
  { name: 'instance norm, C 3', shape: [2, 6, 5, 3], f: (x) => instanceNorm(x) },
  { name: 'instance norm + ReLU, C 40', shape: [2, 7, 9, 40], f: (x) => instanceNorm(x, 'relu') },
  { name: 'instance norm + LeakyReLU(0.2), C 5', shape: [2, 4, 6, 5], f: (x) => instanceNorm(x, 'leakyrelu', 0.2) },
  { name: 'skip + instance norm, C 8', shape: [2, 5, 6, 8], f: (x) => residualInstanceNorm(tf.mul(x, 0.5) as tf.Tensor4D, x) },
  { name: 'instance norm + ReLU, H·W split', shape: [2, 50, 45, 5], f: (x) => instanceNorm(x, 'relu') },
  { name: 'instance norm + LeakyReLU, H·W split', shape: [1, 70, 66, 3], f: (x) => instanceNorm(x, 'leakyrelu', 0.2) },
  { name: 'skip + instance norm, H·W split, C 33', shape: [1, 48, 47, 33], f: (x) => residualInstanceNorm(tf.mul(x, -0.5) as tf.Tensor4D, x) },
  // E[x²] − E[x]² in float32 would be off by ~3e-5 here; Welford's update is not
  { name: 'instance norm, inputs around 10, H·W split', shape: [1, 40, 60, 6], f: (x) => instanceNorm(x), offset: 10 },
  { name: 'reflection pad 1', shape: [2, 4, 6, 3], f: (x) => reflectionPad(x, 1) },
  { name: 'reflection pad 3', shape: [2, 5, 7, 2], f: (x) => reflectionPad(x, 3) },
  { name: 'reflection pad 3, both mirrors on one cell', shape: [1, 4, 4, 5], f: (x) => reflectionPad(x, 3) },
  { name: 'pad 1 → IN + ReLU → pad 3', shape: [2, 6, 5, 4], f: (x) => reflectionPad(instanceNorm(reflectionPad(x, 1), 'relu'), 3) },
];

/** y and dL/dx for L = Σ y·r (r fixed), on the active backend. */
async function forwardAndGrad(c: OpCase): Promise<Float32Array[]> {
  const [y, g] = tf.tidy(() => {
    const x = tf.tensor4d(data(c.shape, 1, 2, c.offset ?? 0.3), c.shape);
    const out = c.f(x);
    const r = tf.tensor(data(out.shape, 2), out.shape);
    return [out, tf.grad((t: tf.Tensor) => tf.sum(tf.mul(c.f(t as tf.Tensor4D), r)))(x)];
  });
  const arrays = [(await y.data()) as Float32Array, (await g.data()) as Float32Array]; // data(), not dataSync(): a GPU read
  tf.dispose([y, g]);
  return arrays;
}

const ADAM_CASES = [
  { sets: 1, shape: [3, 4, 5] },
  { sets: 2, shape: [37] },
  { sets: 3, shape: [2, 3, 3, 7] },
];

async function adamStep(sets: number, shape: number[]): Promise<Float32Array[]> {
  const outs = tf.tidy(() => {
    const [p, m, v] = [1, 2, 3].map((s) => tf.tensor(data(shape, s, s === 3 ? 0.01 : 1, s === 3 ? 0.01 : 0), shape));
    const grads = Array.from({ length: sets }, (_, i) => tf.tensor(data(shape, 10 + i), shape));
    return adamUpdate(p, m, v, grads, { lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8, step: 7 });
  });
  const arrays = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(outs);
  return arrays;
}

const TINY = { loadSize: 36, cropSize: 32, ngf: 8, nBlocks: 2, ndf: 8, seed: 5 };

/** The eight losses of the first iteration of a seeded tiny run, and (when profiled) the kernels it called. */
async function firstIteration(profile: boolean): Promise<{ losses: number[]; kernels: Set<string> }> {
  const t = new CycleGANTrainer(TINY, { A: syntheticDomain('a', 3, 40, 1), B: syntheticDomain('b', 3, 40, 2) });
  try {
    let losses: number[] = [];
    const step = async () => {
      const r = await t.step();
      losses = LOSS_NAMES.map((n) => r.losses[n]);
    };
    const kernels = profile ? (await tf.profile(step)).kernels.map((k) => k.name) : (await step(), []);
    return { losses, kernels: new Set(kernels) };
  } finally {
    t.dispose();
  }
}

describe('WGSL fused kernels on webgpu equal the cpu ones', () => {
  const cpu = new Map<string, Float32Array[]>();
  let cpuLosses: number[] = [];

  beforeAll(async () => {
    await initNodeBackend('cpu');
    for (const c of CASES) cpu.set(c.name, await forwardAndGrad(c));
    for (const a of ADAM_CASES) cpu.set(`adam ${a.sets}`, await adamStep(a.sets, a.shape));
    cpuLosses = (await firstIteration(false)).losses; // the slowest part (the cpu backend's convolutions)
    await initNodeBackend('webgpu');
  });

  it('are registered for webgpu and used: instance norm + ReLU is one kernel call', async () => {
    for (const k of [INSTANCE_NORM, INSTANCE_NORM_GRAD, REFLECT_PAD, REFLECT_PAD_GRAD, ADAM]) expect(fused(k), k).toBe(true);
    const x = tf.tensor4d(data([1, 2, 2, 3], 5), [1, 2, 2, 3]);
    const p = await tf.profile(() => tf.dispose(instanceNorm(x, 'relu')));
    x.dispose();
    expect(p.kernels.map((k) => k.name)).toEqual([INSTANCE_NORM]);
  });

  it.each(CASES)('$name: forward and gradient', async (c) => {
    const [yC, gC] = cpu.get(c.name)!;
    const [yG, gG] = await forwardAndGrad(c);
    expect(yG.length).toBe(yC.length);
    const ey = relErr(yG, yC), eg = relErr(gG, gC);
    console.log(`${c.name}: relative error forward ${ey.toExponential(1)}, gradient ${eg.toExponential(1)}`);
    expect(ey).toBeLessThan(TOLERANCE);
    expect(eg).toBeLessThan(TOLERANCE);
  });

  it('frees the buffers it uses on the way (statistics, partial sums, Adam moments)', async () => {
    const split = CASES.find((c) => c.name === 'skip + instance norm, H·W split, C 33')!;
    const before = tf.backend().numDataIds(); // the backend's buffers, not only the engine's tensors
    await forwardAndGrad(split);
    await adamStep(3, [5, 6]);
    expect(tf.backend().numDataIds()).toBe(before);
  });

  it.each(ADAM_CASES)('Adam over $sets gradient set(s), shape $shape: param, m and v', async ({ sets, shape }) => {
    const ref = cpu.get(`adam ${sets}`)!;
    const out = await adamStep(sets, shape);
    const errs = out.map((o, i) => relErr(o, ref[i]));
    console.log(`Adam ×${sets}: relative error p ${errs[0].toExponential(1)}, m ${errs[1].toExponential(1)}, v ${errs[2].toExponential(1)}`);
    for (const e of errs) expect(e).toBeLessThan(TOLERANCE);
  });

  it('a tiny CycleGAN iteration gives the cpu losses within 1e-3, through the fused kernels', async () => {
    const before = tf.memory().numTensors;
    const { losses, kernels } = await firstIteration(true);
    expect(tf.memory().numTensors).toBe(before);
    const worst = Math.max(...losses.map((l, i) => Math.abs(l - cpuLosses[i])));
    console.log(`losses, webgpu vs cpu: max |Δ| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-3);
    for (const k of [INSTANCE_NORM, INSTANCE_NORM_GRAD, REFLECT_PAD, REFLECT_PAD_GRAD, ADAM]) expect(kernels.has(k), k).toBe(true);
  });
});
