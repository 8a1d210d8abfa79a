/**
 * The classroom's payloads (issue 6): half-steps (Step G / Step D), the staged iteration (slow motion) and
 * the discriminators' view. Types only — part of the one protocol (messages.ts), kept beside it for length.
 */
import type { GanMode } from '../config';
import type { NetName } from '../model/cyclegan';
import type { LossName } from '../train/losses';
import type { TapName, VisualName } from '../train/step';
import type { Picture, RunStatus } from './messages';

export type StepPart = 'G' | 'D' | 'both';

/** An iteration Step G / Step D began and has not finished: it counts once it has had a G and a D update. */
export interface IterationProgress {
  iter: number;
  gUpdates: number;
  dUpdates: number;
}

/** One loss term an update optimised: its value before the update and after it, on the same images. */
export interface LossChange {
  name: LossName;
  before: number;
  after: number;
}

export interface StepReport {
  part: StepPart;
  iter: number; // the iteration these updates belong to
  nets: NetName[]; // the networks this request updated, in order
  changes: LossChange[];
  completed: boolean; // the iteration finished: counter +1, a loss point and its images were sent
  progress: IterationProgress | null; // the iteration still in progress (null: none)
  status: RunStatus;
}

/** A PatchGAN output map (row-major): D's raw scores and how real each patch looks to D (1 real … 0 fake). */
export interface PatchMap {
  rows: number;
  cols: number;
  raw: number[];
  /** lsgan: the score clamped to [0, 1] (its targets are 1 real, 0 fake); vanilla: sigmoid(score). */
  realness: number[];
}

/** D's verdict on an image: D_A judges B images, D_B judges A images (pool_*: the fake the D update used). */
export type VerdictName = Exclude<TapName, 'pool_A' | 'pool_B'>;
export type LiveVerdictName = 'D_A_real_B' | 'D_A_fake_B' | 'D_B_real_A' | 'D_B_fake_A';

/** Sent with the visuals: the maps of the same iteration as the images (fake_*: D before its update). */
export interface Verdicts {
  iter: number;
  ganMode: GanMode;
  maps: Record<LiveVerdictName, PatchMap>;
  /** The images D judged (the same pictures as that iteration's visuals). */
  images: Record<'real_A' | 'fake_A' | 'real_B' | 'fake_B', Picture>;
}

export type StageImage = VisualName | 'pool_A' | 'pool_B';
export type StageGroup = 'A' | 'B' | 'identity' | 'G' | 'D';

/** One step of the slow-motion walk: what is computed, by which network, from which images. */
export interface Stage {
  id: string;
  group: StageGroup;
  title: string;
  detail: string;
  net?: NetName; // the network at work (or being updated)
  images: StageImage[]; // the images this stage shows (inputs, then the output)
  verdict?: VerdictName; // a discriminator's map computed here
  loss?: LossName; // a loss term computed here
  updates?: NetName[]; // an optimizer step
}

/** One real iteration, recorded stage by stage (the iteration counts: its loss point is the same one). */
export interface StagedIteration {
  iter: number;
  epoch: number;
  lr: number;
  ganMode: GanMode;
  lambda: { A: number; B: number; identity: number };
  losses: Record<LossName, number>;
  images: Partial<Record<StageImage, Picture>>;
  maps: Partial<Record<VerdictName, PatchMap>>;
  stages: Stage[];
}
