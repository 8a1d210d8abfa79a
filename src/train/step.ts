/**
 * One CycleGAN iteration in the reference's order (models/cycle_gan_model.py optimize_parameters):
 *   1. forward:  fake_B = G_A(A), rec_A = G_B(fake_B), fake_A = G_B(B), rec_B = G_A(fake_A)
 *   2. generators, discriminators frozen:
 *        L_G = GAN(D_A(fake_B), 1) + GAN(D_B(fake_A), 1) + λ_A·|rec_A − A| + λ_B·|rec_B − B|
 *            + λ_idt·λ_B·|G_A(B) − B| + λ_idt·λ_A·|G_B(A) − A|         → step G_A, G_B
 *   3. discriminators: L_D_A = ½(GAN(D_A(B), 1) + GAN(D_A(pool_B(fake_B)), 0)), L_D_B likewise → step D_A, D_B
 * The generator gradient is the same sum, taken over four smaller tapes (cycle A, cycle B, identity A,
 * identity B): tfjs keeps every saved activation until a backward pass ends, so one big tape doubles peak
 * memory (the wasm heap is capped at 4 GB). Gradients add; the result is the reference's gradient.
 */
import * as tf from '@tensorflow/tfjs';
import type { CycleGANConfig } from '../config';
import type { CycleGAN, NetName } from '../model/cyclegan';
import type { Params } from '../model/params';
import type { Rng } from '../rng';
import type { Adam } from './adam';
import type { ImagePool } from './imagePool';
import { ganLoss, l1 } from './losses';

export type Hyper = Pick<CycleGANConfig, 'lambdaA' | 'lambdaB' | 'lambdaIdentity' | 'ganMode'>;
export type Optimizers = Record<NetName, Adam>;

/** What an iteration trains with: the four networks, their optimizers, the image pools, the one RNG, the loss weights. */
export interface Players {
  models: CycleGAN;
  optimizers: Optimizers;
  pools: { A: ImagePool; B: ImagePool };
  rng: Rng;
  hyper: Hyper;
}

/** The images the reference shows, each [1, H, W, C] in [-1, 1]. */
import type { VisualName } from '../names';

export { VISUAL_NAMES, type VisualName } from '../names';
export type Visuals = Partial<Record<VisualName, tf.Tensor4D>>;

/**
 * What the discriminators saw inside a step, for the classroom (the D view, slow motion): each PatchGAN map
 * [1, h, w, 1] exactly as the loss used it, and the pooled fakes the D step judged ([1, H, W, C]).
 * D_A_fake_B / D_B_fake_A come from the generator step (D frozen), the rest from the discriminator step.
 */
export const TAP_NAMES = ['D_A_fake_B', 'D_B_fake_A', 'D_A_real_B', 'D_A_pool_B', 'D_B_real_A', 'D_B_pool_A', 'pool_B', 'pool_A'] as const;
export type TapName = (typeof TAP_NAMES)[number];
/** Filled (kept clones, the caller disposes) only when a step is handed one. */
export type Taps = Partial<Record<TapName, tf.Tensor4D>>;

/** What a step keeps for its caller besides the losses: the images (`visuals`), what the discriminators saw (`taps`). */
export interface Keep {
  visuals?: boolean;
  taps?: Taps;
}

export interface GeneratorStepResult {
  fakeA: tf.Tensor4D;
  fakeB: tf.Tensor4D;
  /** [6]: G_A, cycle_A, idt_A, G_B, cycle_B, idt_B */
  losses: tf.Tensor1D;
  visuals: Visuals;
}

/** Gradient of `f` with respect to `vars`, in their order. The value is returned kept. */
function tape(f: () => tf.Scalar, vars: tf.Variable[]): { value: tf.Scalar; grads: tf.Tensor[] } {
  const { value, grads } = tf.variableGrads(f, vars);
  return { value, grads: vars.map((v) => grads[v.name]) };
}

const vars = (p: Params) => [...p.values()];

/** Keeps a clone of `t` under `name` (replacing an older one) and returns `t`: a side branch, gradients are unchanged. */
function tapInto(taps: Taps | undefined, name: TapName, t: tf.Tensor4D): tf.Tensor4D {
  if (taps) {
    taps[name]?.dispose();
    taps[name] = tf.keep(t.clone());
  }
  return t;
}

/** Step 2: computes the generator losses, updates G_A and G_B. Returns the fakes for the discriminator step. */
export function generatorStep(p: Pick<Players, 'models' | 'optimizers' | 'hyper'>, realA: tf.Tensor4D, realB: tf.Tensor4D, keep: Keep = {}): GeneratorStepResult {
  const { models: m, optimizers: opt, hyper: h } = p;
  const gA = vars(m.G_A.params);
  const gB = vars(m.G_B.params);
  const both = [...gA, ...gB];
  const visuals: Visuals = {};
  const keepVis = (name: VisualName, t: tf.Tensor4D) => {
    if (keep.visuals) visuals[name] = tf.keep(t.clone());
  };
  const tap = (name: TapName, t: tf.Tensor4D) => tapInto(keep.taps, name, t);
  let fakeB!: tf.Tensor4D;
  let fakeA!: tf.Tensor4D;
  const zero = () => tf.scalar(0);

  // cycle A: real_A → G_A → fake_B → G_B → rec_A, and D_A's verdict on fake_B
  let lossGA!: tf.Scalar, lossCycA!: tf.Scalar;
  const tA = tape(() => {
    fakeB = tf.keep(m.G_A.apply(realA));
    const recA = m.G_B.apply(fakeB);
    keepVis('rec_A', recA);
    lossGA = tf.keep(ganLoss(tap('D_A_fake_B', m.D_A.apply(fakeB)), true, h.ganMode));
    lossCycA = tf.keep(tf.mul(l1(recA, realA), h.lambdaA));
    return tf.add(lossGA, lossCycA);
  }, both);
  tA.value.dispose();

  // cycle B: real_B → G_B → fake_A → G_A → rec_B, and D_B's verdict on fake_A
  let lossGB!: tf.Scalar, lossCycB!: tf.Scalar;
  const tB = tape(() => {
    fakeA = tf.keep(m.G_B.apply(realB));
    const recB = m.G_A.apply(fakeA);
    keepVis('rec_B', recB);
    lossGB = tf.keep(ganLoss(tap('D_B_fake_A', m.D_B.apply(fakeA)), true, h.ganMode));
    lossCycB = tf.keep(tf.mul(l1(recB, realB), h.lambdaB));
    return tf.add(lossGB, lossCycB);
  }, both);
  tB.value.dispose();

  // identity: G_A should leave B-images alone, G_B A-images (skipped when λ_idt = 0, as the reference does)
  let lossIdtA: tf.Scalar, lossIdtB: tf.Scalar;
  const setsGA = [tA.grads.slice(0, gA.length), tB.grads.slice(0, gA.length)];
  const setsGB = [tA.grads.slice(gA.length), tB.grads.slice(gA.length)];
  if (h.lambdaIdentity > 0) {
    const tIA = tape(() => {
      const idtA = m.G_A.apply(realB);
      keepVis('idt_A', idtA);
      return tf.mul(l1(idtA, realB), h.lambdaB * h.lambdaIdentity);
    }, gA);
    lossIdtA = tIA.value;
    setsGA.push(tIA.grads);
    const tIB = tape(() => {
      const idtB = m.G_B.apply(realA);
      keepVis('idt_B', idtB);
      return tf.mul(l1(idtB, realA), h.lambdaA * h.lambdaIdentity);
    }, gB);
    lossIdtB = tIB.value;
    setsGB.push(tIB.grads);
  } else {
    lossIdtA = zero();
    lossIdtB = zero();
  }

  // the sum of the terms' gradients, added in this order (cycle A, cycle B, identity) inside the update
  opt.G_A.apply(...setsGA);
  opt.G_B.apply(...setsGB);
  tf.dispose([...setsGA.flat(), ...setsGB.flat()]);

  keepVis('real_A', realA);
  keepVis('real_B', realB);
  keepVis('fake_B', fakeB);
  keepVis('fake_A', fakeA);
  const parts = [lossGA, lossCycA, lossIdtA, lossGB, lossCycB, lossIdtB];
  const losses = tf.stack(parts) as tf.Tensor1D;
  tf.dispose(parts);
  return { fakeA, fakeB, losses, visuals };
}

/**
 * Step 3: updates D_A on real_B vs pooled fake_B, D_B on real_A vs pooled fake_A (the fakes of step 2, or any
 * the caller made with the current generators). Returns [2]: D_A, D_B.
 */
export function discriminatorStep(p: Players, realA: tf.Tensor4D, realB: tf.Tensor4D, fakes: Pick<GeneratorStepResult, 'fakeA' | 'fakeB'>, keep: Pick<Keep, 'taps'> = {}): tf.Tensor1D {
  const { models: m, optimizers: opt, pools, rng, hyper: h } = p;
  const { fakeA, fakeB } = fakes;
  const tap = (name: TapName, t: tf.Tensor4D) => tapInto(keep.taps, name, t);
  const dLoss = (D: CycleGAN['D_A'], real: tf.Tensor4D, fake: tf.Tensor4D, onReal: TapName, onFake: TapName) => (): tf.Scalar =>
    tf.mul(tf.add(ganLoss(tap(onReal, D.apply(real)), true, h.ganMode), ganLoss(tap(onFake, D.apply(fake)), false, h.ganMode)), 0.5);

  const pooledB = pools.B.query(fakeB, rng); // backward_D_A queries pool_B first, as the reference
  const tDA = tape(dLoss(m.D_A, realB, pooledB, 'D_A_real_B', 'D_A_pool_B'), vars(m.D_A.params));
  tap('pool_B', pooledB).dispose();
  const pooledA = pools.A.query(fakeA, rng);
  const tDB = tape(dLoss(m.D_B, realA, pooledA, 'D_B_real_A', 'D_B_pool_A'), vars(m.D_B.params));
  tap('pool_A', pooledA).dispose();

  opt.D_A.apply(tDA.grads);
  opt.D_B.apply(tDB.grads);
  tf.dispose([...tDA.grads, ...tDB.grads]);
  const losses = tf.stack([tDA.value, tDB.value]) as tf.Tensor1D;
  tf.dispose([tDA.value, tDB.value]);
  return losses;
}

export interface IterationResult {
  /** [8] in LOSS_NAMES order: D_A, G_A, cycle_A, idt_A, D_B, G_B, cycle_B, idt_B */
  losses: tf.Tensor1D;
  visuals: Visuals;
}

/**
 * One full iteration (steps 1–3) on the pair. `keep.visuals` keeps the images, `keep.taps` collects what the
 * discriminators saw. The caller owns the returned tensors.
 */
export function trainIteration(p: Players, realA: tf.Tensor4D, realB: tf.Tensor4D, keep: Keep = {}): IterationResult {
  const g = generatorStep(p, realA, realB, keep);
  const d = discriminatorStep(p, realA, realB, g, keep);
  const losses = iterationLosses(g.losses, d);
  tf.dispose([g.fakeA, g.fakeB, g.losses, d]);
  return { losses, visuals: g.visuals };
}

/** The generator step's [6] and the discriminator step's [2] in LOSS_NAMES order ([8]; inputs not disposed). */
export function iterationLosses(g: tf.Tensor1D, d: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const [gA, cycA, idtA, gB, cycB, idtB] = tf.unstack(g);
    const [dA, dB] = tf.unstack(d);
    return tf.stack([dA, gA, cycA, idtA, dB, gB, cycB, idtB]) as tf.Tensor1D;
  });
}
