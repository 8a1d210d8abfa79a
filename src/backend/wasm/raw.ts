/**
 * What the wasm training kernels share: the backend's interface they use, its own kernels they are built from
 * (XNNPACK Conv2D, BatchMatMul, Transpose), small helpers, and the algorithm options (wasmKernels.ts says why).
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo, NamedAttrMap } from '@tensorflow/tfjs';

export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** The part of tfjs-backend-wasm's BackendWasm these kernels use. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): TypedArray;
  disposeData(dataId: object, force?: boolean): boolean;
}

export type Pair = [number, number];
export type ExplicitPadding = [Pair, Pair, Pair, Pair];
export type PadArg = 'same' | 'valid' | number | ExplicitPadding;

export type BackpropFilterMethod = 'conv' | 'im2col' | 'auto';
export type BackpropInputMethod = 'dilate' | 'phase' | 'gemm' | 'auto' | 'stock';

export interface WasmKernelOptions {
  /** Conv2DBackpropFilter algorithm; 'auto' (default) picks per shape (chooseFilterMethod). */
  filter: BackpropFilterMethod;
  /**
   * Conv2DBackpropInput algorithm; 'auto' (default) picks per shape (chooseInputMethod).
   * 'stock' runs tfjs-backend-wasm's own scalar kernel (for comparisons).
   */
  input: BackpropInputMethod;
}

export const options: WasmKernelOptions = { filter: 'auto', input: 'auto' };

/** Selects the algorithms (for benchmarks and tests). */
export function setWasmKernelMethods(m: Partial<WasmKernelOptions>): void {
  Object.assign(options, m);
}

// ---------------------------------------------------------------------------------------------
// Access to the wasm backend's own kernels.

export type RawKernelFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: NamedAttrMap }) => TensorInfo;

function wasmKernel(name: string): RawKernelFunc {
  const k = tf.getKernel(name, 'wasm');
  if (!k) {
    throw new Error(
      `registerWasmTrainingKernels: the wasm kernel '${name}' is not registered; import '@tensorflow/tfjs-backend-wasm' first.`,
    );
  }
  return k.kernelFunc as unknown as RawKernelFunc;
}

/** The backend's own kernels these are built from (bound by bindStockKernels at registration). */
export const stock = {} as {
  conv2d: RawKernelFunc;
  transpose: RawKernelFunc;
  batchMatMul: RawKernelFunc;
  backpropInput?: RawKernelFunc; // tfjs-backend-wasm's scalar kernel, for comparisons ('stock')
  reverse?: RawKernelFunc;
};

export function bindStockKernels(): void {
  stock.conv2d = wasmKernel('Conv2D');
  stock.transpose = wasmKernel('Transpose');
  stock.batchMatMul = wasmKernel('BatchMatMul');
  stock.backpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc as unknown as RawKernelFunc | undefined;
  stock.reverse = tf.getKernel('Reverse', 'wasm')?.kernelFunc as unknown as RawKernelFunc | undefined;
}

export function conv2dRaw(
  backend: WasmBackendLike,
  x: TensorInfo,
  filter: TensorInfo,
  pads: [number, number, number, number], // top, bottom, left, right (all ≥ 0)
  dilations: [number, number] = [1, 1],
): TensorInfo {
  return stock.conv2d({
    inputs: { x, filter },
    backend,
    attrs: {
      strides: [1, 1],
      pad: [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]],
      dataFormat: 'NHWC',
      dilations,
      dimRoundingMode: undefined,
    } as unknown as NamedAttrMap,
  });
}

export function transposeRaw(backend: WasmBackendLike, x: TensorInfo, perm: number[]): TensorInfo {
  return stock.transpose({ inputs: { x }, backend, attrs: { perm } as unknown as NamedAttrMap });
}

/** A different-shape view of the same data, for read-only use as a kernel input (never disposed). */
export function view(x: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

export function f32(backend: WasmBackendLike, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

export function pair(v: number | number[]): Pair {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

function checkChannelsLast(kernel: string, dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`wasm ${kernel}: only dataFormat 'NHWC' is supported, got '${String(dataFormat)}'.`);
  }
}

/** A convolution's sizes as its gradient kernels use them: x [N, H, W, Ci], dy [N, OH, OW, Co], filter [KH, KW, Ci, Co]. */
export interface ConvDims {
  N: number;
  H: number;
  W: number;
  Ci: number;
  OH: number;
  OW: number;
  Co: number;
  KH: number;
  KW: number;
  sH: number;
  sW: number;
  pT: number; // top and left padding of the forward convolution
  pL: number;
}

/** The attributes a conv gradient kernel receives (tfjs's Conv2DBackpropFilter / Conv2DBackpropInput). */
export interface ConvGradAttrs {
  strides: number | [number, number];
  pad: PadArg;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The forward convolution's sizes from a gradient kernel's shapes and attributes (channels-last only). */
export function convDims(kernel: string, xShape: number[], filterShape: number[], dyShape: number[], attrs: ConvGradAttrs): ConvDims {
  checkChannelsLast(kernel, attrs.dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const [N, H, W, Ci] = xShape;
  const [, OH, OW, Co] = dyShape;
  const [KH, KW] = filterShape;
  const [sH, sW] = pair(attrs.strides);
  return { N, H, W, Ci, OH, OW, Co, KH, KW, sH, sW, pT: info.padInfo.top, pL: info.padInfo.left };
}
