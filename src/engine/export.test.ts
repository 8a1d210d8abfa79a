/**
 * exportModel through the real worker protocol (handler + client over a MessageChannel): refused with a named
 * error before a run exists; after two iterations, a zip whose G_A equals the run's G_A — and the zip's buffer
 * is transferred, not copied.
 */
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadGraphModelFiles } from '../io/export/loadGraph';
import type { FromWorker, ReturnTypes, ToWorker, EngineApi } from '../protocol/messages';
import type { CycleGANTrainer } from '../train/trainer';
import { WorkerEngine, type WorkerLike } from '../worker/client';
import { serve, type WorkerScope } from '../worker/handler';
import { Engine } from './engine';

const tiny = { loadSize: 18, cropSize: 16, ngf: 4, nBlocks: 1, ndf: 4, nLayersD: 2, nEpochs: 1, nEpochsDecay: 1, poolSize: 2 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let closers: (() => void)[] = [];
afterEach(() => {
  closers.forEach((c) => c());
  closers = [];
});

/** Engine behind serve() on one port, the WorkerEngine on the other; records what the engine returned. */
function connect() {
  const { port1, port2 } = new MessageChannel();
  const engine = new Engine({ decode: async () => { throw new Error('no files in this test'); } });
  const returned: unknown[] = [];
  const spy: EngineApi = { call: async (r) => { const v = await engine.call(r); returned.push(v); return v; }, onEvent: (l) => engine.onEvent(l), dispose: () => engine.dispose() };
  const scope = {
    postMessage: (m: FromWorker, transfer?: Transferable[]) => port2.postMessage(m, transfer as never),
    addEventListener: (_t: string, l: (e: { data: ToWorker }) => void) => port2.on('message', (data: ToWorker) => l({ data })),
  };
  serve(scope as unknown as WorkerScope, spy);
  const side = {
    postMessage: (m: ToWorker) => port1.postMessage(m),
    addEventListener: (t: string, l: (e: { data: FromWorker }) => void) => { if (t === 'message') port1.on('message', (data: FromWorker) => l({ data })); },
    terminate: () => port1.close(),
  };
  const client = new WorkerEngine(side as unknown as WorkerLike);
  closers.push(() => { client.dispose(); port2.close(); engine.dispose(); });
  return { client, engine, returned };
}

describe('exportModel', () => {
  it('before a run: NoRunError that says what to do', async () => {
    const { client } = connect();
    await expect(client.call({ kind: 'exportModel' })).rejects.toMatchObject({ name: 'NoRunError', message: expect.stringMatching(/press Train \(or Step\) first/) });
  });

  it('after two iterations: the run\'s generators as graph models, the buffer transferred', async () => {
    const { client, engine, returned } = connect();
    await client.call({ kind: 'loadDemo', demo: 'apples2oranges', options: { count: 3, size: 24 } });
    await client.call({ kind: 'configure', config: tiny });
    await client.call({ kind: 'step' });
    await client.call({ kind: 'step' });
    const { fileName, bytes } = await client.call({ kind: 'exportModel' });
    expect(fileName).toBe('cyclegan-apples-oranges-iter2.zip');
    expect((returned.at(-1) as ReturnTypes['exportModel']).bytes.byteLength).toBe(0); // detached on the engine's side: moved, not copied

    const files = unzipSync(bytes);
    expect(JSON.parse(strFromU8(files['config.json']))).toMatchObject({ iteration: 2, domains: { A: 'apples', B: 'oranges' }, config: tiny });
    const t = (engine as unknown as { run: { trainer: CycleGANTrainer } }).run.trainer;
    for (const [dir, g] of [['G_A_AtoB', t.models.G_A], ['G_B_BtoA', t.models.G_B]] as const) {
      const model = await loadGraphModelFiles(strFromU8(files[`${dir}/model.json`]), files[`${dir}/group1-shard1of1.bin`]);
      const x = tf.randomUniform([1, 16, 24, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
      const want = g.apply(x);
      const got = model.predict(x) as tf.Tensor;
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, want))).dataSync()[0])).toBeLessThan(1e-5);
      tf.dispose([x, want, got]);
      model.dispose();
    }

    // between Step G and Step D: the generators include iteration 3's G update, and the export says so
    await client.call({ kind: 'stepPart', part: 'G' });
    const half = unzipSync((await client.call({ kind: 'exportModel' })).bytes);
    expect(JSON.parse(strFromU8(half['config.json']))).toMatchObject({ iteration: 2, halfStep: { iter: 3, gUpdates: 1, dUpdates: 0 } });
    expect(strFromU8(half['README.md'])).toContain("after 2 training iterations plus the generators' half (Step G) of iteration 3");
    expect(JSON.parse(strFromU8(files['config.json'])).halfStep).toBeUndefined();
  });

  it('while training: one consistent snapshot (every weight from the same iteration), and training goes on', async () => {
    const { client, engine } = connect();
    await client.call({ kind: 'loadDemo', demo: 'apples2oranges', options: { count: 3, size: 24 } });
    await client.call({ kind: 'configure', config: tiny });
    await client.call({ kind: 'step' }); // the run exists: record G_A's first and last layers after every iteration
    const t = (engine as unknown as { run: { trainer: CycleGANTrainer } }).run.trainer;
    const keys = [...t.models.G_A.params.keys()];
    const [first, last] = [keys[0], keys[keys.length - 1]];
    const read = () => ({ first: t.models.G_A.params.get(first)!.dataSync().slice(), last: t.models.G_A.params.get(last)!.dataSync().slice() });
    const seen = new Map([[t.iteration, read()]]);
    const run = t.runIteration.bind(t);
    t.runIteration = (v) => {
      const r = run(v);
      seen.set(t.iteration, read());
      return r;
    };
    await client.call({ kind: 'start' });
    while (t.iteration < 3) await new Promise((r) => setTimeout(r, 20));
    const { bytes } = await client.call({ kind: 'exportModel' });
    const status = await client.call({ kind: 'pause' });
    const files = unzipSync(bytes);
    const iteration = JSON.parse(strFromU8(files['config.json'])).iteration as number;
    expect(iteration).toBeGreaterThanOrEqual(3);
    expect(status.iter).toBeGreaterThanOrEqual(iteration);
    const manifest = JSON.parse(strFromU8(files['G_A_AtoB/model.json'])).weightsManifest[0].weights;
    const w = tf.io.decodeWeights(files['G_A_AtoB/group1-shard1of1.bin'].slice().buffer, manifest);
    const want = seen.get(iteration)!;
    expect(Array.from(w[first].dataSync())).toEqual(Array.from(want.first));
    expect(Array.from(w[last].dataSync())).toEqual(Array.from(want.last));
    expect(Array.from(seen.get(iteration - 1)!.first)).not.toEqual(Array.from(want.first)); // the weights did move each iteration
    tf.dispose(Object.values(w));
  });
});
