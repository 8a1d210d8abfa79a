/** Checkpoints through the engine's protocol (in-process, cpu): autosave, crash + resume, file round trip, errors. */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { fromRGBA } from '../data/image';
import { captureCheckpoint } from '../io/checkpoint';
import { encodeCheckpoint } from '../io/checkpointFile';
import type { EngineEvent, LossPoint } from '../protocol/messages';
import { CycleGANTrainer } from '../train/trainer';
import { MemoryCheckpointStore } from '../io/checkpointStore';
import { Engine } from './engine';
import { trackEngines } from '../testing/engines';

const tiny = { loadSize: 18, cropSize: 16, ngf: 4, nBlocks: 1, ndf: 4, nLayersD: 2, nEpochs: 50, nEpochsDecay: 1, poolSize: 2, seed: 7 };
const demo = { kind: 'loadDemo', demo: 'apples2oranges', options: { count: 3, size: 24 } } as const;

function pngFile(name: string, w: number, h: number, k: number): File {
  const png = new PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) png.data.set([(i * k) % 256, (i * 3) % 256, 128, 255], 4 * i);
  return new File([new Uint8Array(PNG.sync.write(png))], name, { type: 'image/png' });
}
const decodePng = async (f: File) => {
  const png = PNG.sync.read(Buffer.from(await f.arrayBuffer()));
  return fromRGBA(f.name, png.width, png.height, png.data);
};
const files = (k: number) => [pngFile('1.png', 20, 20, k), pngFile('2.png', 22, 20, k + 1)];

const track = trackEngines();
function make(store = new MemoryCheckpointStore()) {
  const engine = new Engine({ decode: decodePng, checkpointStore: store, lossFlushMs: 10 });
  track(engine);
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  const of = <T extends EngineEvent['type']>(t: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === t);
  const points = (): LossPoint[] => of('losses').flatMap((e) => e.points);
  return { engine, store, events, of, points };
}
const waitFor = async (cond: () => boolean | Promise<boolean>, ms = 60_000) => {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};
/** The losses of an uninterrupted run, stepped one iteration at a time. */
async function straight(n: number, load: (e: Engine) => Promise<unknown> = (e) => e.call(demo)): Promise<LossPoint[]> {
  const r = make();
  await load(r.engine);
  await r.engine.call({ kind: 'configure', config: tiny, autosaveEvery: 0 });
  for (let i = 0; i < n; i++) await r.engine.call({ kind: 'step' });
  return r.points();
}

describe('checkpoints (engine)', () => {
  it('autosaves every N iterations while training; after a crash, resume continues with exactly the same losses', async () => {
    const a = make();
    await a.engine.call(demo);
    await a.engine.call({ kind: 'configure', config: tiny, sampleEvery: 4, autosaveEvery: 3 });
    await a.engine.call({ kind: 'start' });
    await waitFor(() => a.of('checkpoint').length >= 3);
    a.store.frozen = true; // the tab dies: nothing more reaches storage
    a.engine.dispose();
    await a.engine.idle();
    const saved = a.of('checkpoint').map((e) => e.summary);
    expect(saved.map((s) => s.iter)).toEqual(saved.map((_, i) => 3 * (i + 1))); // every 3 iterations, at the boundary
    expect(saved[0]).toMatchObject({ reason: 'autosave', imagesStored: false, demo: { demo: 'apples2oranges' }, model: '16 px · ngf 4 · 1 block · ndf 4' });

    const b = make(a.store);
    a.store.frozen = false;
    const [latest, ...rest] = await b.engine.call({ kind: 'listCheckpoints' });
    expect(rest).toEqual([]); // one record per run
    const k = latest.iter;
    expect(k).toBe(saved.at(-1)!.iter);
    const st = await b.engine.call({ kind: 'resumeCheckpoint', id: latest.id });
    expect(st).toMatchObject({ state: 'paused', iter: k });
    expect(b.points().map((p) => p.values)).toEqual(a.points().slice(0, k).map((p) => p.values)); // the history comes back
    expect(b.of('domain').map((d) => d.summary.count)).toEqual([3, 3]); // the demo regenerated
    await b.engine.call({ kind: 'start' });
    await waitFor(() => b.points().length >= k + 4);
    await b.engine.call({ kind: 'pause' });
    const resumed = b.points().slice(k);

    const expected = await straight(resumed.at(-1)!.iter);
    expect(resumed.map((p) => [p.iter, p.values])).toEqual(expected.slice(k).map((p) => [p.iter, p.values]));
  });

  it('Steps autosave when one is due (Step and Step G + Step D), and a crash then loses no stepped iteration', async () => {
    const a = make();
    await a.engine.call(demo);
    await a.engine.call({ kind: 'configure', config: tiny, autosaveEvery: 2 });
    for (let i = 0; i < 3; i++) await a.engine.call({ kind: 'step' });
    await a.engine.call({ kind: 'stepPart', part: 'G' });
    await a.engine.call({ kind: 'stepPart', part: 'D' }); // completes iteration 4
    await waitFor(() => a.of('checkpoint').length >= 2);
    expect(a.of('checkpoint').map((e) => [e.summary.iter, e.summary.reason])).toEqual([[2, 'autosave'], [4, 'autosave']]);
    a.store.frozen = true; // the tab dies
    a.engine.dispose();
    await a.engine.idle();

    const b = make(a.store);
    a.store.frozen = false;
    const [latest] = await b.engine.call({ kind: 'listCheckpoints' });
    expect(latest.iter).toBe(4);
    await b.engine.call({ kind: 'resumeCheckpoint', id: latest.id });
    for (let i = 0; i < 2; i++) await b.engine.call({ kind: 'step' });
    const expected = await straight(6);
    expect(b.points().filter((p) => p.iter > 4).map((p) => p.values)).toEqual(expected.slice(4).map((p) => p.values));
  });

  it('saves on pause; download → load in another browser (empty storage) continues the run exactly', async () => {
    const a = make();
    await a.engine.call(demo);
    await a.engine.call({ kind: 'configure', config: tiny, autosaveEvery: 'auto' });
    for (let i = 0; i < 4; i++) await a.engine.call({ kind: 'step' });
    await a.engine.call({ kind: 'start' });
    await waitFor(() => a.points().length >= 6);
    const paused = await a.engine.call({ kind: 'pause' });
    await waitFor(() => a.of('checkpoint').length === 1);
    expect(a.of('checkpoint')[0].summary).toMatchObject({ reason: 'pause', iter: paused.iter });
    const { fileName, bytes } = await a.engine.call({ kind: 'downloadCheckpoint' });
    expect(fileName).toBe(`cyclegan-16px-iter${paused.iter}.ckpt`);

    const b = make();
    const st = await b.engine.call({ kind: 'loadCheckpoint', file: new File([bytes.slice()], fileName) });
    expect(st).toMatchObject({ state: 'paused', iter: paused.iter });
    await waitFor(() => b.of('checkpoint').length === 1); // kept in this browser's storage too
    expect(b.of('checkpoint')[0].summary.reason).toBe('loaded');
    await b.engine.call({ kind: 'step' });
    await b.engine.call({ kind: 'step' });
    const expected = await straight(paused.iter + 2);
    expect(b.points().map((p) => p.values)).toEqual(expected.map((p) => p.values));
    expect(b.points().map((p) => p.lr)).toEqual(expected.map((p) => p.lr));
  });

  it('stores the decoded images with a run that fits the budget; other images are refused with a specific message', async () => {
    const a = make();
    await a.engine.call({ kind: 'loadFiles', domain: 'A', files: files(5), source: 'horses' });
    await a.engine.call({ kind: 'loadFiles', domain: 'B', files: files(9), source: 'zebras' });
    await a.engine.call({ kind: 'configure', config: tiny });
    await a.engine.call({ kind: 'step' });
    const s = await a.engine.call({ kind: 'saveCheckpoint' });
    expect(s).toMatchObject({ reason: 'manual', iter: 1, imagesStored: true, domains: { A: { source: 'horses', count: 2 }, B: { source: 'zebras', count: 2 } } });
    const { bytes } = await a.engine.call({ kind: 'downloadCheckpoint' });

    await a.engine.call({ kind: 'deleteCheckpoint', id: s.id }); // deleting takes the images too; the next save stores them again
    expect(await a.engine.call({ kind: 'listCheckpoints' })).toEqual([]);
    expect(await a.engine.call({ kind: 'saveCheckpoint' })).toMatchObject({ id: s.id, imagesStored: true });
    expect(a.store.images.has(s.id)).toBe(true);

    const b = make(a.store); // same browser: the stored images are used, no folders needed
    expect(await b.engine.call({ kind: 'resumeCheckpoint', id: s.id })).toMatchObject({ iter: 1, state: 'paused' });

    const c = make(); // another browser with other images in A
    await c.engine.call({ kind: 'loadFiles', domain: 'A', files: files(6), source: 'cats' });
    await c.engine.call({ kind: 'loadFiles', domain: 'B', files: files(9), source: 'zebras' });
    await c.engine.call({ kind: 'configure', config: tiny });
    await c.engine.call({ kind: 'step' });
    await expect(c.engine.call({ kind: 'loadCheckpoint', file: new File([bytes.slice()], 'run.ckpt') })).rejects.toMatchObject({
      name: 'DomainMismatchError', message: expect.stringMatching(/^Domain A does not hold the images this run trained on: it trained on “horses” \(2 images\), A now has “cats”.*Drop the same folder into A/),
    });
    expect(await c.engine.call({ kind: 'configure', config: {} })).toMatchObject({ state: 'paused', iter: 1 }); // undisturbed
    await c.engine.call({ kind: 'loadFiles', domain: 'A', files: files(5), source: 'horses again' });
    expect(await c.engine.call({ kind: 'loadCheckpoint', file: new File([bytes.slice()], 'run.ckpt') })).toMatchObject({ iter: 1 });
  });

  it('a truncated, foreign or damaged file gets a specific message and leaves the current run alone', async () => {
    const a = make();
    await a.engine.call(demo);
    await a.engine.call({ kind: 'configure', config: tiny });
    await a.engine.call({ kind: 'step' });
    const { bytes } = await a.engine.call({ kind: 'downloadCheckpoint' });
    const load = (b: Uint8Array, name = 'x.ckpt') => a.engine.call({ kind: 'loadCheckpoint', file: new File([b.slice()], name) });
    await expect(load(bytes.subarray(0, bytes.length - 64), 'cut.ckpt')).rejects.toMatchObject({ name: 'CheckpointError', message: expect.stringMatching(/^cut\.ckpt: checkpoint file is truncated.*Nothing was changed/) });
    await expect(load(new TextEncoder().encode('PK\u0003\u0004 a zip'), 'model.zip')).rejects.toMatchObject({ message: expect.stringMatching(/^model\.zip: not a CycleGAN Studio checkpoint file/) });
    // a manifest whose config does not match its tensors (ngf 8 vs 4-filter weights)
    const t = new CycleGANTrainer(tiny, { A: [fromRGBA('a', 20, 20, new Uint8Array(1600))], B: [fromRGBA('b', 20, 20, new Uint8Array(1600))] });
    const ck = await captureCheckpoint(t);
    t.dispose();
    await expect(load(encodeCheckpoint({ ...ck, manifest: { ...ck.manifest, version: 1, config: { ...ck.manifest.config, ngf: 8 } } }), 'v1.ckpt')).rejects.toMatchObject({
      name: 'CheckpointError', message: expect.stringMatching(/^v1\.ckpt does not fit its own architecture.*does not match the model/),
    });
    expect(await a.engine.call({ kind: 'configure', config: {} })).toMatchObject({ state: 'paused', iter: 1 });
    // a version-1 file (no history, no run info) loads onto the images already in the studio
    expect(await load(encodeCheckpoint({ ...ck, manifest: { ...ck.manifest, version: 1 } }), 'v1.ckpt')).toMatchObject({ iter: 0, state: 'paused' });
  });

  it('storage full: a clear checkpointError, training goes on, the download still works', async () => {
    const a = make();
    a.store.quota = 10_000; // far less than one checkpoint
    await a.engine.call(demo);
    await a.engine.call({ kind: 'configure', config: tiny, autosaveEvery: 2 });
    await a.engine.call({ kind: 'start' });
    await waitFor(() => a.of('checkpointError').length >= 1 && a.points().length >= 6);
    const err = a.of('checkpointError')[0];
    expect(err).toMatchObject({ iter: 2, error: { name: 'QuotaExceededError', message: expect.stringMatching(/^Browser storage is full: the checkpoint at iteration 2 was not saved \(\d+\.\d MB needed, 0\.0 MB free\)\. Training goes on — download the checkpoint/) } });
    expect(a.of('status').at(-1)!.status.state).toBe('training');
    await a.engine.call({ kind: 'pause' });
    expect(await a.engine.call({ kind: 'listCheckpoints' })).toEqual([]);
    expect((await a.engine.call({ kind: 'downloadCheckpoint' })).bytes.length).toBeGreaterThan(10_000);
  });
});
