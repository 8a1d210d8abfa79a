/**
 * The supervisor against the real Engine behind a MessageChannel: after a fault a fresh worker is set up from the
 * journal (backend, images, settings, imported generators) and the run goes on there, exactly.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { MemoryCheckpointStore } from '../io/checkpointStore';
import type { EngineEvent, FatalFault, FromWorker, LossPoint, Request, ToWorker } from '../protocol/messages';
import { syntheticImage } from '../testing/synthetic';
import { WorkerEngine, type WorkerLike } from './client';
import { serve, type WorkerScope } from './handler';
import { Supervisor } from './supervisor';
import { decodePng, pngOf } from '../testing/png';

const tiny = { loadSize: 18, cropSize: 16, ngf: 2, nBlocks: 1, ndf: 2, nLayersD: 2, nEpochs: 50, nEpochsDecay: 1, poolSize: 2 };
const demo = { kind: 'loadDemo', demo: 'apples2oranges', options: { count: 2, size: 16 } } as const;
const PTH = fileURLToPath(new URL('../../fixtures/pth/', import.meta.url));

/**
 * A worker: the real Engine served over a Node MessageChannel, with the DOM-style listeners the client uses.
 * `files`: messages are handed over as they are instead (Node's MessagePort does not clone a File; a browser's does).
 */
function fakeWorker(checkpointStore: MemoryCheckpointStore, files: boolean) {
  const { port1, port2 } = files ? directChannel() : new MessageChannel();
  const engine = new Engine({ decode: decodePng, guardEvery: 2, checkpointStore }); // the workers share one IndexedDB
  const listeners: Record<string, ((e: unknown) => void)[]> = {};
  const posted: Request[] = [];
  const scope = {
    postMessage: (m: FromWorker) => port2.postMessage(m),
    addEventListener: (_: 'message', l: (e: MessageEvent<ToWorker>) => void) => port2.on('message', (data: ToWorker) => l({ data } as MessageEvent<ToWorker>)),
  };
  serve(scope as unknown as WorkerScope, engine);
  port1.on('message', (data: FromWorker) => (listeners.message ?? []).forEach((l) => l({ data })));
  return {
    posted,
    postMessage: (m: ToWorker) => (posted.push(m.request), port1.postMessage(m)),
    addEventListener: (type: string, l: (e: unknown) => void) => (listeners[type] ??= []).push(l),
    terminate: () => {
      port1.close();
      port2.close();
      engine.dispose();
    },
    fire: (type: string, e: unknown) => (listeners[type] ?? []).forEach((l) => l(e)),
  };
}

/** Two ports that hand each message over, uncloned, on a later turn (as a MessageChannel does, cloned). */
function directChannel() {
  const port = () => {
    const listeners: ((data: unknown) => void)[] = [];
    let open = true;
    return { listeners, on: (_: 'message', l: (data: never) => void) => listeners.push(l as (data: unknown) => void), close: () => (open = false), open: () => open };
  };
  const [a, b] = [port(), port()];
  const to = (p: ReturnType<typeof port>, from: ReturnType<typeof port>) => (m: unknown) =>
    setImmediate(() => p.open() && from.open() && p.listeners.forEach((l) => l(m)));
  return { port1: { ...a, postMessage: to(b, a) }, port2: { ...b, postMessage: to(a, b) } };
}

let engines: Supervisor[] = [];
afterEach(async () => {
  for (const e of engines) await e.call({ kind: 'stop' }).catch(() => undefined);
  engines.forEach((e) => e.dispose());
  engines = [];
});
beforeAll(async () => {
  await tf.setBackend('cpu');
  (globalThis as { ErrorEvent?: unknown }).ErrorEvent ??= class extends Event {
    message: string;
    constructor(type: string, init: { message: string }) {
      super(type);
      this.message = init.message;
    }
  };
});

/** The page's engine (the supervisor over a restartable client), its workers, and what it sent out. */
function setup(files = false) {
  const store = new MemoryCheckpointStore();
  const workers: ReturnType<typeof fakeWorker>[] = [];
  const create = () => {
    const w = fakeWorker(store, files);
    workers.push(w);
    return w as unknown as WorkerLike;
  };
  const engine = new Supervisor(new WorkerEngine(create(), { create }));
  engines.push(engine);
  const points: LossPoint[] = [];
  const events: EngineEvent[] = [];
  const faults: FatalFault[] = [];
  engine.onEvent((e) => {
    events.push(e);
    if (e.type === 'losses') points.push(...e.points);
    if (e.type === 'fault') faults.push(e.fault);
  });
  /** Makes the current worker crash; the fault it reports. */
  const crash = () => {
    workers.at(-1)!.fire('error', new ErrorEvent('error', { message: 'Uncaught RangeError: boom' }));
    return faults.at(-1)!;
  };
  return { engine, workers, points, events, crash };
}

/** The demo and the tiny settings on the backend the host set up (no autosaves unless a test asks for one). */
async function ready(engine: Supervisor) {
  await engine.call({ kind: 'init', backend: 'cpu' });
  await engine.call(demo);
  await engine.call({ kind: 'configure', config: tiny, autosaveEvery: 0 });
}

describe('supervisor', () => {
  it('a crash: the fresh worker gets the same backend, images and settings, and continues exactly from the last good state', async () => {
    const { engine, workers, points, crash } = setup();
    await ready(engine);
    await engine.call({ kind: 'configure', config: { lr: 0.0003 }, sampleEvery: 7 }); // a live change: merged into the settings
    for (let i = 0; i < 6; i++) await engine.call({ kind: 'step' }); // last good states at 0, 2 and 4
    const uninterrupted = points.find((p) => p.iter === 5)!.values;

    const outcome = await engine.restart(crash());
    expect(outcome).toMatchObject({ ok: true, at: 4, from: 'the last good state', save: null, resumed: false, again: false, gpuDied: false, refused: [] });
    expect(outcome.ok && outcome.status).toMatchObject({ state: 'paused', iter: 4 });
    expect(workers).toHaveLength(2);
    expect(workers[1].posted.map((r) => r.kind)).toEqual(['init', 'loadDemo', 'configure', 'restoreLastGood']);
    expect(workers[1].posted.slice(0, 3)).toEqual([
      { kind: 'init', backend: 'cpu' },
      demo,
      { kind: 'configure', config: { ...tiny, lr: 0.0003 }, sampleEvery: 7, autosaveEvery: 0 },
    ]);
    await engine.call({ kind: 'step' });
    expect(points.at(-1)).toMatchObject({ iter: 5, values: uninterrupted }); // the same iteration 5 as before the crash
  });

  it('a hang while training: nothing can be taken from it, so a new run is trained on the same images; once it trains, a later hang is resumed too', async () => {
    const { engine, workers, points } = setup();
    await ready(engine);
    await engine.call({ kind: 'start' });
    const hang: FatalFault = { kind: 'hang', message: 'It stopped answering.', wasTraining: true, backend: 'cpu', lastGood: null };
    const first = await engine.restart(hang);
    expect(first).toMatchObject({ ok: true, at: null, resumed: true, again: false });
    expect(first.ok && first.status?.state).toBe('training');
    expect(workers[1].posted.map((r) => r.kind)).toEqual(['init', 'loadDemo', 'configure', 'start']); // nothing taken from a stuck worker
    const trained = points.length;
    await expect.poll(() => points.length, { timeout: 10_000 }).toBeGreaterThan(trained); // an iteration completed: healthy again
    expect(await engine.restart(hang)).toMatchObject({ ok: true, resumed: true, again: false });
  });

  it('a second failure right after a restart (no iteration completed in between) is not resumed', async () => {
    const { engine, workers } = setup();
    await ready(engine);
    const hang: FatalFault = { kind: 'hang', message: 'It stopped answering.', wasTraining: false, backend: 'cpu', lastGood: null };
    expect(await engine.restart(hang)).toMatchObject({ ok: true, resumed: false, again: false });
    expect(await engine.restart({ ...hang, wasTraining: true })).toMatchObject({ ok: true, at: null, resumed: false, again: true });
    expect(workers).toHaveLength(3);
    expect(workers[2].posted.map((r) => r.kind)).toEqual(['init', 'loadDemo', 'configure']);
  });

  it('the run\'s last save is resumed when it is newer than the last good state, and not when it is older', async () => {
    const { engine, workers, crash } = setup();
    await ready(engine);
    for (let i = 0; i < 3; i++) await engine.call({ kind: 'step' });
    await engine.call({ kind: 'saveCheckpoint' }); // iteration 3
    for (let i = 0; i < 2; i++) await engine.call({ kind: 'step' }); // last good at 4
    expect(await engine.restart(crash())).toMatchObject({ ok: true, at: 4, from: 'the last good state', save: null });

    await engine.call({ kind: 'step' }); // 5: healthy again
    const saved = await engine.call({ kind: 'saveCheckpoint' }); // iteration 5, newer than the last good state (4)
    const outcome = await engine.restart(crash());
    expect(outcome).toMatchObject({ ok: true, at: 5, from: 'the last autosave', save: { id: saved.id, iter: 5 }, again: false });
    expect(workers[2].posted.map((r) => r.kind)).toEqual(['init', 'loadDemo', 'configure', 'resumeCheckpoint']);
    expect((await engine.call({ kind: 'step' })).iter).toBe(6);
  });

  it('an imported generator still translates after a restart, under the id the page knows', async () => {
    const { engine, events, crash } = setup(true);
    await ready(engine);
    const pth = () => new File([readFileSync(`${PTH}/g_zip.pth`)], 'latest_net_G_A.pth');
    const first = await engine.call({ kind: 'importGenerator', files: [pth()] });
    const kept = await engine.call({ kind: 'importGenerator', files: [pth()] });
    expect(await engine.call({ kind: 'dropImportedModel', id: first.id })).toEqual([kept]);
    const image = pngOf(syntheticImage('photo.png', 20, 12, 5));
    const before = await engine.call({ kind: 'translate', source: { model: kept.id }, direction: 'AtoB', file: image });

    await engine.restart(crash()); // the fresh worker numbers its imports from m1 again
    expect(events.filter((e) => e.type === 'importedModels').at(-1)).toEqual({
      type: 'importedModels', models: [kept], notice: 'The training worker was restarted; the imported generator was loaded into it again.',
    });
    const after = await engine.call({ kind: 'translate', source: { model: kept.id }, direction: 'AtoB', file: image });
    expect(after.output.rgba).toEqual(before.output.rgba);
  });

  it('a lost GPU moves the run to wasm, for this and later restarts', async () => {
    const { engine, workers } = setup();
    await engine.call({ kind: 'init', backend: 'auto' });
    const lost: FatalFault = { kind: 'deviceLost', message: 'The GPU device was lost.', wasTraining: false, backend: 'webgpu', lastGood: null };
    expect(await engine.restart(lost)).toMatchObject({ ok: true, gpuDied: true }); // in Node the host's backend runs, whatever is asked
    expect([engine.backend, engine.movedFrom]).toEqual(['wasm', 'webgpu']);
    await engine.restart({ ...lost, kind: 'crash', backend: 'wasm' });
    expect(workers.slice(1).map((w) => w.posted.find((r) => r.kind === 'init'))).toEqual([{ kind: 'init', backend: 'wasm' }, { kind: 'init', backend: 'wasm' }]);
  });
});
