/**
 * What "out of memory" looks like when it is thrown: the messages the backends really produce, in one list.
 * The engine (a fatal fault: the supervisor restarts the worker, the page offers a smaller preset) and the CLI (a plain
 * `error: out of memory`) both ask `outOfMemory`. No tfjs import: the main thread may use it too.
 *
 * The wasm heap is capped at 4 GB (32-bit addresses). What running past it throws depends on who allocated:
 * - our guard on the backend's malloc (src/backend/wasmHeap.ts): an OutOfMemoryError, "Out of memory: …";
 * - an allocation inside a C++ kernel (XNNPACK's buffers): the module aborts, `RuntimeError: Aborted()` —
 *   in this backend abort() has no other cause in practice, and an aborted module is dead either way, so the
 *   worker must be restarted whatever the cause;
 * - a write through a pointer malloc failed to give (before the guard, or from C++):
 *   `RuntimeError: memory access out of bounds`;
 * - growing the heap or a JS buffer: `RangeError: WebAssembly.Memory(): could not allocate memory`,
 *   `WebAssembly.Memory.grow(): Maximum memory size exceeded`, `Array buffer allocation failed`.
 * WebGPU reports an allocation that did not fit as a GPUOutOfMemoryError, and a buffer larger than the device
 * allows as a validation error ("exceeds the max buffer size limit"): both are events, which
 * src/backend/deviceWatch.ts hands over.
 */

/** Each pattern, with one real message it matches (the unit test checks every example). */
export const OUT_OF_MEMORY: readonly { pattern: RegExp; example: string }[] = [
  { pattern: /out of memory/i, example: 'Out of memory: the WebAssembly heap could not allocate 1024 MB more (4 GB at most)' },
  { pattern: /\bOOM\b/, example: 'Aborted(OOM)' },
  { pattern: /\bAborted\(/, example: 'RuntimeError: Aborted(). Build with -sASSERTIONS for more info.' },
  { pattern: /memory access out of bounds/i, example: 'RuntimeError: memory access out of bounds' },
  { pattern: /could not (allocate|grow) memory/i, example: 'RangeError: WebAssembly.Memory(): could not allocate memory' },
  { pattern: /Memory\.grow\(\)|maximum memory size/i, example: 'RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded' },
  { pattern: /allocation failed/i, example: 'RangeError: Array buffer allocation failed' },
  { pattern: /GPUOutOfMemoryError/, example: 'GPUOutOfMemoryError: Not enough memory left to allocate the buffer.' },
  { pattern: /exceeds the max buffer size limit/i, example: 'Buffer size (1073741828) exceeds the max buffer size limit (1073741824).\n - While calling [Device].CreateBuffer([BufferDescriptor]).' },
];

/** An allocation that did not fit (thrown by our own checks, e.g. the wasm heap guard). */
export class OutOfMemoryError extends Error {
  override name = 'OutOfMemoryError';
}

/** Whether an error thrown by a tfjs op (or by a backend) means the device or the wasm heap ran out of memory. */
export function outOfMemory(e: unknown): boolean {
  const s = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return OUT_OF_MEMORY.some(({ pattern }) => pattern.test(s));
}
