/**
 * A CycleGAN training run: the four networks, their optimizers, the two image pools, the one RNG and the data.
 * Each iteration reads top to bottom: lr (at an epoch's start) → sample A and B → forward/backward/step → losses.
 * The same class runs in Node (CLI, tests, bench) and in the browser's worker.
 */
import * as tf from '@tensorflow/tfjs';
import { makeConfig, type CycleGANConfig } from '../config';
import { CycleGAN, NET_NAMES } from '../model/cyclegan';
import { Rng } from '../rng';
import type { RGBImage } from '../data/image';
import { cropToTensor, drawCrop, prepare } from '../data/sampler';
import { Adam } from './adam';
import { ImagePool } from './imagePool';
import { HalfIteration, type Half, type HalfResult } from './halves';
import { readLossTensor, type IterationInfo, type PendingIteration } from './iteration';
import type { LossValues } from './losses';
import { epochOf, lrFactor, totalIters } from './schedule';
import { trainIteration, type Hyper, type Optimizers, type Players, type Taps, type Visuals } from './step';

export interface Domains {
  A: RGBImage[];
  B: RGBImage[];
}

export type { IterationInfo, PendingIteration } from './iteration';

export type LiveHyper = Pick<CycleGANConfig, 'lr' | 'lambdaA' | 'lambdaB' | 'lambdaIdentity'>;

export class TrainerError extends Error {
  override name = 'TrainerError';
}

export class CycleGANTrainer implements Players {
  readonly config: CycleGANConfig;
  readonly rng: Rng;
  readonly models: CycleGAN;
  readonly optimizers: Optimizers;
  readonly pools: { A: ImagePool; B: ImagePool };
  /** Images resized to load_size once (the resize is deterministic). */
  readonly data: Domains;
  /** Completed iterations. */
  iteration = 0;
  /** This epoch's shuffled order of A indices (part of the state a checkpoint restores). */
  order: number[] = [];
  /** An iteration begun by a classroom half-step (Step G / Step D) and not finished yet (see halves.ts). */
  partial: HalfIteration | null = null;

  constructor(config: Partial<CycleGANConfig>, domains: Domains) {
    this.config = makeConfig(config);
    const c = this.config;
    for (const d of ['A', 'B'] as const)
      if (domains[d].length === 0) throw new TrainerError(`Domain ${d} has no images: add at least one image to train.`);
    this.rng = new Rng(c.seed);
    this.models = new CycleGAN(c, this.rng);
    const ch = c.inputNc as 1 | 3;
    this.data = { A: domains.A.map((i) => prepare(i, c.loadSize, ch)), B: domains.B.map((i) => prepare(i, c.loadSize, ch)) };
    this.optimizers = Object.fromEntries(
      NET_NAMES.map((n) => [n, new Adam([...this.models.params(n).values()], c.lr, c.beta1, c.beta2, 1e-8)]),
    ) as Optimizers;
    this.pools = { A: new ImagePool(c.poolSize), B: new ImagePool(c.poolSize) };
  }

  /** An epoch is max(|A|, |B|) iterations, as the reference's unaligned dataset. */
  get itersPerEpoch(): number {
    return Math.max(this.data.A.length, this.data.B.length);
  }

  /** Iterations in the whole schedule (epoch_count … n_epochs + n_epochs_decay). */
  get totalIters(): number {
    return totalIters(this.config, this.itersPerEpoch);
  }

  /** The epoch the next iteration belongs to. */
  get epoch(): number {
    return epochOf(this.config, this.iteration + 1, this.itersPerEpoch);
  }

  get lr(): number {
    return this.config.lr * lrFactor(this.epoch, this.config);
  }

  get done(): boolean {
    return this.iteration >= this.totalIters;
  }

  /** Changes the objective's weights or the base lr between iterations (classroom: live knobs). */
  setHyper(h: Partial<LiveHyper>): void {
    Object.assign(this.config, makeConfig({ ...this.config, ...h }));
    for (const n of NET_NAMES) this.optimizers[n].lr = this.lr;
  }

  get hyper(): Hyper {
    const c = this.config;
    return { lambdaA: c.lambdaA, lambdaB: c.lambdaB, lambdaIdentity: c.lambdaIdentity, ganMode: c.ganMode };
  }

  /**
   * Starts the next iteration: the lr of its epoch, then its pair, drawn from the RNG in the reference's order
   * (shuffle at an epoch's start, A in that order, B at random, crop and flip A, then B). The caller disposes the pair.
   */
  beginIteration(): { info: IterationInfo; realA: tf.Tensor4D; realB: tf.Tensor4D } {
    const c = this.config;
    const pos = this.iteration % this.itersPerEpoch;
    if (pos === 0) this.order = this.rng.permutation(this.itersPerEpoch); // a new epoch: shuffle
    const info: IterationInfo = { iter: this.iteration + 1, epoch: this.epoch, lr: this.lr };
    for (const n of NET_NAMES) this.optimizers[n].lr = info.lr;

    const a = this.data.A[this.order[pos] % this.data.A.length];
    const b = this.data.B[this.rng.int(this.data.B.length)]; // unpaired: B at random
    const cropA = drawCrop(this.rng, c.loadSize, c.cropSize, c.flip);
    const cropB = drawCrop(this.rng, c.loadSize, c.cropSize, c.flip);
    const realA = cropToTensor(a, c.cropSize, cropA); // [1, crop, crop, C]
    const realB = cropToTensor(b, c.cropSize, cropB);
    return { info, realA, realB };
  }

  /**
   * Enqueues one iteration and returns without waiting for the device: the losses arrive as a promise,
   * so a caller can start the next iteration before reading this one's (no per-iteration stall).
   * An iteration a half-step began (Step G) is finished instead: the same iteration, its missing half run now.
   */
  runIteration(keepVisuals = false): PendingIteration {
    if (this.partial) {
      this.partial.finish(this);
      return this.endHalves(keepVisuals);
    }
    const { info, realA, realB } = this.beginIteration();
    const taps: Taps = {};
    const { losses, visuals } = trainIteration(this, realA, realB, { visuals: keepVisuals, taps: keepVisuals ? taps : undefined });
    tf.dispose([realA, realB]);
    this.iteration += 1;
    return { ...info, losses: readLossTensor(losses), visuals, taps };
  }

  /** One half-step (classroom: Step G or Step D) of the iteration in progress, begun on a new pair when there is none. */
  stepHalf(half: Half): Promise<HalfResult> {
    this.partial ??= new HalfIteration(this.beginIteration());
    return this.partial.step(half, this, () => this.endHalves(true));
  }

  /** The iteration in progress has had both halves: it counts now. */
  private endHalves(keepVisuals: boolean): PendingIteration {
    const it = this.partial!.end(keepVisuals);
    this.partial = null;
    this.iteration += 1;
    return it;
  }

  /** One iteration, awaited. */
  async step(keepVisuals = false): Promise<IterationInfo & { losses: LossValues; visuals: Visuals }> {
    const p = this.runIteration(keepVisuals);
    return { ...p, losses: await p.losses };
  }

  dispose(): void {
    this.partial?.dispose();
    this.partial = null;
    this.models.dispose();
    for (const n of NET_NAMES) this.optimizers[n].dispose();
    this.pools.A.dispose();
    this.pools.B.dispose();
  }
}
