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
 * - Train and Step (both) finish an iteration in progress first (trainer.runIteration → HalfIteration.finish):
 *   the halves it still lacks, G before D.
 * Each half also reports the terms it optimised before and after its update, on the same pair (evaluate.ts).
 *
 * The trainer owns the iteration in progress (trainer.partial, a HalfIteration); the counter is the trainer's.
 */
import * as tf from '@tensorflow/tfjs';
import { discriminatorLosses, generatorLosses } from './evaluate';
import { readLossTensor, type IterationInfo, type PendingIteration } from './iteration';
import type { LossName, LossValues } from './losses';
import { discriminatorStep, generatorStep, iterationLosses, type Players, type Taps, type Visuals } from './step';

export type Half = 'G' | 'D';

/** The terms each half optimises, in the order its loss tensor holds them. */
export const HALF_TERMS: Record<Half, readonly LossName[]> = {
  G: ['G_A', 'cycle_A', 'idt_A', 'G_B', 'cycle_B', 'idt_B'],
  D: ['D_A', 'D_B'],
};

/** An iteration in progress, as data (what a checkpoint keeps of it). */
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

async function values(names: readonly LossName[], x: tf.Tensor1D): Promise<Partial<LossValues>> {
  const v = await x.data(); // one read for the half's terms
  return Object.fromEntries(names.map((n, i) => [n, v[i]]));
}

export class HalfIteration implements PartialIteration {
  info: IterationInfo;
  realA: tf.Tensor4D;
  realB: tf.Tensor4D;
  fakeA: tf.Tensor4D | null = null;
  fakeB: tf.Tensor4D | null = null;
  gLosses: tf.Tensor1D | null = null;
  dLosses: tf.Tensor1D | null = null;
  gUpdates = 0;
  dUpdates = 0;
  visuals: Visuals = {};
  taps: Taps = {};

  /** A new iteration on its drawn pair, or one restored from a checkpoint. */
  constructor(state: Pick<PartialIteration, 'info' | 'realA' | 'realB'> & Partial<PartialIteration>) {
    this.info = state.info;
    this.realA = state.realA;
    this.realB = state.realB;
    Object.assign(this, state);
  }

  get done(): boolean {
    return this.gUpdates > 0 && this.dUpdates > 0;
  }

  get progress(): { iter: number; gUpdates: number; dUpdates: number } {
    return { iter: this.info.iter, gUpdates: this.gUpdates, dUpdates: this.dUpdates };
  }

  /**
   * One half-step on the pair; `complete` ends the iteration once both halves ran (the trainer counts it). Visuals
   * and taps of a completed iteration are kept (the classroom shows them).
   */
  async step(half: Half, p: Players, complete: () => PendingIteration): Promise<HalfResult> {
    if (half === 'G') this.generator(p);
    else this.discriminator(p);
    const before = (half === 'G' ? this.gLosses! : this.dLosses!).clone(); // the iteration's own copy goes into the loss point
    const afterwards = this.after(half, p);
    const progress = this.progress;
    const completed = this.done ? complete() : null;
    try {
      const [b, a] = await Promise.all([values(HALF_TERMS[half], before), values(HALF_TERMS[half], afterwards)]);
      return { half, info: this.info, before: b, after: a, completed, progress: completed ? null : progress };
    } finally {
      tf.dispose([before, afterwards]);
    }
  }

  /** Runs the halves it still lacks, G before D (Train / Step after a half-step); then `end` it. */
  finish(p: Players): void {
    if (this.gUpdates === 0) this.generator(p);
    if (this.dUpdates === 0) this.discriminator(p);
  }

  /** Ends the iteration: its losses as a pending read; visuals and taps go to the caller only when asked for. */
  end(keepVisuals: boolean): PendingIteration {
    const losses = iterationLosses(this.gLosses!, this.dLosses!);
    const { visuals, taps } = this;
    this.visuals = {};
    this.taps = {};
    if (!keepVisuals) tf.dispose([...Object.values(visuals), ...Object.values(taps)]);
    this.dispose();
    return { ...this.info, losses: readLossTensor(losses), visuals: keepVisuals ? visuals : {}, taps: keepVisuals ? taps : {} };
  }

  dispose(): void {
    disposeAll([this.realA, this.realB, this.fakeA, this.fakeB, this.gLosses, this.dLosses, ...Object.values(this.visuals), ...Object.values(this.taps)]);
  }

  /** The generator half: update G_A and G_B on the pair, D frozen. Its [6] losses (from before the update) stay here. */
  private generator(p: Players): void {
    const g = generatorStep(p, this.realA, this.realB, { visuals: true, taps: this.taps });
    disposeAll([this.fakeA, this.fakeB, this.gLosses, ...Object.values(this.visuals)]);
    Object.assign(this, { fakeA: g.fakeA, fakeB: g.fakeB, gLosses: g.losses, visuals: g.visuals });
    this.gUpdates += 1;
  }

  /** The discriminator half: update D_A and D_B on real vs pooled fake. Its [2] losses (before the update) stay here. */
  private discriminator(p: Players): void {
    if (!this.fakeA || !this.fakeB) {
      // D before G: the current generators' fakes, forward only (fake_B.detach() in the reference)
      this.fakeB = tf.tidy(() => p.models.G_A.apply(this.realA));
      this.fakeA = tf.tidy(() => p.models.G_B.apply(this.realB));
    }
    const d = discriminatorStep(p, this.realA, this.realB, { fakeA: this.fakeA, fakeB: this.fakeB }, { taps: this.taps });
    this.dLosses?.dispose();
    this.dLosses = d;
    this.dUpdates += 1;
  }

  /** The half's terms with the updated weights, on the same pair: for D, on the very pooled fakes it was trained on. */
  private after(half: Half, p: Players): tf.Tensor1D {
    return half === 'G'
      ? generatorLosses(p.models, this.realA, this.realB, p.hyper)
      : discriminatorLosses(p.models, this.realA, this.realB, this.taps.pool_A!, this.taps.pool_B!, p.hyper);
  }
}
