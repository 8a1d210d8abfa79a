/**
 * A checkpoint taken between Step G and Step D (a classroom half-step) keeps the iteration in progress: after a
 * resume (IndexedDB record or downloaded file), the other half finishes the same iteration, and the run goes on
 * with exactly the losses and weights of a run that was never interrupted.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent, LossPoint } from '../protocol/messages';
import type { StepPart } from '../protocol/messages';
import { MemoryCheckpointStore } from '../io/checkpointStore';
import { Engine } from './engine';
import { trackEngines } from '../testing/engines';

const tiny = { loadSize: 18, cropSize: 16, ngf: 4, nBlocks: 1, ndf: 4, nLayersD: 2, nEpochs: 50, nEpochsDecay: 1, poolSize: 2, seed: 11 };
const demo = { kind: 'loadDemo', demo: 'apples2oranges', options: { count: 3, size: 24 } } as const;

const track = trackEngines();
async function make(store = new MemoryCheckpointStore(), load = true) {
  const engine = new Engine({ decode: async () => { throw new Error('no files here'); }, checkpointStore: store, lossFlushMs: 10 });
  track(engine);
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  if (load) {
    await engine.call(demo);
    await engine.call({ kind: 'configure', config: tiny, autosaveEvery: 0 });
  }
  const points = (): LossPoint[] => events.filter((e): e is Extract<EngineEvent, { type: 'losses' }> => e.type === 'losses').flatMap((e) => e.points);
  return { engine, store, events, points };
}

/** Runs `parts` after the interruption point and returns what a class would see: reports' changes, losses, digests. */
async function after(engine: Engine, points: () => LossPoint[], parts: StepPart[], from: number) {
  const changes = [];
  for (const part of parts) changes.push((await engine.call({ kind: 'stepPart', part })).changes);
  for (let i = 0; i < 3; i++) await engine.call({ kind: 'step' });
  return { changes, losses: points().filter((p) => p.iter > from).map((p) => [p.iter, p.values]), digest: await engine.call({ kind: 'netDigest' }) };
}

describe('checkpoints between Step G and Step D', () => {
  for (const [first, then] of [['G', 'D'], ['D', 'G']] as const)
    it(`Step ${first} → save → resume elsewhere → Step ${then} finishes the same iteration; the run goes on exactly`, async () => {
      // the uninterrupted run: 2 iterations, Step first, Step then, 3 more iterations
      const u = await make();
      for (let i = 0; i < 2; i++) await u.engine.call({ kind: 'step' });
      await u.engine.call({ kind: 'stepPart', part: first });
      const expected = await after(u.engine, u.points, [then], 2);

      // the interrupted one: the same up to the half-step, then saved (IndexedDB) and downloaded (file)
      const a = await make();
      for (let i = 0; i < 2; i++) await a.engine.call({ kind: 'step' });
      await a.engine.call({ kind: 'stepPart', part: first });
      const summary = await a.engine.call({ kind: 'saveCheckpoint' });
      expect(summary).toMatchObject({ iter: 2, halfStep: { iter: 3, gUpdates: first === 'G' ? 1 : 0, dUpdates: first === 'D' ? 1 : 0 } });
      const file = await a.engine.call({ kind: 'downloadCheckpoint' });
      expect(file.fileName).toBe('cyclegan-16px-iter2.ckpt');

      // resume from storage in a fresh engine (a reload): the half is still pending, then it finishes iteration 3
      const b = await make(a.store, false);
      expect(await b.engine.call({ kind: 'resumeCheckpoint', id: summary.id })).toMatchObject({ state: 'paused', iter: 2 });
      const resumed = await after(b.engine, b.points, [then], 2);
      expect(resumed.losses.map(([i]) => i)).toEqual([3, 4, 5, 6]);
      expect(resumed.changes).toEqual(expected.changes); // the second half's own before → after, bit for bit
      expect(resumed.losses).toEqual(expected.losses);
      expect(resumed.digest).toEqual(expected.digest);

      // the downloaded file, loaded in another engine (another machine), does the same; Step both finishes it too
      const c = await make(new MemoryCheckpointStore(), false);
      await c.engine.call(demo);
      await c.engine.call({ kind: 'loadCheckpoint', file: new File([file.bytes.slice()], file.fileName) });
      const loaded = await after(c.engine, c.points, ['both'], 2);
      expect(loaded.losses).toEqual(expected.losses);
      expect(loaded.digest).toEqual(expected.digest);
    });

  it('a checkpoint without a half-step says so (no halfStep), and Train after a half-step resume finishes it first', async () => {
    const a = await make();
    await a.engine.call({ kind: 'step' });
    expect((await a.engine.call({ kind: 'saveCheckpoint' })).halfStep).toBeUndefined();
    await a.engine.call({ kind: 'stepPart', part: 'G' });
    const id = (await a.engine.call({ kind: 'saveCheckpoint' })).id;
    const b = await make(a.store, false);
    await b.engine.call({ kind: 'resumeCheckpoint', id });
    await b.engine.call({ kind: 'start' });
    const t0 = Date.now();
    while (!b.points().some((p) => p.iter >= 3) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 10));
    await b.engine.call({ kind: 'pause' });
    const u = await make();
    await u.engine.call({ kind: 'step' });
    await u.engine.call({ kind: 'stepPart', part: 'G' });
    await u.engine.call({ kind: 'step' }); // Step finishes iteration 2 (its D half), as Train does
    await u.engine.call({ kind: 'step' });
    expect(b.points().filter((p) => p.iter === 2 || p.iter === 3).map((p) => p.values)).toEqual(u.points().filter((p) => p.iter >= 2).map((p) => p.values));
  });
});
