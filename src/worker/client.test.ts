/** The worker client and handler over a real MessageChannel (structured clone included), with the engine behind. */
import * as tf from '@tensorflow/tfjs';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { NotAnImageError } from '../engine/errors';
import type { EngineEvent, FromWorker, ToWorker } from '../protocol/messages';
import { WorkerEngine, type WorkerLike } from './client';
import { serve, type WorkerScope } from './handler';

/** Adapts a Node MessagePort to the DOM-style addEventListener the client and handler use. */
function domPort<In>(port: MessagePort) {
  const listeners: Record<string, ((e: { data: In } & Event) => void)[]> = {};
  port.on('message', (data: In) => (listeners.message ?? []).forEach((l) => l({ data } as { data: In } & Event)));
  port.on('messageerror', () => (listeners.messageerror ?? []).forEach((l) => l(new Event('messageerror') as { data: In } & Event)));
  return {
    postMessage: (m: unknown) => port.postMessage(m),
    addEventListener: (type: string, l: (e: { data: In } & Event) => void) => (listeners[type] ??= []).push(l),
    terminate: () => port.close(),
    fire: (type: string, e: Event) => (listeners[type] ?? []).forEach((l) => l(e as { data: In } & Event)),
  };
}

let closers: (() => void)[] = [];
afterEach(() => {
  closers.forEach((c) => c());
  closers = [];
});

function connect() {
  const { port1, port2 } = new MessageChannel();
  const engine = new Engine({ decode: async (f) => { throw new NotAnImageError(`not an image (${f.type})`); } });
  const scope = domPort<ToWorker>(port2);
  serve(scope as unknown as WorkerScope, engine);
  const side = domPort<FromWorker>(port1);
  const client = new WorkerEngine(side as unknown as WorkerLike);
  closers.push(() => { client.dispose(); port2.close(); engine.dispose(); });
  return { client, side, engine };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('worker client ⇄ handler', () => {
  it('answers requests by id, forwards events, and rebuilds errors with their name', async () => {
    const { client } = connect();
    const events: EngineEvent['type'][] = [];
    client.onEvent((e) => events.push(e.type));
    const [a, b] = await client.call({ kind: 'loadDemo', demo: 'summer2winter', options: { count: 2, size: 16 } });
    expect([a.count, b.count]).toEqual([2, 2]);
    expect(a.thumbs[0].rgba).toBeInstanceOf(Uint8ClampedArray); // survived structured clone
    expect(events).toContain('domain');
    await expect(client.call({ kind: 'configure', config: { cropSize: 7 } })).rejects.toMatchObject({ name: 'ConfigError', message: expect.stringMatching(/^cropSize: must be a multiple of 4/) });
    const s = await client.call({ kind: 'configure', config: { loadSize: 18, cropSize: 16, ngf: 2, ndf: 2, nBlocks: 1, nLayersD: 2 } });
    expect(s.state).toBe('ready');
    const stepped = await client.call({ kind: 'step' });
    expect(stepped.iter).toBe(1);
    expect(events).toEqual(expect.arrayContaining(['losses', 'visuals', 'status']));
    await client.call({ kind: 'stop' });
  });

  it('a worker that fails rejects pending requests, raises an error event, and refuses later calls', async () => {
    const { client, side } = connect();
    const errors: string[] = [];
    client.onEvent((e) => e.type === 'error' && errors.push(`${e.error.name}: ${e.error.message}`));
    const pending = client.call({ kind: 'loadDemo', demo: 'apples2oranges' });
    side.fire('error', new Event('error')); // what a module worker that failed to load dispatches
    await expect(pending).rejects.toMatchObject({ name: 'WorkerCrashError' });
    expect(errors).toEqual([expect.stringMatching(/^WorkerCrashError: The training worker could not start/)]);
    await expect(client.call({ kind: 'start' })).rejects.toMatchObject({ name: 'WorkerCrashError' });
  });

  it('a message that cannot be read rejects what was pending but keeps the client usable', async () => {
    const { client, side } = connect();
    const errors: string[] = [];
    client.onEvent((e) => e.type === 'error' && errors.push(e.error.name));
    const pending = client.call({ kind: 'loadDemo', demo: 'apples2oranges', options: { count: 1, size: 16 } });
    side.fire('messageerror', new Event('messageerror'));
    await expect(pending).rejects.toMatchObject({ name: 'WorkerCrashError' });
    expect(errors).toEqual(['WorkerCrashError']);
    expect((await client.call({ kind: 'configure', config: {} })).state).toBe('ready');
  });
});
