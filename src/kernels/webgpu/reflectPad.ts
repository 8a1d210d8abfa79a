/**
 * CycleGANReflectPad and CycleGANReflectPadGrad on webgpu, one elementwise program each. The pad copies each
 * output cell from the input cell it reflects; the adjoint gathers, for each input cell, the up to 3 × 3 padded
 * cells that copied it (itself, its mirror image before the start and after the end of each axis): no atomics.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { paddedShape, type ReflectPadAttrs } from '../names';
import { checkFloat, FlatProgram, i32, type WebGPUBackendLike } from './program';

class ReflectPadProgram extends FlatProgram {
  readonly variableNames = ['x'];
  readonly shaderKey = 'cycleganReflectPad';
  override uniforms = 'pad : i32,';

  getUserCode(): string {
    return `
  // the input index that padded index j copies along an axis of length len (the edge is not repeated)
  fn mirrored(j : i32, len : i32) -> i32 {
    let i = j - uniforms.pad;
    if (i < 0) { return -i; }
    if (i >= len) { return 2 * (len - 1) - i; }
    return i;
  }
  fn main(index : i32) {
    if (index < uniforms.size) {
      let o = getCoordsFromIndex(index); // (n, row, col, c) of the padded output
      setOutputAtIndex(index, getX(o.x, mirrored(o.y, uniforms.xShape.y), mirrored(o.z, uniforms.xShape.z), o.w));
    }
  }`;
  }
}

class ReflectPadGradProgram extends FlatProgram {
  readonly variableNames = ['dy'];
  readonly shaderKey = 'cycleganReflectPadGrad';
  override uniforms = 'pad : i32,';

  getUserCode(): string {
    return `
  // The padded indices along an axis of length len that copy input index i: i + pad always, pad − i (the
  // reflection before the start) for 1 ≤ i ≤ pad, pad + 2(len − 1) − i (after the end) for len − 1 − pad ≤ i ≤ len − 2.
  // -1 marks none.
  fn sources(i : i32, len : i32) -> vec3<i32> {
    let p = uniforms.pad;
    let before = select(-1, p - i, i >= 1 && i <= p);
    let after = select(-1, p + 2 * (len - 1) - i, i >= len - 1 - p && i <= len - 2);
    return vec3<i32>(i + p, before, after);
  }
  fn main(index : i32) {
    if (index < uniforms.size) {
      let o = getCoordsFromIndex(index); // (n, row, col, c) of the input
      let rows = sources(o.y, uniforms.outShape.y);
      let cols = sources(o.z, uniforms.outShape.z);
      var sum = 0.0;
      for (var a = 0; a < 3; a++) {
        for (var b = 0; b < 3; b++) {
          if (rows[a] >= 0 && cols[b] >= 0) { sum += getDy(o.x, rows[a], cols[b], o.w); }
        }
      }
      setOutputAtIndex(index, sum);
    }
  }`;
  }
}

type Args = { inputs: Record<string, TensorInfo>; backend: unknown; attrs: unknown };

export function reflectPadWebGPU({ inputs, backend, attrs }: Args): TensorInfo {
  const { x } = inputs;
  checkFloat('CycleGANReflectPad', [x]);
  const { pad } = attrs as ReflectPadAttrs;
  return (backend as WebGPUBackendLike).runWebGPUProgram(new ReflectPadProgram(paddedShape(x.shape, pad)), [x], 'float32', [i32(pad)]);
}

export function reflectPadGradWebGPU({ inputs, backend, attrs }: Args): TensorInfo {
  const { dy } = inputs;
  checkFloat('CycleGANReflectPadGrad', [dy]);
  const { pad } = attrs as ReflectPadAttrs;
  const [N, PH, PW, C] = dy.shape;
  return (backend as WebGPUBackendLike).runWebGPUProgram(new ReflectPadGradProgram([N, PH - 2 * pad, PW - 2 * pad, C]), [dy], 'float32', [i32(pad)]);
}
