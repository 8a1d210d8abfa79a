/**
 * Runs the array kernels of arrays.ts on the cpu and wasm backends: hands each kernel its inputs' and outputs'
 * Float32Arrays. On wasm these are views of the heap, taken after every output is allocated (an allocation can
 * grow the heap, which detaches older views).
 */
import type { TensorInfo } from '@tensorflow/tfjs';

export type ArrayKernel = (inputs: Float32Array[], outputs: Float32Array[]) => void;

/** The parts of tfjs-backend-cpu's MathBackendCPU used here. */
interface CpuBackendLike {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** The parts of tfjs-backend-wasm's BackendWasm used here. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function checkFloat(inputs: TensorInfo[]): void {
  for (const t of inputs) if (t.dtype !== 'float32') throw new TypeError(`fused kernel: expected float32 inputs, got ${t.dtype}`);
}

export function runOnCpu(backend: unknown, inputs: TensorInfo[], outShapes: number[][], kernel: ArrayKernel): TensorInfo[] {
  checkFloat(inputs);
  const b = backend as CpuBackendLike;
  const ins = inputs.map((t) => b.data.get(t.dataId).values as Float32Array);
  const outs = outShapes.map((s) => new Float32Array(size(s)));
  kernel(ins, outs);
  return outs.map((o, i) => b.makeTensorInfo(outShapes[i], 'float32', o));
}

export function runOnWasm(backend: unknown, inputs: TensorInfo[], outShapes: number[][], kernel: ArrayKernel): TensorInfo[] {
  checkFloat(inputs);
  const b = backend as WasmBackendLike;
  const infos = outShapes.map((s) => b.makeOutput(s, 'float32'));
  const view = (t: TensorInfo) => b.typedArrayFromHeap(t) as Float32Array;
  kernel(inputs.map(view), infos.map(view));
  return infos;
}
