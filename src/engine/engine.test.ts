import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { describe, expect, it, vi } from 'vitest';
import type { EngineEvent, LossPoint } from '../protocol/messages';
import { CycleGANTrainer } from '../train/trainer';
import { boundedSize } from './domains';
import { Engine } from './engine';
import { BackendUnavailableError } from './errors';
import { trackEngines } from '../testing/engines';
import { decodePng } from '../testing/png';

const tiny = { loadSize: 18, cropSize: 16, ngf: 4, nBlocks: 1, ndf: 4, nLayersD: 2, nEpochs: 1, nEpochsDecay: 1, poolSize: 2 };
const demo = { kind: 'loadDemo', demo: 'apples2oranges', options: { count: 3, size: 24 } } as const;

function pngFile(name: string, w: number, h: number): File {
  const png = new PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) png.data.set([(i * 7) % 256, (i * 3) % 256, 128, 255], 4 * i);
  return new File([new Uint8Array(PNG.sync.write(png))], name, { type: 'image/png' });
}

function record(engine: Engine) {
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  const of = <T extends EngineEvent['type']>(t: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === t);
  return { events, of, points: (): LossPoint[] => of('losses').flatMap((e) => e.points) };
}

const waitFor = async (cond: () => boolean, ms = 60_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const track = trackEngines();
const make = (opts: Partial<ConstructorParameters<typeof Engine>[0]> = {}) => {
  const e = new Engine({ decode: decodePng, ...opts });
  track(e);
  return e;
};

describe('Engine (in-process, cpu)', () => {
  it('refuses to train with an empty domain, naming the domain and what to do', async () => {
    const e = make();
    await expect(e.call({ kind: 'start' })).rejects.toMatchObject({ name: 'EmptyDomainError', message: expect.stringMatching(/Domain A has no images.*load/) });
    await e.call({ kind: 'loadFiles', domain: 'A', files: [pngFile('a.png', 20, 20)], source: 'test' });
    await expect(e.call({ kind: 'step' })).rejects.toMatchObject({ name: 'EmptyDomainError', message: expect.stringMatching(/Domain B/) });
  });

  it('bounds decoded images: shorter side ≤ the bound, longer ≤ 4× the bound, aspect kept', () => {
    expect(boundedSize(4000, 3000, 286)).toEqual({ width: 381, height: 286 });
    expect(boundedSize(200, 100, 286)).toEqual({ width: 200, height: 100 });
    expect(boundedSize(10000, 300, 286)).toEqual({ width: 1144, height: 34 });
  });

  it('reports the backend it was given, and never swaps a failed forced backend for another one', async () => {
    const asked: string[] = [];
    const e = make({
      setupBackend: async (choice) => {
        asked.push(choice);
        if (choice === 'webgpu') throw new BackendUnavailableError('WebGPU was requested but there is no adapter. Choose Auto.');
        return { name: 'cpu', requested: choice, reason: 'test' };
      },
    });
    const rec = record(e);
    await expect(e.call({ kind: 'init', backend: 'webgpu' })).rejects.toMatchObject({ name: 'BackendUnavailableError' });
    await e.call(demo);
    await expect(e.call({ kind: 'step' })).rejects.toMatchObject({ name: 'BackendUnavailableError' });
    expect(asked).toEqual(['webgpu', 'webgpu']);
    expect(await e.call({ kind: 'init', backend: 'auto' })).toEqual({ name: 'cpu', requested: 'auto', reason: 'test' });
    expect(rec.of('backend').map((b) => b.info.name)).toEqual(['cpu']);
  });

  it('loads the demo, reports both domains and a ready status with the schedule length', async () => {
    const e = make();
    const rec = record(e);
    const [a, b] = await e.call(demo);
    expect([a.domain, a.count, b.domain, b.count]).toEqual(['A', 3, 'B', 3]);
    expect(a.thumbs[0]).toMatchObject({ width: 24, height: 24 });
    expect(a.thumbs[0].rgba.length).toBe(24 * 24 * 4);
    expect(a.source).toMatch(/apples/);
    expect(rec.of('domain').map((d) => d.summary.domain)).toEqual(['A', 'B']);
    const s = await e.call({ kind: 'configure', config: tiny, sampleEvery: 2 });
    expect(s).toMatchObject({ state: 'ready', iter: 0, itersPerEpoch: 3, totalIters: 6, sampleEvery: 2 });
  });

  it('loads files: sorted, bounded in size, non-images and broken images skipped with their reason', async () => {
    const e = make();
    const rec = record(e);
    const files = [
      pngFile('b10.png', 20, 30),
      pngFile('b2.png', 600, 400), // bounded: shorter side 286
      new File(['hello'], 'notes.txt', { type: 'text/plain' }),
      new File([new Uint8Array([1, 2, 3])], 'broken.png', { type: 'image/png' }),
    ];
    const s = await e.call({ kind: 'loadFiles', domain: 'B', files, source: 'folder' });
    expect(s.count).toBe(2);
    expect(s.thumbs.map((t) => [t.name, t.width, t.height])).toEqual([['b2.png', 64, 43], ['b10.png', 20, 30]]);
    expect(s.skipped).toEqual([
      { name: 'broken.png', reason: expect.stringMatching(/could not be decoded/) },
      { name: 'notes.txt', reason: 'not an image (text/plain)' },
    ]);
    expect(s.totalBytes).toBe(files[0].size + files[1].size);
    expect(rec.of('loadProgress').at(-1)).toMatchObject({ domain: 'B', done: 4, total: 4 });
    const more = await e.call({ kind: 'loadFiles', domain: 'B', files: [pngFile('c.png', 8, 8)], source: 'more', append: true });
    expect(more.count).toBe(3);
    await e.call({ kind: 'clearDomain', domain: 'B' });
    expect((await e.call({ kind: 'configure', config: {} })).state).toBe('empty');
  });

  it('step runs exactly one iteration with losses and the eight visuals; start/pause/resume/stop leave no tensors', async () => {
    const baseline = tf.memory().numTensors;
    const e = make();
    const rec = record(e);
    await e.call(demo);
    await e.call({ kind: 'configure', config: { ...tiny, nEpochs: 50 }, sampleEvery: 3 });

    const s1 = await e.call({ kind: 'step' });
    expect(s1).toMatchObject({ state: 'paused', iter: 1, epoch: 1 });
    expect(rec.points().map((p) => p.iter)).toEqual([1]);
    for (const v of Object.values(rec.points()[0].values)) expect(Number.isFinite(v)).toBe(true);
    const vis = rec.of('visuals');
    expect(vis).toHaveLength(1);
    expect(Object.keys(vis[0].images).sort()).toEqual(['fake_A', 'fake_B', 'idt_A', 'idt_B', 'real_A', 'real_B', 'rec_A', 'rec_B']);
    expect(vis[0].images.fake_B).toMatchObject({ width: 16, height: 16 });

    const started = await e.call({ kind: 'start' });
    expect(started.state).toBe('training');
    expect((await e.call({ kind: 'start' })).state).toBe('training'); // double start: no-op
    await waitFor(() => rec.points().length >= 5);
    const paused = await e.call({ kind: 'pause' });
    expect(paused.state).toBe('paused');
    const n = rec.points().length;
    expect(paused.iter).toBe(n);
    await new Promise((r) => setTimeout(r, 300));
    expect(rec.points().length).toBe(n); // the counter stays put while paused
    expect((await e.call({ kind: 'step' })).iter).toBe(n + 1);
    expect(rec.points().map((p) => p.iter)).toEqual(Array.from({ length: n + 1 }, (_, i) => i + 1)); // every point, once, in order
    expect(rec.of('visuals').map((v) => v.iter).filter((i) => i > 1 && i < n)).toEqual(
      Array.from({ length: n }, (_, i) => i + 1).filter((i) => i > 1 && i < n && i % 3 === 0),
    );

    await e.call({ kind: 'resume' });
    await waitFor(() => rec.points().length >= n + 3);
    const stopped = await e.call({ kind: 'stop' });
    expect(stopped).toMatchObject({ state: 'ready', iter: 0 });
    expect(tf.memory().numTensors).toBe(baseline);

    // the next start trains from the seed again: the same first losses
    await e.call({ kind: 'step' });
    expect(rec.points().at(-1)).toMatchObject({ iter: 1, values: rec.points()[0].values });
    await e.call({ kind: 'stop' });
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('batches loss events (≤ ~10 per second) and sends a status with them', async () => {
    const e = make({ lossFlushMs: 100 });
    const rec = record(e);
    await e.call(demo);
    await e.call({ kind: 'configure', config: { ...tiny, nEpochs: 50, ngf: 2, ndf: 2 }, sampleEvery: 1000 });
    const t0 = Date.now();
    await e.call({ kind: 'start' });
    await waitFor(() => rec.points().length >= 12);
    await e.call({ kind: 'pause' });
    const secs = (Date.now() - t0) / 1000;
    const msgs = rec.of('losses');
    expect(msgs.length).toBeLessThanOrEqual(Math.ceil(secs * 10) + 2);
    expect(rec.points().map((p) => p.iter)).toEqual(Array.from({ length: rec.points().length }, (_, i) => i + 1));
    const statuses = rec.of('status').map((s) => s.status);
    expect(statuses.at(-1)).toMatchObject({ state: 'paused', iter: rec.points().length });
    expect(statuses.some((s) => s.state === 'training' && s.itsPerSec > 0)).toBe(true);
  });

  it('stops at the end of the schedule with state done; raising the epochs continues the run', async () => {
    const e = make();
    const rec = record(e);
    await e.call({ ...demo, options: { count: 2, size: 24 } });
    await e.call({ kind: 'configure', config: { ...tiny, nEpochs: 1, nEpochsDecay: 1 } }); // 2 epochs × 2
    await e.call({ kind: 'start' });
    await e.idle();
    const done = rec.of('status').at(-1)!.status;
    expect(done).toMatchObject({ state: 'done', iter: 4, totalIters: 4 });
    expect(rec.points().map((p) => p.lr)).toEqual([2e-4, 2e-4, 1e-4, 1e-4]);
    await expect(e.call({ kind: 'start' })).rejects.toMatchObject({ name: 'ScheduleCompleteError' });
    await expect(e.call({ kind: 'step' })).rejects.toMatchObject({ name: 'ScheduleCompleteError' });
    const more = await e.call({ kind: 'configure', config: { nEpochs: 2 } }); // live: the run goes on
    expect(more).toMatchObject({ state: 'paused', iter: 4, totalIters: 6 });
    expect((await e.call({ kind: 'step' })).iter).toBe(5);
  });

  it('applies live knobs while training and refuses structural changes until paused (then resets the run)', async () => {
    const e = make();
    const rec = record(e);
    await e.call(demo);
    await e.call({ kind: 'configure', config: { ...tiny, nEpochs: 50 } });
    await e.call({ kind: 'start' });
    await waitFor(() => rec.points().length >= 2);
    await e.call({ kind: 'configure', config: { lr: 1e-3, lambdaIdentity: 0 }, sampleEvery: 5 });
    await expect(e.call({ kind: 'configure', config: { cropSize: 12, loadSize: 14 } })).rejects.toMatchObject({
      name: 'EngineBusyError', message: expect.stringMatching(/cropSize, loadSize|loadSize, cropSize/),
    });
    await expect(e.call({ kind: 'loadDemo', demo: 'summer2winter' })).rejects.toMatchObject({ name: 'EngineBusyError' });
    await expect(e.call({ kind: 'configure', config: { cropSize: 13 } })).rejects.toMatchObject({ name: 'ConfigError' });
    await waitFor(() => rec.points().some((p) => p.lr === 1e-3));
    expect(rec.points().filter((p) => p.lr === 1e-3).every((p) => p.values.idt_A === 0)).toBe(true);
    expect((await e.call({ kind: 'configure', config: tiny })).state).toBe('training'); // unchanged values are fine
    await e.call({ kind: 'pause' });
    const s = await e.call({ kind: 'configure', config: { cropSize: 12, loadSize: 14 } });
    expect(s).toMatchObject({ state: 'ready', iter: 0 });
  });

  it('answers snapshot: null without a run, the current weights when idle, the next iteration while training', async () => {
    const e = make();
    const rec = record(e);
    await e.call(demo);
    await e.call({ kind: 'configure', config: { ...tiny, nEpochs: 50 }, sampleEvery: 1000 });
    expect(await e.call({ kind: 'snapshot' })).toBeNull();
    await e.call({ kind: 'step' });
    const idle = await e.call({ kind: 'snapshot' });
    expect(Object.keys(idle!)).toHaveLength(8);
    await e.call({ kind: 'start' });
    const live = await e.call({ kind: 'snapshot' });
    expect(live!.rec_A.rgba.length).toBe(16 * 16 * 4);
    await e.call({ kind: 'pause' });
    expect(rec.of('visuals').length).toBeGreaterThanOrEqual(3);
  });

  it('reports an error in the loop as an error event and pauses, instead of dying silently', async () => {
    const baseline = tf.memory().numTensors;
    const e = make();
    const rec = record(e);
    await e.call(demo);
    await e.call({ kind: 'configure', config: { ...tiny, nEpochs: 50 } });
    const real = CycleGANTrainer.prototype.runIteration;
    const spy = vi.spyOn(CycleGANTrainer.prototype, 'runIteration').mockImplementation(function (this: CycleGANTrainer, keep?: boolean) {
      if (this.iteration === 3) throw new Error('device lost');
      return real.call(this, keep);
    });
    try {
      await e.call({ kind: 'start' });
      await e.idle();
    } finally {
      spy.mockRestore();
    }
    expect(rec.of('error').map((x) => x.error)).toEqual([
      { name: 'Error', message: expect.stringMatching(/^Training paused at iteration 3 \(Error: device lost\)\. Press Train to retry/) },
    ]);
    expect(rec.of('status').at(-1)!.status).toMatchObject({ state: 'paused', iter: 3 });
    expect((await e.call({ kind: 'step' })).iter).toBe(4); // and the run goes on
    await e.call({ kind: 'stop' });
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
