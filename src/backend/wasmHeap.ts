/**
 * The wasm backend's heap: its size now (what memory measurements read) and a clean out-of-memory error.
 *
 * The heap grows on demand up to 4 GB (32-bit addresses) and never shrinks, so its size is the run's peak.
 * When it cannot grow, Emscripten's malloc fails in one of two ways, and tfjs-backend-wasm checks neither:
 * - it returns 0, and the new tensor's values are written at address 0, over the runtime's own data;
 * - when the heap's end plus the request passes 4 GB, the 32-bit break wraps around and malloc returns a pointer
 *   whose block runs past the heap's end (measured: a 3 GB heap, 2.25 GB asked, a block ending at 4.75 GB), and
 *   the first kernel to touch it traps: "RuntimeError: memory access out of bounds".
 * The guard below throws at the allocation that did not fit instead, before anything is written. (The module
 * is not to be trusted after that: callers treat it as fatal.) Allocations inside the C++ kernels (XNNPACK's
 * buffers) do not pass through it: those abort the module or trap, which ./outOfMemory.ts recognises.
 */
import * as tf from '@tensorflow/tfjs';
import { OutOfMemoryError } from './outOfMemory';
import { WASM_HEAP_MAX_BYTES } from '../train/memoryFit';

/** The members of the Emscripten module behind tfjs-backend-wasm used here. */
interface WasmModuleLike {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
}

const GUARDED = Symbol.for('cyclegan-studio/wasmMallocGuard');

function wasmModule(): (WasmModuleLike & { [GUARDED]?: true }) | null {
  if (tf.getBackend() !== 'wasm') return null;
  return (tf.backend() as unknown as { wasm?: WasmModuleLike }).wasm ?? null;
}

/** Bytes the wasm heap has grown to (its peak so far); null when wasm is not the active backend. */
export function wasmHeapBytes(): number | null {
  return wasmModule()?.HEAPU8.buffer.byteLength ?? null;
}

const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;

/** Makes the active wasm backend's malloc throw an OutOfMemoryError instead of returning 0 or a block past the end. Idempotent. */
export function guardWasmMalloc(): void {
  const m = wasmModule();
  if (!m || m[GUARDED]) return;
  m._free(m._malloc(8)); // the glue's first call replaces _malloc by the raw export: wrap that one
  const malloc = m._malloc.bind(m);
  m._malloc = (bytes: number) => {
    const ptr = bytes > WASM_HEAP_MAX_BYTES ? 0 : malloc(bytes); // 4 GB or more would wrap around in 32 bits
    const end = (ptr >>> 0) + bytes;
    if (bytes > 0 && (ptr === 0 || end > m.HEAPU8.buffer.byteLength))
      throw new OutOfMemoryError(
        `Out of memory: the WebAssembly heap could not allocate ${mb(bytes)} more (it holds ${mb(m.HEAPU8.buffer.byteLength)}; 4 GB at most)`,
      );
    return ptr;
  };
  m[GUARDED] = true;
}
