import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOSS_NAMES } from './losses';
import { CycleGANTrainer } from './trainer';
import { syntheticDomain } from '../testing/synthetic';

const tiny = { loadSize: 18, cropSize: 16, ngf: 4, nBlocks: 1, ndf: 4, nEpochs: 1, nEpochsDecay: 2 };
const domains = () => ({ A: syntheticDomain('a', 3, 20, 1), B: syntheticDomain('b', 2, 20, 2) });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('CycleGANTrainer', () => {
  it('runs iterations with finite losses, epochs of max(|A|,|B|) and the linear lr schedule', async () => {
    const t = new CycleGANTrainer(tiny, domains());
    expect(t.itersPerEpoch).toBe(3);
    expect(t.totalIters).toBe(9);
    const lrs: number[] = [];
    while (!t.done) {
      const r = await t.step();
      lrs.push(r.lr);
      for (const n of LOSS_NAMES) expect(Number.isFinite(r.losses[n])).toBe(true);
    }
    // epoch 1 at full lr; epochs 2, 3 decay as 1 − (e − n_epochs)/(n_epochs_decay + 1)
    expect(lrs.slice(0, 3)).toEqual([2e-4, 2e-4, 2e-4]);
    expect(lrs[3]).toBeCloseTo(2e-4 * (2 / 3), 12);
    expect(lrs[8]).toBeCloseTo(2e-4 * (1 / 3), 12);
    t.dispose();
  });

  it('is reproducible: the same seed and data give the same losses; another seed does not', async () => {
    const run = async (seed: number) => {
      const t = new CycleGANTrainer({ ...tiny, seed }, domains());
      const out: number[] = [];
      for (let i = 0; i < 2; i++) out.push(...Object.values((await t.step()).losses));
      t.dispose();
      return out;
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
  });

  it('keeps the tensor count flat once the pool is full, and frees everything on dispose', async () => {
    const before = tf.memory().numTensors;
    const t = new CycleGANTrainer({ ...tiny, poolSize: 2 }, domains());
    for (let i = 0; i < 3; i++) await t.step(); // pools full after 2
    const steady = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await t.step();
    expect(tf.memory().numTensors).toBe(steady);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('skips the identity passes when lambdaIdentity is 0 (idt losses are 0)', async () => {
    const t = new CycleGANTrainer({ ...tiny, lambdaIdentity: 0 }, domains());
    const r = await t.step(true);
    expect(r.losses.idt_A).toBe(0);
    expect(r.losses.idt_B).toBe(0);
    expect(r.visuals.idt_A).toBeUndefined();
    expect(r.visuals.fake_B?.shape).toEqual([1, 16, 16, 3]);
    tf.dispose(Object.values(r.visuals));
    t.dispose();
  });

  it('refuses an empty domain with a message naming it', () => {
    expect(() => new CycleGANTrainer(tiny, { A: [], B: syntheticDomain('b', 1, 20, 2) })).toThrow(/Domain A has no images/);
  });
});
