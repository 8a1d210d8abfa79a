/**
 * Half-steps for the classroom (GAN Lab's "train G only / D only"): the generator half and the discriminator
 * half of an iteration, one click each.
 *
 * What counts, and why it stays exact:
 * - An iteration of the schedule is one sample pair, one G update, one D update. Its first half-step draws the
 *   pair (trainer.beginIteration: the RNG in runIteration's order); the iteration counts — counter, schedule,
 *   loss point — once it has had both halves. Step G then Step D is therefore exactly one iteration: the same
 *   generatorStep and discriminatorStep calls on the same tensors, with the same RNG draws, as trainIteration.
 * - Step D first (nothing in progress) judges the current generators' fakes (a forward pass, no G update),
 *   as backward_D right after forward(); the Step G that follows completes the iteration.
 * - Repeating a half before the other one is an extra update on the same pair (G again with D frozen, or D
 *   again on the same fakes, the pool queried again): one player trains harder. The loss point keeps the
 *   latest value of each term. Extra D halves draw from the pool's RNG, so the run's random stream moves on.
 * - Train and Step (both) finish an iteration in progress first (runIteration → finishIteration): the halves
 *   it still lacks, G before D.
 * Each half also reports the terms it optimised before and after its update, on the same pair (evaluate.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { LossName, LossValues } from './losses';
import { discriminatorLosses, generatorLosses } from './evaluate';
import { discriminatorStep, generatorStep, iterationLosses, type Taps, type Visuals } from './step';
import { readLosses, type CycleGANTrainer, type IterationInfo, type PendingIteration } from './trainer';

export type Half = 'G' | 'D';

/** The terms each half optimises, in the order its loss tensor holds them. */
export const HALF_TERMS: Record<Half, readonly LossName[]> = {
  G: ['G_A', 'cycle_A', 'idt_A', 'G_B', 'cycle_B', 'idt_B'],
  D: ['D_A', 'D_B'],
};

export interface PartialIteration {
  info: IterationInfo;
  realA: tf.Tensor4D; // [1, crop, crop, C]
  realB: tf.Tensor4D;
  fakeA: tf.Tensor4D | null; // the fakes the D half judges: the latest G half's (or the current generators')
  fakeB: tf.Tensor4D | null;
  gLosses: tf.Tensor1D | null; // [6] of the latest G half
  dLosses: tf.Tensor1D | null; // [2] of the latest D half
  gUpdates: number;
  dUpdates: number;
  visuals: Visuals; // of the latest G half
  taps: Taps;
}

export interface HalfResult {
  half: Half;
  info: IterationInfo;
  /** The terms this half optimised, before its update and after it, on the same pair. */
  before: Partial<LossValues>;
  after: Partial<LossValues>;
  /** This half finished the iteration: it counted (the caller records it and disposes its tensors). */
  completed: PendingIteration | null;
  /** The iteration still in progress after this half (null when none). */
  progress: { iter: number; gUpdates: number; dUpdates: number } | null;
}

const disposeAll = (ts: (tf.Tensor | null | undefined)[]) => tf.dispose(ts.filter((x): x is tf.Tensor => x != null));

export function disposePartial(p: PartialIteration): void {
  disposeAll([p.realA, p.realB, p.fakeA, p.fakeB, p.gLosses, p.dLosses, ...Object.values(p.visuals), ...Object.values(p.taps)]);
}

function begin(t: CycleGANTrainer): PartialIteration {
  if (!t.partial) {
    const { info, realA, realB } = t.beginIteration();
    t.partial = { info, realA, realB, fakeA: null, fakeB: null, gLosses: null, dLosses: null, gUpdates: 0, dUpdates: 0, visuals: {}, taps: {} };
  }
  return t.partial;
}

/** The generator half: update G_A and G_B on the pair, D frozen. Its [6] losses (from before the update) stay in p. */
function generatorHalf(t: CycleGANTrainer, p: PartialIteration): void {
  const g = generatorStep(t.models, t.optimizers, p.realA, p.realB, t.hyper, true, p.taps);
  disposeAll([p.fakeA, p.fakeB, p.gLosses, ...Object.values(p.visuals)]);
  Object.assign(p, { fakeA: g.fakeA, fakeB: g.fakeB, gLosses: g.losses, visuals: g.visuals });
  p.gUpdates += 1;
}

/** The discriminator half: update D_A and D_B on real vs pooled fake. Its [2] losses (before the update) stay in p. */
function discriminatorHalf(t: CycleGANTrainer, p: PartialIteration): void {
  if (!p.fakeA || !p.fakeB) {
    // D before G: the current generators' fakes, forward only (fake_B.detach() in the reference)
    p.fakeB = tf.tidy(() => t.models.G_A.apply(p.realA));
    p.fakeA = tf.tidy(() => t.models.G_B.apply(p.realB));
  }
  const d = discriminatorStep(t.models, t.optimizers, p.realA, p.realB, p.fakeA, p.fakeB, t.pools, t.rng, t.hyper, p.taps);
  p.dLosses?.dispose();
  p.dLosses = d;
  p.dUpdates += 1;
}

/** The half's terms with the updated weights, on the same pair: for D, on the very pooled fakes it was trained on. */
function after(t: CycleGANTrainer, p: PartialIteration, half: Half): tf.Tensor1D {
  return half === 'G'
    ? generatorLosses(t.models, p.realA, p.realB, t.hyper)
    : discriminatorLosses(t.models, p.realA, p.realB, p.taps.pool_A!, p.taps.pool_B!, t.hyper);
}

/** Ends the iteration in progress: it counts now. Visuals and taps go to the caller only when asked for. */
function complete(t: CycleGANTrainer, p: PartialIteration, keepVisuals: boolean): PendingIteration {
  const losses = iterationLosses(p.gLosses!, p.dLosses!);
  const { visuals, taps } = p;
  p.visuals = {};
  p.taps = {};
  if (!keepVisuals) tf.dispose([...Object.values(visuals), ...Object.values(taps)]);
  disposePartial(p);
  t.partial = null;
  t.iteration += 1;
  return { ...p.info, losses: readLosses(losses), visuals: keepVisuals ? visuals : {}, taps: keepVisuals ? taps : {} };
}

/** Finishes the iteration in progress with the halves it lacks, G before D (Train / Step after a half-step). */
export function finishIteration(t: CycleGANTrainer, keepVisuals: boolean): PendingIteration {
  const p = t.partial;
  if (!p) throw new Error('finishIteration: no iteration in progress');
  if (p.gUpdates === 0) generatorHalf(t, p);
  if (p.dUpdates === 0) discriminatorHalf(t, p);
  return complete(t, p, keepVisuals);
}

async function values(names: readonly LossName[], x: tf.Tensor1D): Promise<Partial<LossValues>> {
  const v = await x.data(); // one read for the half's terms
  return Object.fromEntries(names.map((n, i) => [n, v[i]]));
}

/** One half-step. Visuals and taps of a completed iteration are kept (the classroom shows them). */
export async function stepHalf(t: CycleGANTrainer, half: Half): Promise<HalfResult> {
  const p = begin(t);
  if (half === 'G') generatorHalf(t, p);
  else discriminatorHalf(t, p);
  const before = (half === 'G' ? p.gLosses! : p.dLosses!).clone(); // p's own copy goes into the loss point
  const afterwards = after(t, p, half);
  const progress = { iter: p.info.iter, gUpdates: p.gUpdates, dUpdates: p.dUpdates };
  const completed = p.gUpdates > 0 && p.dUpdates > 0 ? complete(t, p, true) : null;
  try {
    const [b, a] = await Promise.all([values(HALF_TERMS[half], before), values(HALF_TERMS[half], afterwards)]);
    return { half, info: p.info, before: b, after: a, completed, progress: completed ? null : progress };
  } finally {
    tf.dispose([before, afterwards]);
  }
}
