import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { netDigest } from '../model/digest';
import { patchMapSize } from '../model/discriminator';
import { syntheticDomain } from '../testing/synthetic';
import { generatorLosses } from './evaluate';
import { generatorStep } from './step';
import { CycleGANTrainer } from './trainer';

const tiny = { loadSize: 18, cropSize: 16, ngf: 4, nBlocks: 1, ndf: 4, nLayersD: 2, nEpochs: 5, nEpochsDecay: 0, poolSize: 2 };
const domains = () => ({ A: syntheticDomain('a', 3, 20, 1), B: syntheticDomain('b', 2, 20, 2) });
const make = (over = {}) => new CycleGANTrainer({ ...tiny, ...over }, domains());
const adamSteps = (t: CycleGANTrainer) => [t.optimizers.G_A.step, t.optimizers.G_B.step, t.optimizers.D_A.step, t.optimizers.D_B.step];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('half-steps (Step G / Step D)', () => {
  it('Step G updates only G_A and G_B; Step D only D_A and D_B; the iteration counts after both', async () => {
    const t = make();
    const d0 = await netDigest(t.models);
    const g = await t.stepHalf('G');
    const d1 = await netDigest(t.models);
    expect([d1.G_A !== d0.G_A, d1.G_B !== d0.G_B, d1.D_A === d0.D_A, d1.D_B === d0.D_B]).toEqual([true, true, true, true]);
    expect(adamSteps(t)).toEqual([1, 1, 0, 0]);
    expect(g).toMatchObject({ half: 'G', completed: null, progress: { iter: 1, gUpdates: 1, dUpdates: 0 } });
    expect(Object.keys(g.before).sort()).toEqual(['G_A', 'G_B', 'cycle_A', 'cycle_B', 'idt_A', 'idt_B']);
    expect(g.after.cycle_A).not.toBe(g.before.cycle_A); // re-evaluated with the updated generators
    expect(t.iteration).toBe(0);

    const d = await t.stepHalf('D');
    const d2 = await netDigest(t.models);
    expect([d2.G_A === d1.G_A, d2.G_B === d1.G_B, d2.D_A !== d1.D_A, d2.D_B !== d1.D_B]).toEqual([true, true, true, true]);
    expect(adamSteps(t)).toEqual([1, 1, 1, 1]);
    expect(Object.keys(d.before).sort()).toEqual(['D_A', 'D_B']);
    expect(d.progress).toBeNull();
    expect(t.iteration).toBe(1);
    const done = d.completed!;
    expect(done.iter).toBe(1);
    const losses = await done.losses;
    expect(losses.D_A).toBe(d.before.D_A);
    expect(losses.G_A).toBe(g.before.G_A);
    tf.dispose([...Object.values(done.visuals), ...Object.values(done.taps)]);
    t.dispose();
  });

  it('Step G then Step D is exactly one iteration: the same losses, weights and RNG as Step (both)', async () => {
    const a = make();
    const b = make();
    await a.stepHalf('G');
    const half = (await a.stepHalf('D')).completed!;
    const whole = b.runIteration(false);
    expect(await half.losses).toEqual(await whole.losses);
    expect(await netDigest(a.models)).toEqual(await netDigest(b.models));
    expect(a.rng.getState()).toEqual(b.rng.getState());
    expect(await a.runIteration().losses).toEqual(await b.runIteration().losses); // and they stay in step
    tf.dispose([...Object.values(half.visuals), ...Object.values(half.taps)]);
    a.dispose();
    b.dispose();
  });

  it('Train / Step after Step G finish the same iteration (its D half), not a new one', async () => {
    const a = make();
    const b = make();
    const g = await a.stepHalf('G');
    const finished = a.runIteration(false);
    expect(finished.iter).toBe(1);
    expect(a.iteration).toBe(1);
    expect(a.partial).toBeNull();
    const ref = await b.runIteration(false).losses;
    expect(await finished.losses).toEqual(ref);
    expect(ref.G_A).toBe(g.before.G_A);
    a.dispose();
    b.dispose();
  });

  it('repeats and D first: extra updates on the same pair; the point keeps the latest value of each term', async () => {
    const t = make();
    const g1 = await t.stepHalf('G');
    const g2 = await t.stepHalf('G');
    expect(g2.progress).toEqual({ iter: 1, gUpdates: 2, dUpdates: 0 });
    expect(g2.before.cycle_A).toBeCloseTo(g1.after.cycle_A!, 5); // the second update starts where the first ended
    const d = await t.stepHalf('D');
    expect(adamSteps(t)).toEqual([2, 2, 1, 1]);
    expect(await d.completed!.losses).toMatchObject({ G_A: g2.before.G_A, D_B: d.before.D_B });
    tf.dispose([...Object.values(d.completed!.visuals), ...Object.values(d.completed!.taps)]);

    const first = await t.stepHalf('D'); // D first: it judges the current generators' fakes
    expect(first.progress).toEqual({ iter: 2, gUpdates: 0, dUpdates: 1 });
    expect(adamSteps(t)).toEqual([2, 2, 2, 2]);
    const last = await t.stepHalf('G');
    expect(last.completed?.iter).toBe(2);
    expect(t.iteration).toBe(2);
    tf.dispose([...Object.values(last.completed!.visuals), ...Object.values(last.completed!.taps)]);
    t.dispose();
  });

  it('evaluates the same generator losses as the step computes (before the update)', () => {
    const t = make({ lambdaIdentity: 0.5 });
    const { realA, realB } = t.beginIteration();
    const ev = generatorLosses(t.models, realA, realB, t.hyper);
    const step = generatorStep(t, realA, realB);
    const [e, s] = [ev.arraySync(), step.losses.arraySync()];
    e.forEach((v, i) => expect(v).toBeCloseTo(s[i], 6));
    tf.dispose([ev, step.losses, step.fakeA, step.fakeB, realA, realB]);
    t.dispose();
  });

  it('leaves no tensors behind: halves, a finished iteration, and a run disposed mid-iteration', async () => {
    const before = tf.memory().numTensors;
    const t = make();
    await t.stepHalf('G');
    t.runIteration(false);
    await t.stepHalf('D');
    await t.stepHalf('D');
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runIteration with visuals keeps what the discriminators saw: PatchGAN maps of D’s output shape', async () => {
    const t = make();
    const it = t.runIteration(true);
    const side = patchMapSize({ inputNc: 3, ndf: 4, nLayers: 2 }, 16);
    for (const n of ['D_A_fake_B', 'D_B_fake_A', 'D_A_real_B', 'D_B_real_A', 'D_A_pool_B', 'D_B_pool_A'] as const)
      expect(it.taps[n]?.shape, n).toEqual([1, side, side, 1]);
    expect(it.taps.pool_B?.shape).toEqual([1, 16, 16, 3]);
    await it.losses;
    tf.dispose([...Object.values(it.visuals), ...Object.values(it.taps)]);
    expect(t.runIteration(false).taps).toEqual({});
    t.dispose();
  });
});
