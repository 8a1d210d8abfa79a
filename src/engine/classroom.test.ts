import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { patchMapSize } from '../model/discriminator';
import type { EngineEvent, LossPoint } from '../protocol/messages';
import { LOSS_NAMES } from '../train/losses';
import { Engine } from './engine';
import { realness } from './staged';
import { trackEngines } from '../testing/engines';

const tiny = { loadSize: 18, cropSize: 16, ngf: 4, nBlocks: 1, ndf: 4, nLayersD: 2, nEpochs: 50, nEpochsDecay: 1, poolSize: 2 };
const SIDE = patchMapSize({ inputNc: 3, ndf: 4, nLayers: 2 }, 16);
const demo = { kind: 'loadDemo', demo: 'apples2oranges', options: { count: 3, size: 24 } } as const;

const track = trackEngines();
async function make(config = {}) {
  const e = new Engine({ decode: async () => { throw new Error('no files in these tests'); } });
  track(e);
  const events: EngineEvent[] = [];
  e.onEvent((x) => events.push(x));
  await e.call(demo);
  await e.call({ kind: 'configure', config: { ...tiny, ...config }, sampleEvery: 1000 });
  const of = <T extends EngineEvent['type']>(t: T) => events.filter((x): x is Extract<EngineEvent, { type: T }> => x.type === t);
  return { e, of, points: (): LossPoint[] => of('losses').flatMap((x) => x.points) };
}

describe('classroom requests', () => {
  it('maps D scores to how real a patch looks: LSGAN clamped to its 0/1 targets, vanilla through a sigmoid', () => {
    expect([-0.3, 0, 0.25, 1, 1.7].map((v) => realness(v, 'lsgan'))).toEqual([0, 0, 0.25, 1, 1]);
    expect(realness(0, 'vanilla')).toBe(0.5);
    expect(realness(4, 'vanilla')).toBeCloseTo(0.982, 3);
    expect(realness(-4, 'vanilla')).toBeCloseTo(0.018, 3);
  });

  it('Step G changes only the generators, Step D only the discriminators; together they are one iteration', async () => {
    const { e, of, points } = await make();
    expect(await e.call({ kind: 'netDigest' })).toBeNull();
    const g = await e.call({ kind: 'stepPart', part: 'G' });
    expect(g).toMatchObject({ part: 'G', iter: 1, nets: ['G_A', 'G_B'], completed: false, progress: { iter: 1, gUpdates: 1, dUpdates: 0 }, status: { state: 'paused', iter: 0 } });
    expect(g.changes.map((c) => c.name)).toEqual(['G_A', 'cycle_A', 'idt_A', 'G_B', 'cycle_B', 'idt_B']);
    for (const c of g.changes) expect(c.after).not.toBe(c.before);
    expect(points()).toEqual([]); // half an iteration is not a point on the charts
    const afterG = (await e.call({ kind: 'netDigest' }))!;

    const d = await e.call({ kind: 'stepPart', part: 'D' });
    expect(d).toMatchObject({ part: 'D', iter: 1, nets: ['D_A', 'D_B'], completed: true, progress: null, status: { iter: 1 } });
    const afterD = (await e.call({ kind: 'netDigest' }))!;
    expect([afterD.G_A === afterG.G_A, afterD.G_B === afterG.G_B, afterD.D_A !== afterG.D_A, afterD.D_B !== afterG.D_B]).toEqual([true, true, true, true]);
    expect(points().map((p) => p.iter)).toEqual([1]);
    expect(points()[0].values).toMatchObject({ G_A: g.changes[0].before, D_A: d.changes[0].before });
    expect(of('visuals').map((v) => v.iter)).toEqual([1]);

    // the discriminators' view came with the images: D's output shape, realness in [0, 1]
    const v = of('verdicts').map((x) => x.verdicts);
    expect(v).toHaveLength(1);
    expect(v[0].iter).toBe(1);
    expect(v[0].images.fake_B).toBe(of('visuals')[0].images.fake_B); // the very pictures of that iteration
    for (const m of Object.values(v[0].maps)) {
      expect([m.rows, m.cols, m.raw.length]).toEqual([SIDE, SIDE, SIDE * SIDE]);
      for (const r of m.realness) expect(r >= 0 && r <= 1).toBe(true);
    }

    // the same seed, Step (both) on a second engine: the same point, the same weights
    const other = await make();
    await other.e.call({ kind: 'step' });
    expect(other.points()[0].values).toEqual(points()[0].values);
    expect(await other.e.call({ kind: 'netDigest' })).toEqual(afterD);
  });

  it('Step both reports all eight terms; Train after Step G finishes that iteration first', async () => {
    const { e, points } = await make({ lambdaIdentity: 0 });
    const both = await e.call({ kind: 'stepPart', part: 'both' });
    expect(both.nets).toEqual(['G_A', 'G_B', 'D_A', 'D_B']);
    expect(both.changes.map((c) => c.name)).toEqual(['G_A', 'cycle_A', 'G_B', 'cycle_B', 'D_A', 'D_B']); // identity off: no idt terms
    expect(both.completed).toBe(true);
    await e.call({ kind: 'stepPart', part: 'G' });
    await expect(e.call({ kind: 'slowMotion' })).rejects.toMatchObject({ name: 'EngineBusyError', message: expect.stringMatching(/Iteration 2 is half done.*Step both/) });
    await e.call({ kind: 'start' });
    await expect(e.call({ kind: 'stepPart', part: 'D' })).rejects.toMatchObject({ name: 'EngineBusyError', message: expect.stringMatching(/Pause training first/) });
    while (points().length < 4) await new Promise((r) => setTimeout(r, 20));
    await e.call({ kind: 'pause' });
    const iters = points().map((p) => p.iter);
    expect(iters).toEqual(Array.from({ length: iters.length }, (_, i) => i + 1)); // 2 was finished, not skipped
  });

  it('slow motion runs the real next iteration: its stage values are the losses of the same iteration run normally', async () => {
    const baseline = tf.memory().numTensors;
    const { e, of, points } = await make();
    await e.call({ kind: 'step' });
    const rec = await e.call({ kind: 'slowMotion' });
    expect(rec).toMatchObject({ iter: 2, epoch: 1, ganMode: 'lsgan', lambda: { A: 10, B: 10, identity: 0.5 } });
    expect(points().map((p) => p.iter)).toEqual([1, 2]); // it counted
    expect(points()[1].values).toEqual(rec.losses);

    const ref = await make();
    await ref.e.call({ kind: 'step' });
    await ref.e.call({ kind: 'step' });
    expect(rec.losses).toEqual(ref.points()[1].values);
    const refImages = ref.of('visuals')[1].images;
    expect(Array.from(rec.images.fake_B!.rgba)).toEqual(Array.from(refImages.fake_B!.rgba));
    expect(Array.from(rec.images.rec_A!.rgba)).toEqual(Array.from(refImages.rec_A!.rgba));
    expect(rec.maps.D_A_fake_B!.raw).toEqual(ref.of('verdicts')[1].verdicts.maps.D_A_fake_B.raw);

    // every loss term is one stage; every stage's images and maps are there
    expect(rec.stages.filter((s) => s.loss).map((s) => s.loss).sort()).toEqual([...LOSS_NAMES].sort());
    for (const s of rec.stages) {
      for (const img of s.images) expect(rec.images[img], `${s.id}: ${img}`).toMatchObject({ width: 16, height: 16 });
      if (s.verdict) expect(rec.maps[s.verdict], s.id).toMatchObject({ rows: SIDE, cols: SIDE });
    }
    expect(rec.stages.at(-1)).toMatchObject({ id: 'update_D', updates: ['D_A', 'D_B'] });
    expect(of('verdicts').at(-1)!.verdicts.iter).toBe(2);
    await e.call({ kind: 'stop' });
    await ref.e.call({ kind: 'stop' });
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
