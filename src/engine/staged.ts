/**
 * Tensors → what the classroom sends: PatchGAN maps as numbers (the D view) and one iteration recorded stage by
 * stage (slow motion). Everything here reads from the device once per tensor and disposes what it was given.
 */
import * as tf from '@tensorflow/tfjs';
import type { GanMode } from '../config';
import type { LiveVerdictName, PatchMap, StagedIteration, StageImage, VerdictName, Verdicts } from '../protocol/messages';
import type { LossValues } from '../train/losses';
import { stagePlan } from '../train/stages';
import type { Picture } from '../protocol/messages';
import type { Taps, VisualName, Visuals } from '../train/step';
import type { CycleGANTrainer, IterationInfo } from '../train/trainer';
import { tensorToImage } from '../train/visuals';
import { toPicture } from './pictures';

const LIVE: readonly LiveVerdictName[] = ['D_A_real_B', 'D_A_fake_B', 'D_B_real_A', 'D_B_fake_A'];

/** How real a patch looks to D: lsgan targets are 1 (real) and 0 (fake), so its score is clamped; vanilla's is a logit. */
export function realness(score: number, mode: GanMode): number {
  return mode === 'lsgan' ? Math.min(1, Math.max(0, score)) : 1 / (1 + Math.exp(-score));
}

/** [1, h, w, 1] → a row-major map. */
export async function patchMapOf(t: tf.Tensor4D, mode: GanMode): Promise<PatchMap> {
  const [, rows, cols] = t.shape;
  const raw = Array.from(await t.data()); // awaited read: the worker never blocks on WebGPU
  return { rows, cols, raw, realness: raw.map((v) => realness(v, mode)) };
}

/** The live D view from an iteration's taps (null when they were not kept). Disposes the taps. */
export async function verdictsOf(iter: number, taps: Taps, mode: GanMode, pictures: Partial<Record<VisualName, Picture>>): Promise<Verdicts | null> {
  try {
    const { real_A, fake_A, real_B, fake_B } = pictures;
    if (!LIVE.every((n) => taps[n]) || !real_A || !fake_A || !real_B || !fake_B) return null;
    const maps = {} as Verdicts['maps'];
    for (const n of LIVE) maps[n] = await patchMapOf(taps[n]!, mode);
    return { iter, ganMode: mode, maps, images: { real_A, fake_A, real_B, fake_B } };
  } finally {
    tf.dispose(Object.values(taps));
  }
}

/** One iteration's images, maps and losses along the stage plan. Disposes `visuals` and `taps`. */
export async function stagedRecord(t: CycleGANTrainer, info: IterationInfo, losses: LossValues, visuals: Visuals, taps: Taps): Promise<StagedIteration> {
  const c = t.config;
  try {
    const images: StagedIteration['images'] = {};
    const all: Partial<Record<StageImage, tf.Tensor4D>> = { ...visuals, pool_A: taps.pool_A, pool_B: taps.pool_B };
    for (const [name, x] of Object.entries(all) as [StageImage, tf.Tensor4D | undefined][])
      if (x) images[name] = toPicture(await tensorToImage(x, name));
    const maps: StagedIteration['maps'] = {};
    for (const [name, x] of Object.entries(taps) as [string, tf.Tensor4D | undefined][])
      if (x && name.startsWith('D_')) maps[name as VerdictName] = await patchMapOf(x, c.ganMode);
    return {
      iter: info.iter, epoch: info.epoch, lr: info.lr, ganMode: c.ganMode, lambda: { A: c.lambdaA, B: c.lambdaB, identity: c.lambdaIdentity }, losses,
      images, maps, stages: stagePlan(c.ganMode, c.lambdaIdentity > 0, c.poolSize),
    };
  } finally {
    tf.dispose([...Object.values(visuals), ...Object.values(taps)]);
  }
}
