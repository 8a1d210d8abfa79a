/**
 * The stages of one CycleGAN iteration, in the order step.ts computes them (the reference's
 * optimize_parameters): cycle A, cycle B, identity, the generators' update, then each discriminator and their
 * update. Slow motion walks these over the real tensors of one iteration (engine/staged.ts); this file is only
 * the plan and the words — plain data, no tensors.
 */
import type { GanMode } from '../config';
import type { NetName } from '../model/cyclegan';
import type { LossName, VisualName } from '../names';
import type { TapName } from './step';

/** A discriminator's map of an iteration: each D on real and on (pooled) fake images. */
export type VerdictName = Exclude<TapName, 'pool_A' | 'pool_B'>;

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


const fool = (mode: GanMode, d: string, x: string) =>
  mode === 'lsgan' ? `mean (${d}(${x}) − 1)²: how far ${d}'s verdicts are from "real" (1)` : `BCE(${d}(${x}), real): how sure ${d} is that it is fake`;

const judge = (mode: GanMode, d: string, real: string, fake: string) =>
  mode === 'lsgan'
    ? `½ [mean (${d}(${real}) − 1)² + mean ${d}(${fake})²]: real should score 1, fake 0`
    : `½ [BCE(${d}(${real}), real) + BCE(${d}(${fake}), fake)]`;

/** `poolSize`: the run's image pool (0: none, D judges the newest fake). */
export function stagePlan(mode: GanMode, identity: boolean, poolSize: number): Stage[] {
  const pool = poolSize > 0
    ? `The image pool keeps ${poolSize} past fake${poolSize === 1 ? '' : 's'} and hands D an older one half the time, so D does not chase only the newest trick.`
    : 'The image pool is off (pool size 0): D judges the newest fake.';
  const s: Stage[] = [
    { id: 'real_A', group: 'A', title: 'A real photo from domain A', detail: 'A random crop of an A image (flipped half the time).', images: ['real_A'] },
    { id: 'fake_B', group: 'A', title: 'G_A translates it to B', detail: 'fake B = G_A(real A): the forger’s attempt at a B image.', net: 'G_A', images: ['real_A', 'fake_B'] },
    { id: 'D_A_fake_B', group: 'A', title: 'D_A judges the forgery', detail: 'D_A scores every patch of fake B: real-looking patches high, fake-looking low.', net: 'D_A', images: ['fake_B'], verdict: 'D_A_fake_B' },
    { id: 'G_A', group: 'A', title: 'G_A’s adversarial loss', detail: `G_A wants D_A fooled: ${fool(mode, 'D_A', 'fake B')}.`, net: 'G_A', images: ['fake_B'], verdict: 'D_A_fake_B', loss: 'G_A' },
    { id: 'rec_A', group: 'A', title: 'G_B translates it back', detail: 'rec A = G_B(fake B): the round trip A → B → A.', net: 'G_B', images: ['fake_B', 'rec_A'] },
    { id: 'cycle_A', group: 'A', title: 'Cycle loss A', detail: 'λ_A · mean |rec A − real A|: the round trip should give the photo back.', images: ['real_A', 'rec_A'], loss: 'cycle_A' },

    { id: 'real_B', group: 'B', title: 'A real photo from domain B', detail: 'A random B image (unpaired: nothing links it to real A).', images: ['real_B'] },
    { id: 'fake_A', group: 'B', title: 'G_B translates it to A', detail: 'fake A = G_B(real B).', net: 'G_B', images: ['real_B', 'fake_A'] },
    { id: 'D_B_fake_A', group: 'B', title: 'D_B judges the forgery', detail: 'D_B scores every patch of fake A.', net: 'D_B', images: ['fake_A'], verdict: 'D_B_fake_A' },
    { id: 'G_B', group: 'B', title: 'G_B’s adversarial loss', detail: `G_B wants D_B fooled: ${fool(mode, 'D_B', 'fake A')}.`, net: 'G_B', images: ['fake_A'], verdict: 'D_B_fake_A', loss: 'G_B' },
    { id: 'rec_B', group: 'B', title: 'G_A translates it back', detail: 'rec B = G_A(fake A): the round trip B → A → B.', net: 'G_A', images: ['fake_A', 'rec_B'] },
    { id: 'cycle_B', group: 'B', title: 'Cycle loss B', detail: 'λ_B · mean |rec B − real B|.', images: ['real_B', 'rec_B'], loss: 'cycle_B' },
  ];
  if (identity)
    s.push(
      { id: 'idt_A', group: 'identity', title: 'Identity: G_A on a B photo', detail: 'idt A = G_A(real B): a B image is already B, so G_A should leave it alone. Loss λ_B·λ_idt · mean |idt A − real B|.', net: 'G_A', images: ['real_B', 'idt_A'], loss: 'idt_A' },
      { id: 'idt_B', group: 'identity', title: 'Identity: G_B on an A photo', detail: 'idt B = G_B(real A); loss λ_A·λ_idt · mean |idt B − real A|.', net: 'G_B', images: ['real_A', 'idt_B'], loss: 'idt_B' },
    );
  s.push(
    { id: 'update_G', group: 'G', title: 'Update both generators', detail: `Sum the ${identity ? 'six' : 'four'} terms, backpropagate, one Adam step for G_A and G_B. D_A and D_B are frozen.`, images: ['fake_B', 'fake_A'], updates: ['G_A', 'G_B'] },
    { id: 'D_A_real_B', group: 'D', title: 'D_A looks at a real B', detail: 'Its verdict on a real photo: it should say "real" (1) everywhere.', net: 'D_A', images: ['real_B'], verdict: 'D_A_real_B' },
    { id: 'D_A_pool_B', group: 'D', title: 'D_A looks at a fake B from the pool', detail: pool, net: 'D_A', images: ['pool_B'], verdict: 'D_A_pool_B' },
    { id: 'D_A', group: 'D', title: 'D_A’s loss', detail: `${judge(mode, 'D_A', 'real B', 'fake B')}.`, net: 'D_A', images: ['real_B', 'pool_B'], loss: 'D_A' },
    { id: 'D_B_real_A', group: 'D', title: 'D_B looks at a real A', detail: 'It should say "real" everywhere.', net: 'D_B', images: ['real_A'], verdict: 'D_B_real_A' },
    { id: 'D_B_pool_A', group: 'D', title: 'D_B looks at a fake A from the pool', detail: 'A fake A from the pool (the newest or an older one).', net: 'D_B', images: ['pool_A'], verdict: 'D_B_pool_A' },
    { id: 'D_B', group: 'D', title: 'D_B’s loss', detail: `${judge(mode, 'D_B', 'real A', 'fake A')}.`, net: 'D_B', images: ['real_A', 'pool_A'], loss: 'D_B' },
    { id: 'update_D', group: 'D', title: 'Update both discriminators', detail: 'One Adam step for D_A and D_B. The iteration is complete.', images: ['pool_B', 'pool_A'], updates: ['D_A', 'D_B'] },
  );
  return s;
}
