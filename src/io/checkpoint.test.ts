import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CycleGANTrainer } from '../train/trainer';
import { syntheticDomain } from '../testing/synthetic';
import { captureCheckpoint, restoreTrainer } from './checkpoint';
import { decodeCheckpoint, encodeCheckpoint } from './checkpointFile';

const cfg = { loadSize: 18, cropSize: 16, ngf: 4, nBlocks: 1, ndf: 4, nEpochs: 1, nEpochsDecay: 2, poolSize: 2, seed: 3 };
const domains = () => ({ A: syntheticDomain('a', 3, 20, 1), B: syntheticDomain('b', 2, 20, 2) });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('checkpoint and exact resume', () => {
  it('a run interrupted at iteration k and resumed continues with the same losses as an uninterrupted run', async () => {
    const straight = new CycleGANTrainer(cfg, domains());
    const expected: number[][] = [];
    for (let i = 0; i < 6; i++) expected.push(Object.values((await straight.step()).losses));
    straight.dispose();

    const first = new CycleGANTrainer(cfg, domains());
    for (let i = 0; i < 4; i++) await first.step(); // mid-epoch (3 per epoch), pools full
    const bytes = encodeCheckpoint(await captureCheckpoint(first));
    first.dispose();

    const resumed = restoreTrainer(decodeCheckpoint(bytes), domains());
    expect(resumed.iteration).toBe(4);
    const got: number[][] = [];
    for (let i = 0; i < 2; i++) got.push(Object.values((await resumed.step()).losses));
    resumed.dispose();
    expect(got).toEqual(expected.slice(4));
  });

  it('rejects a truncated or foreign file with a clear message', async () => {
    const t = new CycleGANTrainer(cfg, domains());
    const bytes = encodeCheckpoint(await captureCheckpoint(t));
    t.dispose();
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 100))).toThrow(/truncated/);
    expect(() => decodeCheckpoint(new TextEncoder().encode('{"hello": 1}'))).toThrow(/not a CycleGAN Studio checkpoint/);
  });

  it('refuses to load weights into another architecture', async () => {
    const t = new CycleGANTrainer(cfg, domains());
    const ck = await captureCheckpoint(t);
    t.dispose();
    const other = { ...ck, manifest: { ...ck.manifest, config: { ...ck.manifest.config, ngf: 8 } } };
    expect(() => restoreTrainer(other, domains())).toThrow(/does not match the model/);
  });
});
