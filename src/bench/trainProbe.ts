/**
 * Probe: runs a real forward + backward + Adam step of a small CycleGAN-like net (reflect pad,
 * 7×7 conv, 3×3 stride-2 conv with explicit pad, instance norm, ReLU, residual block,
 * conv2dTranspose, tanh, PatchGAN-style 4×4 convs with leakyReLU, MSE + L1 + sigmoid cross-entropy)
 * on the wasm backend, lists every kernel the step dispatches, and compares all gradients and the
 * losses with the cpu backend. Any kernel missing on wasm shows up as a thrown error.
 *
 *   npx tsx src/bench/trainProbe.ts
 */
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../backend/node';

type Params = Record<string, tf.Variable>;

function makeParams(seed: number): Record<string, Float32Array> {
  let s = seed >>> 0;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const shapes: Record<string, number[]> = {
    g1: [7, 7, 3, 8],
    g2: [3, 3, 8, 16],
    r1: [3, 3, 16, 16],
    r2: [3, 3, 16, 16],
    u1: [3, 3, 8, 16], // conv2dTranspose filter: [k, k, outC, inC]
    g3: [7, 7, 8, 3],
    g3b: [3],
    d1: [4, 4, 3, 8],
    d1b: [8],
    d2: [4, 4, 8, 16],
    d3: [4, 4, 16, 1],
  };
  const out: Record<string, Float32Array> = {};
  for (const [k, shape] of Object.entries(shapes)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = rand() * 0.4;
    out[k] = a;
  }
  return out;
}

const SHAPES: Record<string, number[]> = {
  g1: [7, 7, 3, 8], g2: [3, 3, 8, 16], r1: [3, 3, 16, 16], r2: [3, 3, 16, 16], u1: [3, 3, 8, 16],
  g3: [7, 7, 8, 3], g3b: [3], d1: [4, 4, 3, 8], d1b: [8], d2: [4, 4, 8, 16], d3: [4, 4, 16, 1],
};

function instanceNorm(x: tf.Tensor4D): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return x.sub(mean).mul(tf.rsqrt(variance.add(1e-5))) as tf.Tensor4D;
}

/** Reflect pad with the exact adjoint as gradient (as src/model/layers.ts does: slice/reverse/pad/addN). */
function reflect(x: tf.Tensor4D, p: number): tf.Tensor4D {
  const f = tf.customGrad((...args) => {
    const input = args[0] as tf.Tensor4D;
    const value = tf.mirrorPad(input, [[0, 0], [p, p], [p, p], [0, 0]], 'reflect');
    const fold = (dy: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D => {
      const n = dy.shape[axis] - 2 * p;
      const b = (s: number): [number, number, number, number] => (axis === 1 ? [0, s, 0, 0] : [0, 0, s, 0]);
      const z = (l: number): [number, number, number, number] => (axis === 1 ? [-1, l, -1, -1] : [-1, -1, l, -1]);
      const pads = (u: number, v: number): Array<[number, number]> =>
        axis === 1 ? [[0, 0], [u, v], [0, 0], [0, 0]] : [[0, 0], [0, 0], [u, v], [0, 0]];
      const left = tf.reverse(tf.slice(dy, b(0), z(p)), axis);
      const right = tf.reverse(tf.slice(dy, b(p + n), z(p)), axis);
      return tf.addN([tf.slice(dy, b(p), z(n)), tf.pad(left, pads(1, n - 1 - p)), tf.pad(right, pads(n - 1 - p, 1))]) as tf.Tensor4D;
    };
    return { value, gradFunc: (dy: tf.Tensor) => fold(fold(dy as tf.Tensor4D, 1), 2) };
  });
  return f(x) as tf.Tensor4D;
}

function generator(p: Params, x: tf.Tensor4D): tf.Tensor4D {
  let h = tf.relu(instanceNorm(tf.conv2d(reflect(x, 3), p.g1 as tf.Tensor4D, 1, 'valid')));
  h = tf.relu(instanceNorm(tf.conv2d(h, p.g2 as tf.Tensor4D, 2, [[0, 0], [1, 1], [1, 1], [0, 0]])));
  let r = tf.relu(instanceNorm(tf.conv2d(reflect(h, 1), p.r1 as tf.Tensor4D, 1, 'valid')));
  r = instanceNorm(tf.conv2d(reflect(r, 1), p.r2 as tf.Tensor4D, 1, 'valid'));
  h = h.add(r) as tf.Tensor4D;
  const [n, hh, ww] = h.shape;
  h = tf.relu(instanceNorm(tf.conv2dTranspose(h, p.u1 as tf.Tensor4D, [n, hh * 2, ww * 2, 8], 2, 1)));
  return tf.tanh(tf.conv2d(reflect(h, 3), p.g3 as tf.Tensor4D, 1, 'valid').add(p.g3b)) as tf.Tensor4D;
}

function discriminator(p: Params, x: tf.Tensor4D): tf.Tensor4D {
  let h = tf.leakyRelu(tf.conv2d(x, p.d1 as tf.Tensor4D, 2, 1).add(p.d1b), 0.2) as tf.Tensor4D;
  h = tf.leakyRelu(instanceNorm(tf.conv2d(h, p.d2 as tf.Tensor4D, 2, 1)), 0.2);
  return tf.conv2d(h, p.d3 as tf.Tensor4D, 1, 1);
}

function bceWithLogits(logits: tf.Tensor, target: number): tf.Scalar {
  // max(x,0) - x*z + log(1 + exp(-|x|)), as torch.nn.BCEWithLogitsLoss
  return tf.mean(tf.relu(logits).sub(logits.mul(target)).add(tf.log1p(tf.exp(tf.neg(tf.abs(logits))))));
}

function lossFn(p: Params, real: tf.Tensor4D): tf.Scalar {
  const fake = generator(p, real);
  const dFake = discriminator(p, fake);
  const mse = tf.mean(tf.squaredDifference(dFake, tf.onesLike(dFake)));
  const l1 = tf.mean(tf.abs(fake.sub(real))).mul(10);
  const bce = bceWithLogits(dFake, 1);
  const sce = tf.losses.sigmoidCrossEntropy(tf.zerosLike(dFake), dFake);
  // a few more ops the trainer may use: sqrt / square / maximum / minimum / select / sigmoid
  const vanilla = tf.mean(tf.softplus(tf.neg(dFake))); // -log σ(x), the vanilla GAN loss for target 1
  const stacked = tf.unstack(tf.stack([fake, real]))[0];
  const misc = tf.mean(tf.clipByValue(tf.div(stacked, 2), -0.4, 0.4)).add(tf.mean(tf.cast(tf.round(tf.mul(fake, 3)), 'float32')).mul(0));
  const extra = tf.mean(tf.sqrt(tf.square(fake).add(1e-3))).mul(0.01).add(vanilla).add(misc)
    .add(tf.mean(tf.where(tf.greaterEqual(fake, 0), tf.maximum(fake, 0.1), tf.minimum(fake, -0.1))).mul(0.01))
    .add(tf.mean(tf.sigmoid(dFake)).mul(0.01));
  return mse.add(l1).add(bce).add(sce).add(extra) as tf.Scalar;
}

export async function probe(backend: 'wasm' | 'cpu', steps = 2): Promise<{ loss: number[]; grads: Record<string, Float32Array>; kernels: string[] }> {
  await initNodeBackend(backend);
  const init = makeParams(7);
  const p: Params = {};
  for (const k of Object.keys(SHAPES)) p[k] = tf.variable(tf.tensor(init[k], SHAPES[k]), true, `${backend}_${k}_${Math.random()}`);
  const real = tf.tidy(() => tf.sin(tf.range(0, 32 * 32 * 3).reshape([1, 32, 32, 3]).mul(0.37)) as tf.Tensor4D);
  const { grads } = tf.variableGrads(() => lossFn(p, real), Object.values(p));
  const gradsOut: Record<string, Float32Array> = {};
  for (const [name, v] of Object.entries(p)) gradsOut[name] = grads[v.name].dataSync() as Float32Array;
  tf.dispose(grads);
  const opt = tf.train.adam(2e-4, 0.5, 0.999);
  const losses: number[] = [];
  let kernels: string[] = [];
  const before = tf.memory().numTensors;
  for (let i = 0; i < steps; i++) {
    const info = await tf.profile(() => {
      const l = opt.minimize(() => lossFn(p, real), true, Object.values(p));
      losses.push(l!.dataSync()[0]);
      l!.dispose();
    });
    if (i === steps - 1) kernels = [...new Set(info.kernelNames)].filter((k) => k !== 'forward').sort(); // 'forward' = a customGrad
  }
  const leaked = tf.memory().numTensors - before;
  opt.dispose();
  tf.dispose([real, ...Object.values(p)]);
  if (leaked > 2 * Object.keys(p).length + 2) console.warn(`[${backend}] ${leaked} tensors kept after ${steps} steps`);
  return { loss: losses, grads: gradsOut, kernels };
}

async function main(): Promise<void> {
  const w = await probe('wasm');
  console.log('wasm: kernels dispatched by one Adam training step:\n  ' + w.kernels.join(' '));
  const c = await probe('cpu');
  console.log('losses  wasm', w.loss.map((x) => x.toFixed(6)).join(' '), ' cpu', c.loss.map((x) => x.toFixed(6)).join(' '));
  let worst = 0;
  for (const k of Object.keys(c.grads)) {
    const a = w.grads[k];
    const b = c.grads[k];
    let d = 0;
    let m = 0;
    for (let i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
      m = Math.max(m, Math.abs(b[i]));
    }
    const rel = d / Math.max(m, 1e-6);
    worst = Math.max(worst, rel);
    console.log(`  grad ${k.padEnd(4)} max|wasm-cpu| ${d.toExponential(2)}  max|cpu| ${m.toExponential(2)}  rel ${rel.toExponential(2)}`);
  }
  console.log(worst < 1e-3 ? 'OK: wasm gradients match cpu' : `MISMATCH: worst relative diff ${worst}`);
}

const isMain = typeof process !== 'undefined' && process.argv[1] && /trainProbe\.[cm]?[tj]s$/.test(process.argv[1]);
if (isMain) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
