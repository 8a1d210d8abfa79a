/**
 * The wasm heap guard on the real backend in Node: allocations that cannot fit throw an OutOfMemoryError instead
 * of handing tfjs a pointer it would write through. Only address space is reserved here (nothing is written),
 * so the process stays small. The last case leaves the allocator unusable: it comes last.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OutOfMemoryError } from './outOfMemory';
import { initNodeBackend } from './node';
import { wasmHeapBytes } from './wasmHeap';

type Malloc = { _malloc(n: number): number; _free(p: number): void };
const GB = 2 ** 30;
let wasm: Malloc;

beforeAll(async () => {
  await initNodeBackend('wasm');
  wasm = (tf.backend() as unknown as { wasm: Malloc }).wasm;
});

describe('wasm heap guard', () => {
  it('a request of 4 GB or more (it would wrap around in 32 bits)', () => {
    expect(() => wasm._malloc(4 * GB)).toThrow(OutOfMemoryError);
    expect(() => wasm._malloc(4 * GB)).toThrow(/could not allocate 4096 MB more .*4 GB at most/);
  });

  it('malloc returning 0: 3 GB held, 1.5 GB more; the backend goes on once memory is freed', async () => {
    const held = wasm._malloc(3 * GB);
    expect(wasmHeapBytes()).toBeGreaterThanOrEqual(3 * GB); // the heap grew, and never shrinks
    expect(() => wasm._malloc(1.5 * GB)).toThrow(OutOfMemoryError);
    wasm._free(held);
    expect(await tf.add(tf.scalar(1), tf.scalar(2)).data()).toEqual(new Float32Array([3]));
  });

  it('the heap\'s end plus the request passes 4 GB: a block past the end, refused (else: "memory access out of bounds")', () => {
    const held = wasm._malloc(2.5 * GB); // reuses the freed block: the heap's end stays at 3 GB
    expect(held).not.toBe(0);
    expect(() => wasm._malloc(2.25 * GB)).toThrow(OutOfMemoryError);
  });
});
