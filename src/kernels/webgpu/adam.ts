/**
 * CycleGANAdam on webgpu: three elementwise programs, since a tfjs program has one output —
 *   m' = β1·m + (1−β1)·g,   v' = β2·v + (1−β2)·g²   (g the float32 sum grad + grad2 + grad3, in that order),
 *   p' = p − (lr/bc1)·m' / (√v'/√bc2 + eps)          (from m' and v', so g is summed twice, not three times).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { ADAM_GRADS, type AdamAttrs } from '../names';
import { checkFloat, f32, FlatProgram, type WebGPUBackendLike } from './program';

const gradNames = (count: number) => Array.from({ length: count }, (_, i) => `g${i}`);

/** m' (square = false) or v' (square = true) from the moment and `count` gradients. */
class MomentProgram extends FlatProgram {
  readonly variableNames: string[];
  readonly shaderKey: string;
  override uniforms = 'decay : f32, rest : f32,';

  constructor(
    shape: number[],
    private readonly count: number,
    private readonly square: boolean,
  ) {
    super(shape);
    this.variableNames = ['moment', ...gradNames(count)];
    this.shaderKey = `cycleganAdamMoment_${count}_${square}`;
  }

  getUserCode(): string {
    const sum = gradNames(this.count).map((g) => `${g}[index]`).join(' + '); // left to right, as the reference
    return `
  fn main(index : i32) {
    if (index < uniforms.size) {
      let g = ${sum};
      setOutputAtIndex(index, uniforms.decay * moment[index] + uniforms.rest * ${this.square ? 'g * g' : 'g'});
    }
  }`;
  }
}

class ParamProgram extends FlatProgram {
  readonly variableNames = ['param', 'm', 'v'];
  readonly shaderKey = 'cycleganAdamParam';
  override uniforms = 'stepSize : f32, sqrtBc2 : f32, eps : f32,';

  getUserCode(): string {
    return `
  fn main(index : i32) {
    if (index < uniforms.size) {
      setOutputAtIndex(index, param[index] - uniforms.stepSize * (m[index] / (sqrt(v[index]) / uniforms.sqrtBc2 + uniforms.eps)));
    }
  }`;
  }
}

type Args = { inputs: Record<string, TensorInfo>; backend: unknown; attrs: unknown };

export function adamWebGPU({ inputs, backend, attrs }: Args): TensorInfo[] {
  const { param, m, v } = inputs;
  const grads = ADAM_GRADS.map((n) => inputs[n]).filter((t) => t !== undefined); // optional ones come last
  checkFloat('CycleGANAdam', [param, m, v, ...grads]);
  const a = attrs as AdamAttrs;
  const b = backend as WebGPUBackendLike;
  const shape = param.shape;
  const m2 = b.runWebGPUProgram(new MomentProgram(shape, grads.length, false), [m, ...grads], 'float32', [f32(a.beta1), f32(1 - a.beta1)]);
  const v2 = b.runWebGPUProgram(new MomentProgram(shape, grads.length, true), [v, ...grads], 'float32', [f32(a.beta2), f32(1 - a.beta2)]);
  const stepSize = a.lr / (1 - a.beta1 ** a.step);
  const p2 = b.runWebGPUProgram(new ParamProgram(shape), [param, m2, v2], 'float32', [f32(stepSize), f32(Math.sqrt(1 - a.beta2 ** a.step)), f32(a.eps)]);
  return [p2, m2, v2];
}
