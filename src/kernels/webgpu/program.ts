/**
 * What the WGSL kernels share: the part of tfjs-backend-webgpu's backend they call, and flat elementwise programs.
 *
 * A program (tfjs-backend-webgpu's WebGPUProgram) is WGSL user code plus what the backend wraps around it: one
 * read_write `result` array (the output), one read-only array per name in `variableNames`, and a `uniforms` struct
 * (input and output shapes and strides, `size` when asked for, then the program's own fields, in order). With a flat
 * dispatch layout the backend calls `fn main(index : i32)` with the invocation's global index (it reshapes a dispatch
 * over 65,535 workgroups into 2-D and keeps that index linear). The backend caches pipelines by shaderKey plus the
 * inputs' ranks and dtypes, so a key names every constant baked into the code.
 *
 * Only types come from the package: importing it registers its backend, which the cpu and wasm paths must not do.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

export type Uniform = { type: 'int32' | 'float32'; data: number[] };

/** The parts of tfjs-backend-webgpu's WebGPUBackend used here. */
export interface WebGPUBackendLike {
  runWebGPUProgram(program: WebGPUProgram, inputs: TensorInfo[], outputDtype: 'float32', uniforms?: Uniform[]): TensorInfo;
  disposeData(dataId: object): boolean;
}

export const i32 = (...data: number[]): Uniform => ({ type: 'int32', data });
export const f32 = (...data: number[]): Uniform => ({ type: 'float32', data });

/** Threads per workgroup of the elementwise programs. */
const FLAT_WORKGROUP = 64;

/** One invocation per output element; the user code guards `index < uniforms.size`. */
export abstract class FlatProgram implements WebGPUProgram {
  readonly workgroupSize: [number, number, number] = [FLAT_WORKGROUP, 1, 1];
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly size = true;
  abstract variableNames: string[];
  abstract shaderKey: string;
  uniforms?: string;

  constructor(readonly outputShape: number[]) {
    const n = outputShape.reduce((a, b) => a * b, 1);
    this.dispatch = [Math.ceil(n / FLAT_WORKGROUP), 1, 1];
  }

  abstract getUserCode(): string;
}

export function checkFloat(name: string, inputs: TensorInfo[]): void {
  for (const t of inputs) if (t.dtype !== 'float32') throw new TypeError(`${name} on webgpu: expected float32 inputs, got ${t.dtype}`);
}
