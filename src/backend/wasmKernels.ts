/**
 * Training kernels for the TensorFlow.js WASM backend (tfjs-backend-wasm 4.22).
 *
 * The stock wasm backend can run a CNN forward but cannot train one:
 *  - it has no `Conv2DBackpropFilter` kernel at all (the weight gradient of every conv), and
 *  - its `Conv2DBackpropInput` (the input gradient of every conv *and* the forward op of
 *    tf.conv2dTranspose) is a scalar C loop, 5–25× slower than XNNPACK on CycleGAN's shapes.
 *
 * Both are built here from the backend's own XNNPACK kernels (Conv2D, BatchMatMul = XNNPACK
 * fully-connected) and Transpose, plus data movement done in JS directly on the wasm heap.
 * Each has several algorithms; 'auto' picks per shape from measurements (src/bench/kernelBench.ts):
 *
 *  Conv2DBackpropFilter
 *   'im2col' (most layers): a "wide" im2col of x written in JS (one memcpy per tap and channel, see
 *      backpropFilterIm2col) times dy as one GEMM → [KH·KW·Ci, Co], already tfjs's filter layout.
 *   'conv' (Co < 8 or KH·KW·Ci < 64): one XNNPACK convolution with the channels as the batch:
 *      x' = x transposed to [Ci, H, W, N], dy' = dy as [OH, OW, N, Co] used as the *filter*,
 *      stride 1, dilation = the forward stride, the forward pads; out [Ci, KH', KW', Co] sliced
 *      and transposed in JS to [KH, KW, Ci, Co].
 *
 *  Conv2DBackpropInput
 *   'dilate' (stride 1): dx = XNNPACK conv of dy padded by K-1-pad with the spatially flipped,
 *      in/out-swapped filter (stride > 1 would need zeros inserted into dy: kept for reference).
 *   'phase' (stride > 1): sub-pixel decomposition, one stride-1 convolution per output phase with
 *      the taps of that phase, interleaved into dx in JS — multiplies no inserted zeros.
 *   'gemm' (big filters on small maps, or Ci < 8): cols = w[K, Co] · dy^T (the filter is the GEMM
 *      input as it lies in memory, no transform or weight packing), then col2im in JS.
 *
 *  Reverse: a JS block-copy version of the stock (≈13 ns/element) kernel; the exact reflection-pad
 *   gradient reverses border strips of dy a few hundred times per CycleGAN step.
 *
 * Nothing is cached across calls: the tfjs engine clones every tensor it saves for the backward
 * pass, so the filter reaching a gradient kernel is new data on every call anyway.
 *
 * The module imports only '@tensorflow/tfjs' (no Node built-ins), so the same code runs in
 * Node, in a browser page and in a Web Worker. The wasm backend module must have been imported
 * (so its kernels are registered) before `registerWasmTrainingKernels()` is called.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { conv2DBackpropFilter } from './wasm/backpropFilter';
import { conv2DBackpropInput } from './wasm/backpropInput';
import { bindStockKernels } from './wasm/raw';
import { reverseKernel } from './wasm/reverse';

export { setWasmKernelMethods, type BackpropFilterMethod, type BackpropInputMethod, type WasmKernelOptions } from './wasm/raw';

// ---------------------------------------------------------------------------------------------
// Registration

let registered = false;
/** Marks our kernel functions, so that a second copy of this module (another bundle) does not re-register. */
const MARK = Symbol.for('cyclegan-studio/wasmTrainingKernels');

function marked<F extends object>(f: F): F {
  (f as Record<symbol, boolean>)[MARK] = true;
  return f;
}

/**
 * Registers (idempotently) `Conv2DBackpropFilter`, a fast `Conv2DBackpropInput` and a fast
 * `Reverse` for the 'wasm' backend. Call after importing '@tensorflow/tfjs-backend-wasm'; it may
 * be called before or after tf.setBackend('wasm').
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  const existing = tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc as unknown as Record<symbol, boolean> | undefined;
  if (existing?.[MARK]) {
    registered = true; // registered by another copy of this module
    return;
  }
  bindStockKernels();
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');

  const filterCfg: KernelConfig = {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: marked(conv2DBackpropFilter) as unknown as KernelFunc,
  };
  const inputCfg: KernelConfig = {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: marked(conv2DBackpropInput) as unknown as KernelFunc,
    // keep the stock kernel's wasm setup (cwrap) in case the backend initialises after this
    setupFunc: original?.setupFunc,
  };
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel(filterCfg);
  if (original) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel(inputCfg);
  const reverse = tf.getKernel('Reverse', 'wasm');
  if (reverse) {
    tf.unregisterKernel('Reverse', 'wasm');
    tf.registerKernel({ kernelName: 'Reverse', backendName: 'wasm', kernelFunc: marked(reverseKernel) as unknown as KernelFunc, setupFunc: reverse.setupFunc });
  }
  registered = true;
}

