/**
 * Running out of memory for real, through the in-process engine on Node wasm (not an injected fault): a
 * configuration too large for the 4 GB heap fails in its first iteration, and weights that do not fit fail when
 * the run is built. Both are the fatal 'oom' fault, naming the sizes and what the estimate says they need.
 * One wasm heap for the file, which never shrinks: the test that needs it fresh comes first.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../backend/node';
import { WASM_HEAP_MAX_BYTES } from '../train/memoryFit';
import type { EngineEvent, FatalFault } from '../protocol/messages';
import { Engine } from './engine';

const demo = { kind: 'loadDemo', demo: 'apples2oranges', options: { count: 1, size: 24 } } as const;

async function make(config: Record<string, number>) {
  const e = new Engine({ decode: async () => { throw new Error('no files in this test'); } });
  const faults: FatalFault[] = [];
  e.onEvent((ev: EngineEvent) => ev.type === 'fault' && faults.push(ev.fault));
  await e.call({ kind: 'init', backend: 'wasm' });
  await e.call(demo);
  await e.call({ kind: 'configure', config, sampleEvery: 1000 });
  return { e, faults };
}

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('a real out-of-memory on wasm', () => {
  it('when the run is built (the weights do not fit): the same fault, and start is refused with EngineFaultError', async () => {
    // the Paper networks' weights (110 MB, and Adam's moments) on a heap that something else has almost filled
    const { e, faults } = await make({ loadSize: 18, cropSize: 16, ngf: 64, nBlocks: 9, ndf: 64 });
    const wasm = (tf.backend() as unknown as { wasm: { _malloc(n: number): number; _free(p: number): void } }).wasm;
    const filler = wasm._malloc(WASM_HEAP_MAX_BYTES - 32 * 2 ** 20); // address space only (nothing is written)
    try {
      await expect(e.call({ kind: 'start' })).rejects.toMatchObject({ name: 'EngineFaultError', message: expect.stringMatching(/ran out of memory.*restarts the engine/) });
      expect(faults).toMatchObject([{ kind: 'oom', wasTraining: false, lastGood: null, message: expect.stringMatching(/^The wasm backend ran out of memory training 16 px, ngf 64, 9 blocks, ndf 64 \(OutOfMemoryError: /) }]);
    } finally {
      wasm._free(filler);
    }
  });

  it('in an iteration: the fault names the sizes and the estimate; further requests are refused', async () => {
    // the first conv's output alone is 3.7 GB
    const { e, faults } = await make({ loadSize: 1832, cropSize: 1832, ngf: 288, nBlocks: 1, ndf: 16 });
    await e.call({ kind: 'start' });
    await e.idle();
    expect(faults).toEqual([{ kind: 'oom', wasTraining: true, backend: 'wasm', lastGood: 0, message: expect.any(String) }]);
    expect(faults[0].message).toMatch(/^The wasm backend ran out of memory training 1832 px, ngf 288, 1 block, ndf 16 \(OutOfMemoryError: Out of memory: the WebAssembly heap could not allocate \d+ MB more .*\)\. By estimate, this configuration needs about [\d.]+ GB; wasm holds 4 GB at most\.$/);
    await expect(e.call({ kind: 'step' })).rejects.toMatchObject({ name: 'EngineFaultError' });
    expect((await e.call({ kind: 'takeLastGood' }))?.iteration).toBe(0); // the worker still answers: the UI takes what it can
  });
});
