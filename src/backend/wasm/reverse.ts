import type { TensorInfo, NamedAttrMap } from '@tensorflow/tfjs';
import { stock, type RawKernelFunc, type WasmBackendLike } from './raw';

/**
 * Reverse for the wasm backend (not missing, but the stock C++ kernel costs ~13 ns per element; the exact
 * reflection-pad gradient reverses dy's border strips, so it runs a few hundred times per CycleGAN step):
 * JS block copies on the wasm heap.
 */
export function reverseKernel(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: NamedAttrMap }): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x } = args.inputs;
  const { dims } = args.attrs as unknown as { dims: number | number[] };
  const shape = x.shape;
  const rank = shape.length;
  if (x.dtype === 'string' || rank === 0) return stock.reverse!(args as Parameters<RawKernelFunc>[0]);
  const axes = new Set((Array.isArray(dims) ? dims : [dims]).map((a) => (a < 0 ? a + rank : a)).filter((a) => shape[a] > 1));
  const out = backend.makeOutput(shape.slice(), x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  if (axes.size === 0) {
    dst.set(src);
    return out;
  }
  const last = Math.max(...axes);
  let inner = 1;
  for (let d = last + 1; d < rank; d++) inner *= shape[d];
  let blocks = 1;
  for (let d = 0; d <= last; d++) blocks *= shape[d];
  // strides (in blocks) of dims 0..last
  const bStride = new Array<number>(last + 1);
  for (let d = last, st = 1; d >= 0; d--) {
    bStride[d] = st;
    st *= shape[d];
  }
  for (let b = 0; b < blocks; b++) {
    let rem = b;
    let from = 0;
    for (let d = 0; d <= last; d++) {
      const c = Math.floor(rem / bStride[d]);
      rem -= c * bStride[d];
      from += (axes.has(d) ? shape[d] - 1 - c : c) * bStride[d];
    }
    const s0 = from * inner;
    const d0 = b * inner;
    if (inner >= 16) {
      dst.set(src.subarray(s0, s0 + inner), d0);
    } else {
      for (let i = 0; i < inner; i++) dst[d0 + i] = src[s0 + i];
    }
  }
  return out;
}

