/** The supervisor against the real Engine behind a MessageChannel: a crashed worker's run goes on in a fresh one, exactly. */
import * as tf from '@tensorflow/tfjs';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import type { EngineEvent, FatalFault, FromWorker, LossPoint, ToWorker } from '../protocol/messages';
import { WorkerEngine, type WorkerLike } from './client';
import { serve, type WorkerScope } from './handler';
import { Supervisor, type Page } from './supervisor';

const tiny = { loadSize: 18, cropSize: 16, ngf: 2, nBlocks: 1, ndf: 2, nLayersD: 2, nEpochs: 50, nEpochsDecay: 1, poolSize: 2 };

/** A worker: the real Engine served over a Node MessageChannel, with the DOM-style listeners the client uses. */
function fakeWorker() {
  const { port1, port2 } = new MessageChannel();
  const engine = new Engine({ decode: async () => { throw new Error('no files'); }, guardEvery: 2 });
  const listeners: Record<string, ((e: unknown) => void)[]> = {};
  const scope = {
    postMessage: (m: FromWorker) => port2.postMessage(m),
    addEventListener: (_: 'message', l: (e: MessageEvent<ToWorker>) => void) => port2.on('message', (data: ToWorker) => l({ data } as MessageEvent<ToWorker>)),
  };
  serve(scope as unknown as WorkerScope, engine);
  port1.on('message', (data: FromWorker) => (listeners.message ?? []).forEach((l) => l({ data })));
  return {
    postMessage: (m: ToWorker) => port1.postMessage(m),
    addEventListener: (type: string, l: (e: unknown) => void) => (listeners[type] ??= []).push(l),
    terminate: () => {
      port1.close();
      port2.close();
      engine.dispose();
    },
    fire: (type: string, e: unknown) => (listeners[type] ?? []).forEach((l) => l(e)),
  };
}

let clients: WorkerEngine[] = [];
afterEach(async () => {
  for (const c of clients) await c.call({ kind: 'stop' }).catch(() => undefined);
  clients.forEach((c) => c.dispose());
  clients = [];
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

/** A client, and a page that sets a fresh worker up with the demo and the tiny settings, recording what it did. */
function setup() {
  const workers: ReturnType<typeof fakeWorker>[] = [];
  const create = () => {
    const w = fakeWorker();
    workers.push(w);
    return w as unknown as WorkerLike;
  };
  const client = new WorkerEngine(create(), { create });
  clients.push(client);
  const points: LossPoint[] = [];
  const faults: FatalFault[] = [];
  client.onEvent((e: EngineEvent) => {
    if (e.type === 'losses') points.push(...e.points);
    if (e.type === 'fault') faults.push(e.fault);
  });
  const did: string[] = [];
  const page: Page = {
    setUp: async (backend) => {
      did.push(`setUp ${backend}`);
      await client.call({ kind: 'init', backend });
      await client.call({ kind: 'loadDemo', demo: 'apples2oranges', options: { count: 2, size: 16 } });
      await client.call({ kind: 'configure', config: tiny });
      return null;
    },
    resumeAutosave: async () => null,
    request: async (r) => client.call(r).catch(() => null),
    restored: (at) => void did.push(`restored ${at}`),
    train: async () => {
      did.push('train');
      await client.call({ kind: 'start' });
    },
  };
  return { client, workers, points, faults, did, supervisor: new Supervisor(() => client, page) };
}

describe('supervisor', () => {
  it('a crash: the last good state is taken from the old worker and continues exactly in a fresh one', async () => {
    const { client, workers, points, faults, did, supervisor } = setup();
    await client.call({ kind: 'init', backend: 'cpu' });
    await client.call({ kind: 'loadDemo', demo: 'apples2oranges', options: { count: 2, size: 16 } });
    await client.call({ kind: 'configure', config: tiny });
    for (let i = 0; i < 6; i++) await client.call({ kind: 'step' }); // last good states at 0, 2 and 4
    const uninterrupted = points.find((p) => p.iter === 5)!.values;

    workers[0].fire('error', new ErrorEvent('error', { message: 'Uncaught RangeError: boom' }));
    expect(faults.map((f) => f.kind)).toEqual(['crash']);
    const outcome = await supervisor.restart(faults[0], 'cpu');
    expect(outcome).toEqual({ ok: true, at: 4, from: 'the last good state', resumed: false, again: false, gpuDied: false });
    expect(workers).toHaveLength(2);
    expect(did).toEqual(['setUp cpu', 'restored 4']);
    expect(await client.call({ kind: 'configure', config: {} })).toMatchObject({ state: 'paused', iter: 4 });
    await client.call({ kind: 'step' });
    expect(points.at(-1)).toMatchObject({ iter: 5, values: uninterrupted }); // the same iteration 5 as before the crash
  });

  it('a hang while training: nothing can be taken from it, so a new run is trained; a second failure is not resumed', async () => {
    const { client, workers, did, supervisor } = setup();
    const hang: FatalFault = { kind: 'hang', message: 'It stopped answering.', wasTraining: true, backend: 'cpu', lastGood: null };
    expect(await supervisor.restart(hang, 'cpu')).toMatchObject({ ok: true, at: null, resumed: true, again: false });
    expect(did).toEqual(['setUp cpu', 'restored null', 'train']);
    expect((await client.call({ kind: 'pause' })).state).toBe('paused');
    expect(await supervisor.restart(hang, 'cpu')).toMatchObject({ ok: true, at: null, resumed: false, again: true });
    expect(workers).toHaveLength(3);
  });

  it('a lost GPU moves the run to wasm, for this and later restarts', async () => {
    const { supervisor, did } = setup();
    const lost: FatalFault = { kind: 'deviceLost', message: 'The GPU device was lost.', wasTraining: false, backend: 'webgpu', lastGood: null };
    const page = (supervisor as unknown as { page: Page }).page;
    page.setUp = async (backend) => (did.push(`setUp ${backend}`), null); // wasm is not set up in Node: only the choice is checked
    expect(await supervisor.restart(lost, 'auto')).toMatchObject({ ok: true, gpuDied: true });
    expect([supervisor.backend, supervisor.movedFrom]).toEqual(['wasm', 'webgpu']);
    await supervisor.restart({ ...lost, kind: 'crash', backend: 'wasm' }, 'auto');
    expect(did.filter((d) => d.startsWith('setUp'))).toEqual(['setUp wasm', 'setUp wasm']);
  });
});
