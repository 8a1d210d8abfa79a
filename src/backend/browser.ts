/**
 * The wasm backend in a browser page or Web Worker, with the training kernels of ./wasmKernels, on as many
 * threads as asked for when the page is cross-origin isolated.
 *
 * The backend comes from the package's own prebuilt script and .wasm files, served untouched beside the app
 * (vite.config.ts puts them under vendor/tfjs-backend-wasm@VERSION/), not from the app's bundle: the threaded build starts each of its pthread workers from the source text of its Emscripten factory
 * (`factory.toString()` in a Blob), which only works while that function is the package's own self-contained code —
 * re-minified with the app it refers to names that do not exist in the pthread worker. The prebuilt script is a UMD
 * bundle that registers itself with the tfjs on `globalThis.tf`: we hand it ours, so its backend and kernels
 * register with the same engine as everything else. It is the ES2017 build (dist/tf-backend-wasm.es2017.min.js):
 * the ES5 one's BackendWasm cannot extend tfjs-core's KernelBackend class as bundled here.
 *
 * Threads need SharedArrayBuffer, i.e. a cross-origin isolated page (COOP `same-origin` + COEP `require-corp` or
 * `credentialless`: vite.config.ts sets them, and coi-serviceworker adds them on static hosts). Without isolation
 * the single-thread SIMD build runs, as in Node, and the result says why.
 *
 * tfjs-backend-wasm sizes XNNPACK's pool as min(requested, 8, navigator.hardwareConcurrency / 2) — it assumes two
 * hyper-threads per core (tfjs-backend-wasm/src/cc/backend.cc, init_with_threads_count) — so on a 2-core machine
 * it stays at 1 thread, and 8 cores without SMT get 4. The Emscripten glue reads the core count from
 * navigator.hardwareConcurrency when the backend is created, so for that moment the worker's navigator reports
 * twice the threads wanted; the count actually used is read back with getThreadsCount().
 */
import * as tf from '@tensorflow/tfjs';
import { registerFusedKernels } from '../kernels/register';
import { guardWasmMalloc } from './wasmHeap';
import { registerWasmTrainingKernels } from './wasmKernels';

/** The most threads the prebuilt module has workers for (its PTHREAD_POOL_SIZE; tfjs caps the pool there too). */
export const MAX_WASM_THREADS = 8;

/** What the prebuilt script adds to `globalThis.tf.wasm`. */
interface WasmNamespace {
  setWasmPaths(prefix: string): void;
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

export interface WasmStart {
  /** XNNPACK's pool as the backend reports it. */
  threads: number;
  /** Why fewer threads than asked for run (not isolated, the module's cap), or null. */
  why: string | null;
}

/** The folder the prebuilt files are served from (vite.config.ts copies them there). tfjs-backend-wasm's version is
 * pinned to tfjs-core's (its peer dependency), so core's version names the folder. */
export function prebuiltWasmFolder(base: string): string {
  return `${base}vendor/tfjs-backend-wasm@${tf.version_core}/`;
}

let loaded: Promise<WasmNamespace> | null = null;

/** Runs the prebuilt UMD script once, against our tfjs. */
function loadPrebuilt(folder: string): Promise<WasmNamespace> {
  loaded ??= (async () => {
    const g = globalThis as { tf?: Record<string, unknown> };
    g.tf = { ...tf }; // a plain copy: the script adds `tf.wasm`, and a module namespace is frozen
    try {
      await import(/* @vite-ignore */ `${folder}tf-backend-wasm.es2017.min.js`);
      const wasm = g.tf.wasm as WasmNamespace | undefined;
      if (!wasm?.setWasmPaths) throw new Error(`${folder}tf-backend-wasm.es2017.min.js did not define tf.wasm`);
      return wasm;
    } finally {
      delete g.tf;
    }
  })();
  return loaded;
}

/** Creates the backend while navigator.hardwareConcurrency reads `cores` (see the header), then restores it. */
async function withReportedCores<T>(cores: number, f: () => Promise<T>): Promise<T> {
  const nav = globalThis.navigator as Navigator;
  Object.defineProperty(nav, 'hardwareConcurrency', { value: cores, configurable: true });
  try {
    return await f();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency; // the prototype's getter again
  }
}

export interface BrowserWasmOptions {
  /** Where the prebuilt script and .wasm files are served (a folder URL ending in '/'). */
  folder: string;
  /** Threads wanted (≥ 1). */
  threads: number;
}

/** Loads the prebuilt backend, registers the training kernels, activates 'wasm' and checks it. */
export async function initBrowserWasmBackend(opts: BrowserWasmOptions): Promise<WasmStart> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const wanted = Math.max(1, Math.floor(opts.threads));
  const threads = isolated ? Math.min(wanted, MAX_WASM_THREADS) : 1;
  const wasm = await loadPrebuilt(opts.folder); // registers the WASM_* flags too
  // one thread: the single-thread SIMD build, which needs no SharedArrayBuffer and has no pthread workers
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  wasm.setWasmPaths(opts.folder);
  wasm.setThreadsCount(threads);
  registerWasmTrainingKernels();
  registerFusedKernels();
  let ok = false;
  let cause: unknown;
  try {
    ok = await withReportedCores(2 * threads, async () => {
      const r = await tf.setBackend('wasm');
      await tf.ready();
      return r;
    });
  } catch (e) {
    cause = e;
  }
  if (!ok || tf.getBackend() !== 'wasm') {
    const why = cause instanceof Error ? `: ${cause.message}` : cause ? `: ${JSON.stringify(cause)}` : '';
    throw new Error(`initBrowserWasmBackend: could not activate 'wasm' (active: '${tf.getBackend()}')${why}`);
  }
  guardWasmMalloc(); // a heap that cannot grow throws "Out of memory" instead of corrupting itself
  const running = wasm.getThreadsCount();
  let why: string | null = null;
  if (!isolated && wanted > 1)
    why = 'the page is not cross-origin isolated (it needs the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers; see the README)';
  else if (running < wanted) why = `the WebAssembly build runs at most ${Math.min(running, MAX_WASM_THREADS)} threads here`;
  return { threads: running, why };
}
