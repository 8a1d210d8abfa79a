/**
 * Out-of-memory recognition against the messages the backends really throw: each pattern's own example, the
 * errors Node's V8 raises for real here (a heap that cannot grow, a buffer too large, a wasm access past the
 * heap's end), and what tfjs-backend-wasm threw when training 1024 px in Node. Ordinary errors are not memory.
 */
import { describe, expect, it } from 'vitest';
import { DivergedError } from '../engine/guard';
import { OUT_OF_MEMORY, OutOfMemoryError, outOfMemory } from './outOfMemory';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

/** A wasm module with one 64 KiB page and `f`, which loads from address 70000: past the end. */
const OUT_OF_BOUNDS = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type: () → ()
  0x03, 0x02, 0x01, 0x00, // function 0 has type 0
  0x05, 0x03, 0x01, 0x00, 0x01, // memory: 1 page
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f" = function 0
  0x0a, 0x0c, 0x01, 0x0a, 0x00, 0x41, 0xf0, 0xa2, 0x04, 0x28, 0x02, 0x00, 0x1a, 0x0b, // i32.load(70000); drop
]);

describe('outOfMemory', () => {
  it('every pattern matches its own example, as an Error and as a plain string', () => {
    for (const { pattern, example } of OUT_OF_MEMORY) {
      expect(pattern.test(example), example).toBe(true);
      expect(outOfMemory(new Error(example)), example).toBe(true);
      expect(outOfMemory(example), example).toBe(true);
    }
  });

  it('recognises what V8 really throws when memory runs out', () => {
    const grow = thrown(() => new WebAssembly.Memory({ initial: 1, maximum: 1 }).grow(1));
    expect(String(grow)).toBe('RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded');
    const buffer = thrown(() => new ArrayBuffer(2 ** 40));
    expect(String(buffer)).toBe('RangeError: Array buffer allocation failed');
    const module = new WebAssembly.Module(OUT_OF_BOUNDS);
    const oob = thrown(() => (new WebAssembly.Instance(module).exports.f as () => void)());
    expect(String(oob)).toBe('RuntimeError: memory access out of bounds');
    for (const e of [grow, buffer, oob]) expect(outOfMemory(e), String(e)).toBe(true);
  });

  it('recognises an aborted wasm module and our own OutOfMemoryError', () => {
    // tfjs-backend-wasm in Node, 2048 px, ngf 64, 9 blocks, when an XNNPACK buffer did not fit
    expect(outOfMemory(new WebAssembly.RuntimeError('Aborted(). Build with -sASSERTIONS for more info.'))).toBe(true);
    expect(outOfMemory(new Error('Aborted(OOM)'))).toBe(true);
    expect(outOfMemory(new OutOfMemoryError('Out of memory: the WebAssembly heap could not allocate 3687 MB more (it holds 1068 MB; 4 GB at most)'))).toBe(true);
    expect(outOfMemory(new Error('GPUOutOfMemoryError: allocation failed'))).toBe(true);
  });

  it('ordinary errors are not out of memory', () => {
    expect(outOfMemory(new Error('shape mismatch'))).toBe(false);
    expect(outOfMemory(new DivergedError(7, 'loss D_A is NaN'))).toBe(false);
    expect(outOfMemory(new TypeError("Cannot read properties of undefined (reading 'shape')"))).toBe(false);
    expect(outOfMemory(new Error('Error in slice4D: begin[0] + size[0] (3) would overflow input.shape[0] (2)'))).toBe(false);
    expect(outOfMemory({ name: 'GPUOutOfMemoryError', message: 'x' })).toBe(false); // not an Error: the device watcher names it
  });
});
