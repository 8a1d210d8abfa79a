/** The restartable client: a silent worker is noticed by the watchdog, a crashed one by its error event; restart() gives a fresh one. */
import * as tf from '@tensorflow/tfjs';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import type { EngineEvent, FatalFault, FromWorker, ToWorker } from '../protocol/messages';
import { WorkerEngine, type WorkerLike } from './client';
import { serve, type WorkerScope } from './handler';

/** A Node MessagePort with the DOM-style listeners of a Worker; `silence()` makes it stop answering. */
function fakeWorker() {
  const { port1, port2 } = new MessageChannel();
  const engine = new Engine({ decode: async () => { throw new Error('no files'); } });
  let silent = false;
  const listeners: Record<string, ((e: unknown) => void)[]> = {};
  const scope = {
    postMessage: (m: FromWorker) => port2.postMessage(m),
    addEventListener: (_: 'message', l: (e: MessageEvent<ToWorker>) => void) => port2.on('message', (data: ToWorker) => !silent && l({ data } as MessageEvent<ToWorker>)),
  };
  serve(scope as unknown as WorkerScope, engine);
  port1.on('message', (data: FromWorker) => (listeners.message ?? []).forEach((l) => l({ data })));
  const worker = {
    postMessage: (m: ToWorker) => port1.postMessage(m),
    addEventListener: (type: string, l: (e: unknown) => void) => (listeners[type] ??= []).push(l),
    terminate: () => {
      port1.close();
      (port2 as MessagePort).close();
      engine.dispose();
    },
    fire: (type: string, e: unknown) => (listeners[type] ?? []).forEach((l) => l(e)),
    /** An event as the engine would send it. */
    send: (event: EngineEvent) => port2.postMessage({ kind: 'event', event } as FromWorker),
    silence: () => (silent = true),
  };
  return worker;
}

let clients: WorkerEngine[] = [];
afterEach(() => {
  clients.forEach((c) => c.dispose());
  clients = [];
});
beforeAll(async () => {
  await tf.setBackend('cpu');
  // Node has no ErrorEvent: the browser's shape (an uncaught error in a running worker carries a message)
  (globalThis as { ErrorEvent?: unknown }).ErrorEvent ??= class extends Event {
    message: string;
    constructor(type: string, init: { message: string }) {
      super(type);
      this.message = init.message;
    }
  };
});

function setup() {
  const workers: ReturnType<typeof fakeWorker>[] = [];
  const create = () => {
    const w = fakeWorker();
    workers.push(w);
    return w as unknown as WorkerLike;
  };
  const client = new WorkerEngine(create(), { create, watchdog: { intervalMs: 20, timeoutMs: 150 } });
  clients.push(client);
  const faults: FatalFault[] = [];
  client.onEvent((e: EngineEvent) => e.type === 'fault' && faults.push(e.fault));
  return { client, workers, faults };
}

describe('restartable worker client', () => {
  it('a worker that stops answering is declared gone (pending requests rejected), and restart() brings a working one', async () => {
    const { client, workers, faults } = setup();
    await client.call({ kind: 'loadDemo', demo: 'apples2oranges', options: { count: 2, size: 16 } });
    await new Promise((r) => setTimeout(r, 300));
    expect(faults).toEqual([]); // answering pings: alive
    workers[0].silence();
    const pending = client.call({ kind: 'configure', config: {} });
    await expect(pending).rejects.toMatchObject({ name: 'WorkerCrashError', message: expect.stringMatching(/stopped answering.*restarts it/) });
    expect(faults).toEqual([{ kind: 'hang', wasTraining: false, backend: null, lastGood: null, message: expect.stringMatching(/^The training worker stopped answering \(no reply for [\d.]+ s\)/) }]);
    await expect(client.call({ kind: 'configure', config: {} })).rejects.toMatchObject({ name: 'WorkerCrashError' });
    client.restart();
    expect(workers).toHaveLength(2);
    expect((await client.call({ kind: 'configure', config: {} })).state).toBe('empty'); // a fresh engine
    await new Promise((r) => setTimeout(r, 300));
    expect(faults).toHaveLength(1);
  });

  it('a status that expects a long iteration keeps a busy worker from being declared gone until 5× that', async () => {
    const { client, workers, faults } = setup();
    await client.call({ kind: 'loadDemo', demo: 'apples2oranges', options: { count: 2, size: 16 } });
    const status = await client.call({ kind: 'configure', config: {} });
    workers[0].send({ type: 'status', status: { ...status, state: 'training', expectedIterMs: 120 } }); // 5× = 600 ms > 150 ms
    await new Promise((r) => setTimeout(r, 50));
    workers[0].silence(); // busy in a long synchronous iteration
    await new Promise((r) => setTimeout(r, 400));
    expect(faults).toEqual([]); // past the 150 ms timeout, within 5 × 120 ms
    await expect.poll(() => faults.length, { timeout: 2000, interval: 50 }).toBe(1);
    expect(faults[0]).toMatchObject({ kind: 'hang', wasTraining: true });
  });

  it('an uncaught error in the running worker is a crash fault, not a silent failure', async () => {
    const { client, workers, faults } = setup();
    await client.call({ kind: 'ping' });
    workers[0].fire('error', new ErrorEvent('error', { message: 'Uncaught RangeError: boom' }));
    expect(faults.map((f) => [f.kind, f.message])).toEqual([['crash', 'The training worker crashed (Uncaught RangeError: boom).']]);
    expect(await client.call({ kind: 'takeLastGood' })).toBeNull(); // it still answers: its last good state can be taken
    client.restart();
    expect(await client.call({ kind: 'ping' })).toBe(true);
  });
});
