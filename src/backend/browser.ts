/**
 * The wasm backend in a browser page or Web Worker, with the training kernels of ./wasmKernels.
 *
 * A bundler does not copy tfjs-backend-wasm's .wasm binaries on its own, and the Emscripten glue
 * looks for them next to the bundled script, so `setWasmPaths` must point at where they are served
 * BEFORE the backend initialises. With Vite:
 *
 *   import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
 *   import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
 *   import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
 *   await initBrowserWasmBackend({
 *     wasmPaths: {
 *       'tfjs-backend-wasm.wasm': wasmPlain,
 *       'tfjs-backend-wasm-simd.wasm': wasmSimd,
 *       'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
 *     },
 *   });
 *
 * (or copy the three files to e.g. public/tfjs-wasm/ and pass the prefix '/tfjs-wasm/').
 * tfjs picks the binary itself: threaded-SIMD when the page is cross-origin isolated
 * (COOP: same-origin + COEP: require-corp, so SharedArrayBuffer exists), else SIMD, else plain.
 * The threaded build's pthread workers are created from a Blob URL by the glue code; nothing else
 * needs serving. Without isolation training runs single-threaded, as in Node.
 */
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerFusedKernels } from '../kernels/register';
import { guardWasmMalloc } from './wasmHeap';
import { registerWasmTrainingKernels } from './wasmKernels';

export type WasmBinaryName = 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm';

export interface BrowserWasmOptions {
  /** Folder URL ending in '/', or a map from binary name to URL (e.g. Vite `?url` imports). */
  wasmPaths: string | Partial<Record<WasmBinaryName, string>>;
  /** XNNPACK threads for the threaded build (default: navigator.hardwareConcurrency). */
  threads?: number;
}

/** Registers the training kernels, points tfjs at the .wasm files, activates 'wasm' and checks it. */
export async function initBrowserWasmBackend(opts: BrowserWasmOptions): Promise<string> {
  setWasmPaths(opts.wasmPaths);
  if (opts.threads !== undefined) setThreadsCount(opts.threads);
  registerWasmTrainingKernels();
  registerFusedKernels();
  let ok = false;
  let cause: unknown;
  try {
    ok = await tf.setBackend('wasm');
    await tf.ready();
  } catch (e) {
    cause = e;
  }
  if (!ok || tf.getBackend() !== 'wasm') {
    const why = cause instanceof Error ? `: ${cause.message}` : cause ? `: ${JSON.stringify(cause)}` : '';
    throw new Error(`initBrowserWasmBackend: could not activate 'wasm' (active: '${tf.getBackend()}')${why}`);
  }
  guardWasmMalloc(); // a heap that cannot grow throws "Out of memory" instead of corrupting itself
  return 'wasm';
}
