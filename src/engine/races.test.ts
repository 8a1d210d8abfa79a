/**
 * Races a person can cause with the buttons (and the UI's own requests): every request gets an answer, the run
 * ends in a state the buttons can show, and no tensor is left behind (in-process engine, cpu, tiny nets).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import type { EngineEvent, LossPoint } from '../protocol/messages';
import { fromRGBA } from '../data/image';
import { Engine, type EngineOptions } from './engine';
import { TrainingLoop } from './loop';
import { trackEngines } from '../testing/engines';

const tiny = { loadSize: 18, cropSize: 16, ngf: 2, nBlocks: 1, ndf: 2, nLayersD: 2, nEpochs: 50, nEpochsDecay: 1, poolSize: 2 };
const demo = { kind: 'loadDemo', demo: 'summer2winter', options: { count: 3, size: 24 } } as const;

function record(engine: Engine) {
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  const of = <T extends EngineEvent['type']>(t: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === t);
  return { events, of, points: (): LossPoint[] => of('losses').flatMap((e) => e.points) };
}
const consecutive = (points: LossPoint[]) => points.map((p) => p.iter).every((it, i) => it === i + 1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A decoder that takes its time, so requests can arrive while images load. */
const slowDecode = async (f: File) => {
  await sleep(150);
  const n = 24;
  return fromRGBA(f.name, n, n, new Uint8Array(n * n * 4).map((_, i) => (i * 13 + f.name.length * 7) % 256));
};
const files = (k: number) => Array.from({ length: k }, (_, i) => new File([new Uint8Array(8)], `img${i}.png`, { type: 'image/png' }));

const track = trackEngines({ leaks: true });
async function make(opts: Partial<EngineOptions> = {}, withData = true) {
  const e = new Engine({ decode: slowDecode, faults: { enabled: true }, ...opts });
  track(e);
  if (withData) {
    await e.call(demo);
    await e.call({ kind: 'configure', config: tiny, sampleEvery: 2 });
  }
  return e;
}

describe('races', () => {
  it('Stop while a Step is running: both answer, the run is gone, no tensors left', async () => {
    const e = await make();
    const [stepped, stopped] = await Promise.all([e.call({ kind: 'step' }), e.call({ kind: 'stop' })]);
    expect(stepped).toMatchObject({ state: 'paused', iter: 1 });
    expect(stopped).toMatchObject({ state: 'ready', iter: 0 });
    expect(tf.memory().numTensors).toBe(track.baseline());
  });

  it('Stop and Reset while training, and right after Train (before the first iteration)', async () => {
    const e = await make();
    const rec = record(e);
    const [started, stopped] = await Promise.all([e.call({ kind: 'start' }), e.call({ kind: 'stop' })]);
    expect(started.state).toBe('training');
    expect(stopped).toMatchObject({ state: 'ready', iter: 0 });
    expect(rec.of('status').at(-1)!.status).toMatchObject({ state: 'ready', iter: 0 });
    expect(tf.memory().numTensors).toBe(track.baseline());
    await e.call({ kind: 'start' });
    await sleep(50);
    expect(await e.call({ kind: 'stop' })).toMatchObject({ state: 'ready', iter: 0 });
    expect(tf.memory().numTensors).toBe(track.baseline());
  });

  it('double-clicking Train starts one loop: every iteration once, in order', async () => {
    const e = await make();
    const rec = record(e);
    // count the loop's runs (a second loop on the same run would interleave its iterations with the first's)
    const loops = vi.spyOn(TrainingLoop.prototype as unknown as { iterate: () => Promise<void> }, 'iterate');
    const answers = await Promise.all([e.call({ kind: 'start' }), e.call({ kind: 'start' }), e.call({ kind: 'resume' })]);
    expect(answers.map((s) => s.state)).toEqual(['training', 'training', 'training']);
    await sleep(400);
    const paused = await e.call({ kind: 'pause' });
    expect(loops).toHaveBeenCalledTimes(1);
    loops.mockRestore();
    expect(consecutive(rec.points())).toBe(true);
    expect(paused.iter).toBe(rec.points().length);
    await sleep(100);
    expect(rec.points().length).toBe(paused.iter); // nothing trains on after the pause answered
  });

  it('Step spam: each Step is exactly one iteration, answered in order; Steps while training are no-ops', async () => {
    const e = await make();
    const rec = record(e);
    const answers = await Promise.all(Array.from({ length: 5 }, () => e.call({ kind: 'step' })));
    expect(answers.map((s) => s.iter)).toEqual([1, 2, 3, 4, 5]);
    expect(rec.points().map((p) => p.iter)).toEqual([1, 2, 3, 4, 5]);
    await e.call({ kind: 'configure', config: {}, sampleEvery: 1000 }); // the loop shows no pictures before iteration 1000
    await e.call({ kind: 'start' });
    const pictures = rec.of('visuals').length;
    const during = await Promise.all(Array.from({ length: 3 }, () => e.call({ kind: 'step' })));
    expect(during.every((s) => s.state === 'training')).toBe(true);
    await e.call({ kind: 'pause' });
    expect(consecutive(rec.points())).toBe(true);
    expect(rec.of('visuals').length).toBe(pictures); // a Step would have run an iteration with pictures of its own
  });

  it('pause during the first iteration: the answer is final, nothing arrives after it', async () => {
    const e = await make();
    const rec = record(e);
    const [, paused] = await Promise.all([e.call({ kind: 'start' }), e.call({ kind: 'pause' })]);
    expect(paused.state).toBe('paused');
    expect(paused.iter).toBe(rec.points().length);
    const n = rec.points().length;
    await sleep(200);
    expect(rec.points().length).toBe(n);
    expect(rec.of('status').at(-1)!.status).toMatchObject({ state: 'paused', iter: n });
  });

  it('changing the configuration while training: live values apply, structural ones are refused, all answered', async () => {
    const e = await make();
    const rec = record(e);
    await e.call({ kind: 'start' });
    const answers = await Promise.allSettled([
      e.call({ kind: 'configure', config: { lr: 1e-3 } }),
      e.call({ kind: 'configure', config: { ngf: 3 } }),
      e.call({ kind: 'configure', config: { lambdaA: 5 }, sampleEvery: 3 }),
      e.call({ kind: 'pause' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((answers[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'EngineBusyError' });
    expect((answers[3] as PromiseFulfilledResult<{ state: string }>).value.state).toBe('paused');
    expect(consecutive(rec.points())).toBe(true);
  });

  it('a live lr change racing a pause does not deadlock (the capture it asks the loop for is released)', async () => {
    const e = await make({ guardEvery: 1000 });
    await e.call({ kind: 'start' });
    await sleep(100);
    const [, paused] = await Promise.all([e.call({ kind: 'configure', config: { lr: 3e-4 } }), e.call({ kind: 'pause' })]);
    expect(paused.state).toBe('paused');
    expect((await e.call({ kind: 'configure', config: { lr: 1e-4 } })).lr).toBe(1e-4);
  });

  it('Stop during a load, and Train queued behind a load: both answer; the run trains on the new images', async () => {
    const e = await make({}, false);
    const rec = record(e);
    await e.call({ kind: 'loadFiles', domain: 'A', files: files(2), source: 'a' });
    const [loaded, stopped] = await Promise.all([
      e.call({ kind: 'loadFiles', domain: 'B', files: files(3), source: 'b' }),
      e.call({ kind: 'stop' }),
    ]);
    expect(loaded.count).toBe(3);
    expect(stopped).toMatchObject({ state: 'ready', iter: 0 });
    await e.call({ kind: 'configure', config: tiny });
    const load = e.call({ kind: 'loadFiles', domain: 'A', files: files(4), source: 'a2' });
    const step = e.call({ kind: 'step' });
    expect((await load).count).toBe(4);
    expect(await step).toMatchObject({ state: 'paused', iter: 1, itersPerEpoch: 4 });
    expect(rec.points()).toHaveLength(1);
  });

  it('a rollback racing Stop and Step: every request answers, no tensors left', async () => {
    const e = await make({ guardEvery: 2 });
    await e.call({ kind: 'start' });
    await sleep(150);
    await e.call({ kind: 'injectFault', fault: 'nan' });
    const answers = await Promise.allSettled([e.call({ kind: 'step' }), e.call({ kind: 'snapshot' }), e.call({ kind: 'stop' })]);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(tf.memory().numTensors).toBe(track.baseline());
  });

  it('shutting the engine down mid-iteration frees every tensor', async () => {
    const e = await make();
    await e.call({ kind: 'start' });
    await sleep(100);
    e.dispose();
    await e.idle();
    await sleep(50);
    expect(tf.memory().numTensors).toBe(track.baseline());
    await expect(e.call({ kind: 'step' })).rejects.toMatchObject({ name: 'EngineBusyError' });
  });
});
