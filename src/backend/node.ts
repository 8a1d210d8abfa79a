/**
 * Backend initialisation for Node (CLI, benchmarks, tests).
 *
 * Imports the '@tensorflow/tfjs' union package (tfjs-core alone registers no gradients), and for
 * 'wasm' also the wasm backend plus the training kernels from ./wasmKernels; for 'webgpu' Dawn
 * (./nodeWebgpu: it needs a Vulkan adapter, see there) and then tfjs-backend-webgpu.
 *
 * The Node build of tfjs-backend-wasm (dist/tf-backend-wasm.node.js, picked by the package's
 * "main") reads its .wasm binary from its own dist/ folder with fs, so no setWasmPaths is needed
 * in Node. WASM_HAS_MULTITHREAD_SUPPORT is hard-wired to false under Node, so Node always runs
 * the single-threaded SIMD build (tfjs-backend-wasm-simd.wasm) — or the plain build where the
 * runtime lacks wasm SIMD.
 */
import * as tf from '@tensorflow/tfjs';
import { registerFusedKernels } from '../kernels/register';
import { installNodeWebGPU } from './nodeWebgpu';
import { guardWasmMalloc } from './wasmHeap';
import { registerWasmTrainingKernels } from './wasmKernels';

export const NODE_BACKENDS = ['wasm', 'cpu', 'webgpu'] as const;
export type NodeBackendName = (typeof NODE_BACKENDS)[number];

export async function initNodeBackend(name: NodeBackendName): Promise<string> {
  if (!NODE_BACKENDS.includes(name)) {
    throw new Error(`initNodeBackend: unknown backend '${String(name)}' (expected ${NODE_BACKENDS.join(', ')}).`);
  }
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm'); // registers the 'wasm' backend and its kernels
    registerWasmTrainingKernels();
  }
  if (name === 'webgpu') {
    await installNodeWebGPU(); // throws, saying what to set, when there is no adapter
    await import('@tensorflow/tfjs-backend-webgpu'); // registers 'webgpu' now that navigator.gpu exists
  }
  registerFusedKernels();
  let ok = false;
  let cause: unknown;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    cause = e;
  }
  const active = tf.getBackend();
  if (!ok || active !== name) {
    const why = cause instanceof Error ? `: ${cause.message}` : cause ? `: ${String(cause)}` : '';
    throw new Error(`initNodeBackend: could not activate the '${name}' backend (active: '${active}')${why}`);
  }
  if (name === 'wasm') guardWasmMalloc(); // a heap that cannot grow throws "Out of memory" instead of corrupting itself
  return active;
}

/** Which wasm binary the backend uses: SIMD / threads as detected by tfjs (call after init). */
export async function wasmBuildInfo(): Promise<{ simd: boolean; threads: boolean; binary: string }> {
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  const binary = simd && threads ? 'tfjs-backend-wasm-threaded-simd.wasm' : simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
  return { simd, threads, binary };
}
