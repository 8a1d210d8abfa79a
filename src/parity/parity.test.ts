/**
 * Parity with the PyTorch reference (fixtures/parity, made by scripts/make_parity_fixtures.py with torch 1.13):
 * one full CycleGAN iteration from identical weights and inputs, through our own code path
 * (src/train/step.ts trainIteration), compared on forward outputs, losses, the gradients each optimizer
 * used, and the weights after the Adam step. tfjs cpu backend (float32).
 *
 * Tolerance rules
 *   forward outputs and D maps: |ours − ref| ≤ 1e-4 absolute.
 *   losses: |ours − ref| ≤ 1e-4 · max(1, |ref|)  (absolute below 1, relative for values > 1).
 *   gradients: per tensor, max|ours − ref| ≤ 1e-4 · max|ref|  (absolute, scaled by the tensor's largest
 *     entry), except the zeroGradBiases (conv biases feeding an InstanceNorm, true gradient 0): |ours| < 1e-5.
 *   after Adam: |ours − ref| ≤ 1e-4 absolute for every entry, except where |grad| ≤ 1e-5 on either side
 *     (first-step Adam moves by ≈ ±lr·sign(g), and a near-zero g may flip sign: up to 2·lr apart); for the
 *     zeroGradBiases |after − init| ≤ lr·(1 + 1e-3).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CycleGAN, NET_NAMES, type NetName } from '../model/cyclegan';
import { Rng } from '../rng';
import { Adam } from '../train/adam';
import { ImagePool } from '../train/imagePool';
import { LOSS_NAMES } from '../train/losses';
import { trainIteration, type Optimizers, type VisualName } from '../train/step';
import { fixtureParams, getTensor, loadFixture, loadInitWeights, nchwToNhwc, type Fixture, type FixtureTensor } from './loadFixture';

/** An Adam that records the gradients it is given (the sum of the loss terms' sets, in order), then steps as usual. */
class SpyAdam extends Adam {
  recorded: tf.Tensor[] | null = null;

  override apply(...sets: tf.Tensor[][]): void {
    if (this.recorded) tf.dispose(this.recorded);
    this.recorded = sets[0].map((g, i) => tf.keep(tf.tidy(() => sets.slice(1).reduce((s, set) => tf.add(s, set[i]), g.clone()))));
    super.apply(...sets);
  }

  override dispose(): void {
    if (this.recorded) tf.dispose(this.recorded);
    this.recorded = null;
    super.dispose();
  }
}

const TOL = 1e-4;
const TINY_GRAD = 1e-5;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

const fmt = (x: number) => x.toExponential(2);

interface CaseResult {
  fixture: Fixture;
  /** name → [ours NHWC, ref NHWC] */
  outputs: Map<string, { ours: Float32Array; shape: number[]; ref: FixtureTensor }>;
  visualNames: VisualName[];
  losses: Float32Array;
  /** net → key → ours (tfjs layout) */
  grads: Map<NetName, Map<string, Float32Array>>;
  after: Map<NetName, Map<string, Float32Array>>;
  init: Map<NetName, Map<string, FixtureTensor>>;
  specsOf: (net: NetName) => CycleGAN['G_A']['specs'];
  leaked: number;
}

const summary: string[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(() => {
  console.log(`parity max errors (tfjs ${tf.version.tfjs}, ${tf.getBackend()} backend):\n${summary.join('\n')}`);
});

async function runCase(name: string): Promise<CaseResult> {
  const f = loadFixture(name);
  const c = f.config;
  const before = tf.memory().numTensors;
  const m = new CycleGAN({ inputNc: c.inputNc, ngf: c.ngf, nBlocks: c.nBlocks, ndf: c.ndf, nLayersD: c.nLayersD, initGain: 0.02 }, new Rng(123));
  loadInitWeights(m, f);
  const input = (n: string) => {
    const t = nchwToNhwc(getTensor(f, n));
    return tf.tensor4d(t.data, t.shape as [number, number, number, number]);
  };
  const realA = input('input/real_A');
  const realB = input('input/real_B');

  const outputs: CaseResult['outputs'] = new Map();
  const keepOut = async (n: string, t: tf.Tensor) => {
    outputs.set(n, { ours: (await t.data()) as Float32Array, shape: t.shape, ref: nchwToNhwc(getTensor(f, `out/${n}`)) });
    t.dispose();
  };

  // The four D maps with the initial weights, before any step (the reference's pred_G_* / pred_D_*_real).
  const fakeB0 = m.G_A.apply(realA);
  const fakeA0 = m.G_B.apply(realB);
  await keepOut('D_A(fake_B)', m.D_A.apply(fakeB0));
  await keepOut('D_B(fake_A)', m.D_B.apply(fakeA0));
  await keepOut('D_A(real_B)', m.D_A.apply(realB));
  await keepOut('D_B(real_A)', m.D_B.apply(realA));
  tf.dispose([fakeB0, fakeA0]);

  const opt = Object.fromEntries(NET_NAMES.map((n) => [n, new SpyAdam([...m.params(n).values()], c.lr, c.beta1, c.beta2, c.eps)])) as Record<NetName, SpyAdam>;
  const optimizers: Optimizers = opt;
  const pools = { A: new ImagePool(50), B: new ImagePool(50) }; // empty: the query returns the new fake
  const h = { lambdaA: c.lambdaA, lambdaB: c.lambdaB, lambdaIdentity: c.lambdaIdentity, ganMode: c.ganMode };
  const r = trainIteration({ models: m, optimizers, pools, rng: new Rng(7), hyper: h }, realA, realB, { visuals: true });

  const visualNames = (Object.keys(r.visuals) as VisualName[]).sort();
  for (const v of ['fake_B', 'rec_A', 'fake_A', 'rec_B', 'idt_A', 'idt_B'] as const) {
    const t = r.visuals[v];
    if (t) await keepOut(v, t);
  }
  tf.dispose(Object.values(r.visuals));
  const losses = (await r.losses.data()) as Float32Array;
  r.losses.dispose();

  const grads: CaseResult['grads'] = new Map();
  const after: CaseResult['after'] = new Map();
  const init: CaseResult['init'] = new Map();
  for (const net of NET_NAMES) {
    const keys = [...m.params(net).keys()];
    const rec = opt[net].recorded;
    expect(rec, `${net} optimizer was never applied`).not.toBeNull();
    grads.set(net, new Map(await Promise.all(keys.map(async (k, i) => [k, (await rec![i].data()) as Float32Array] as const))));
    after.set(net, new Map(await Promise.all(keys.map(async (k) => [k, (await m.params(net).get(k)!.data()) as Float32Array] as const))));
    init.set(net, fixtureParams(f, 'init', net, m[net].specs));
  }
  const specs = Object.fromEntries(NET_NAMES.map((n) => [n, m[n].specs])) as Record<NetName, CycleGAN['G_A']['specs']>;

  for (const n of NET_NAMES) opt[n].dispose();
  pools.A.dispose();
  pools.B.dispose();
  tf.dispose([realA, realB]);
  m.dispose();
  const leaked = tf.memory().numTensors - before;
  return { fixture: f, outputs, visualNames, losses, grads, after, init, specsOf: (n) => specs[n], leaked };
}

describe.each(['lsgan', 'vanilla'])('parity with PyTorch: %s', (name) => {
  let R: CaseResult;

  beforeAll(async () => {
    R = await runCase(name);
  });

  it('loads every tensor and runs without leaking tensors', () => {
    expect(R.fixture.config.ganMode).toBe(name);
    expect(R.leaked).toBe(0);
    const idt = R.fixture.config.lambdaIdentity > 0;
    expect(R.fixture.tensors.has('out/idt_A')).toBe(idt);
    expect(R.visualNames.includes('idt_A')).toBe(idt);
    expect(R.visualNames.includes('idt_B')).toBe(idt);
  });

  it('forward outputs and D maps (initial weights) within 1e-4 absolute', () => {
    const want = ['fake_B', 'rec_A', 'fake_A', 'rec_B', 'D_A(fake_B)', 'D_B(fake_A)', 'D_A(real_B)', 'D_B(real_A)'];
    if (R.fixture.config.lambdaIdentity > 0) want.push('idt_A', 'idt_B');
    expect([...R.outputs.keys()].sort()).toEqual(want.sort());
    let worst = 0;
    const lines: string[] = [];
    for (const [n, o] of R.outputs) {
      expect(o.shape, n).toEqual(o.ref.shape);
      const e = maxAbsDiff(o.ours, o.ref.data);
      lines.push(`${n} ${fmt(e)}`);
      worst = Math.max(worst, e);
      expect(e, `${n}: max abs error`).toBeLessThanOrEqual(TOL);
    }
    summary.push(`[${name}] forward: max abs ${fmt(worst)}  (${lines.join(', ')})`);
  });

  it('all eight losses within 1e-4 (relative above 1)', () => {
    let worst = 0;
    const lines: string[] = [];
    LOSS_NAMES.forEach((n, i) => {
      const ref = getTensor(R.fixture, `loss/${n}`).data[0];
      const e = Math.abs(R.losses[i] - ref) / Math.max(1, Math.abs(ref));
      lines.push(`${n} ${R.losses[i].toFixed(6)} vs ${ref.toFixed(6)}`);
      worst = Math.max(worst, e);
      expect(e, `loss ${n}: ours ${R.losses[i]}, ref ${ref}`).toBeLessThanOrEqual(TOL);
    });
    summary.push(`[${name}] losses: max abs/rel ${fmt(worst)}  (${lines.join('; ')})`);
  });

  it('gradients within 1e-4 · max|ref| per tensor; zero-gradient biases |g| < 1e-5', () => {
    const zero = new Set(R.fixture.zeroGradBiases);
    expect(zero.size).toBeGreaterThan(0);
    let worstRel = 0;
    let worstAbs = 0;
    let worstKey = '';
    let worstZero = 0;
    for (const net of NET_NAMES) {
      const ref = fixtureParams(R.fixture, 'grad', net, R.specsOf(net));
      for (const [key, r] of ref) {
        const ours = R.grads.get(net)!.get(key)!;
        if (zero.has(`${net}/${key}`)) {
          const g = maxAbs(ours);
          worstZero = Math.max(worstZero, g);
          expect(g, `${net}/${key}: zero-gradient bias`).toBeLessThan(TINY_GRAD);
          continue;
        }
        const e = maxAbsDiff(ours, r.data);
        const scale = maxAbs(r.data);
        const rel = e / scale;
        if (rel > worstRel) {
          worstRel = rel;
          worstKey = `${net}/${key}`;
        }
        worstAbs = Math.max(worstAbs, e);
        expect(e, `${net}/${key}: max abs error ${e} vs max|ref| ${scale}`).toBeLessThanOrEqual(TOL * scale);
      }
    }
    summary.push(
      `[${name}] grads: max abs/max|ref| ${fmt(worstRel)} (${worstKey}), max abs ${fmt(worstAbs)}; zero-grad biases max |g| ${fmt(worstZero)} (${zero.size} tensors)`,
    );
  });

  it('weights after the Adam step within 1e-4 (sign-flip allowance where |grad| ≤ 1e-5)', () => {
    const lr = R.fixture.config.lr;
    const zero = new Set(R.fixture.zeroGradBiases);
    let worst = 0;
    let worstTiny = 0;
    let worstTinyAt = '';
    let nTiny = 0;
    let nFlip = 0;
    let worstZeroMove = 0;
    for (const net of NET_NAMES) {
      const ref = fixtureParams(R.fixture, 'after', net, R.specsOf(net));
      const refGrad = fixtureParams(R.fixture, 'grad', net, R.specsOf(net));
      for (const [key, r] of ref) {
        const ours = R.after.get(net)!.get(key)!;
        const init = R.init.get(net)!.get(key)!.data;
        expect(ours.length).toBe(r.data.length);
        if (zero.has(`${net}/${key}`)) {
          const move = maxAbsDiff(ours, init);
          worstZeroMove = Math.max(worstZeroMove, move);
          expect(move, `${net}/${key}: |after − init|`).toBeLessThanOrEqual(lr * (1 + 1e-3));
          continue;
        }
        const gOurs = R.grads.get(net)!.get(key)!;
        const gRef = refGrad.get(key)!.data;
        for (let i = 0; i < ours.length; i++) {
          const e = Math.abs(ours[i] - r.data[i]);
          if (Math.abs(gOurs[i]) <= TINY_GRAD || Math.abs(gRef[i]) <= TINY_GRAD) {
            nTiny++;
            if (e > lr) nFlip++;
            if (e > worstTiny) {
              worstTiny = e;
              worstTinyAt = `${net}/${key}[${i}], grad ours ${gOurs[i].toExponential(1)} ref ${gRef[i].toExponential(1)}`;
            }
            if (e > 2 * lr * (1 + 1e-3)) expect.fail(`${net}/${key}[${i}] (tiny grad): ours ${ours[i]}, ref ${r.data[i]}`);
          } else {
            worst = Math.max(worst, e);
            if (e > TOL) expect.fail(`${net}/${key}[${i}]: ours ${ours[i]}, ref ${r.data[i]} (grad ours ${gOurs[i]}, ref ${gRef[i]})`);
          }
        }
      }
    }
    summary.push(
      `[${name}] after Adam: max abs ${fmt(worst)}; ${nTiny} tiny-grad entries (max abs ${fmt(worstTiny)} at ${worstTinyAt}; ${nFlip} sign flips); zero-grad biases max |after − init| ${fmt(worstZeroMove)} (lr ${lr})`,
    );
  });
});
