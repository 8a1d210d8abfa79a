/**
 * Instance-norm statistics on webgpu: x [N, H, W, C] → stats [N, C, 2] = (mean, 1/√(var + eps)) per sample and
 * channel, var biased. Each invocation runs Welford's update over its positions; the workgroup's rows, then the
 * splits (tiling.ts), are combined with Chan's formula — no E[x²] − E[x]² cancellation.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { f32, FlatProgram, type WebGPUBackendLike } from './program';
import { REDUCE_WORKGROUP, SPLIT_COUNT_FN, tileHeader, tiling, TILING_UNIFORMS, tilingUniforms, workgroups, type Tiling } from './tiling';

/** WGSL: (count, mean, M2) of a into (count, mean, M2) of a ∪ b (Chan et al.); an empty b changes nothing. */
const MERGE_FN = `
  fn merge(a : vec3<f32>, b : vec3<f32>) -> vec3<f32> {
    if (b.x == 0.0) { return a; }
    let count = a.x + b.x;
    let d = b.y - a.y;
    return vec3<f32>(count, a.y + d * (b.x / count), a.z + b.z + d * d * (a.x * b.x / count));
  }`;

/** Per (sample, channel block, split): (mean, M2) of the split [N, S, C, 2], or (mean, rstd) [N, C, 2] when S = 1. */
class MomentsProgram implements WebGPUProgram {
  readonly variableNames = ['x'];
  readonly workgroupSize: [number, number, number] = [REDUCE_WORKGROUP, 1, 1];
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly outputShape: number[];
  readonly uniforms = `${TILING_UNIFORMS} eps : f32,`;
  readonly shaderKey: string;

  constructor(private readonly t: Tiling) {
    this.outputShape = t.S === 1 ? [t.N, t.C, 2] : [t.N, t.S, t.C, 2];
    this.dispatch = [workgroups(t), 1, 1];
    this.shaderKey = `cycleganMoments_${t.CB}_${t.S === 1}`;
  }

  getUserCode(): string {
    const { CB, R, S } = this.t;
    const write =
      S === 1
        ? `let o = (n * uniforms.channels + c) * 2;
           result[o] = acc[t].y;
           result[o + 1] = 1.0 / sqrt(acc[t].z / f32(uniforms.hw) + uniforms.eps);`
        : `let o = ((n * uniforms.splits + split) * uniforms.channels + c) * 2;
           result[o] = acc[t].y;
           result[o + 1] = acc[t].z;`;
    return `
  var<workgroup> acc : array<vec3<f32>, ${REDUCE_WORKGROUP}>;
  ${MERGE_FN}
  fn main(index : i32) {
    ${tileHeader(this.t)}
    var m = vec3<f32>(0.0);
    for (var k = 0; k < uniforms.iters; k++) {
      let p = p0 + k * ${R} + ly;
      if (live && p < p1) {
        let v = x[(n * uniforms.hw + p) * uniforms.channels + c];
        m.x += 1.0;
        let d = v - m.y;
        m.y += d / m.x;
        m.z += d * (v - m.y);
      }
    }
    acc[t] = m;
    workgroupBarrier();
    for (var rows = ${R / 2}; rows > 0; rows /= 2) {
      if (ly < rows) { acc[t] = merge(acc[t], acc[t + rows * ${CB}]); }
      workgroupBarrier();
    }
    if (ly == 0 && live) {
      ${write}
    }
  }`;
  }
}

/** Partial moments [N, S, C, 2] → (mean, rstd) [N, C, 2]: one invocation per (sample, channel). */
class CombineMomentsProgram extends FlatProgram {
  readonly variableNames = ['part'];
  readonly shaderKey = 'cycleganCombineMoments';
  override uniforms = `${TILING_UNIFORMS} eps : f32,`;

  constructor(t: Tiling) {
    super([t.N, t.C, 2]);
  }

  getUserCode(): string {
    return `
  ${MERGE_FN}
  ${SPLIT_COUNT_FN}
  fn main(index : i32) {
    if (index < uniforms.batch * uniforms.channels) {
      let n = index / uniforms.channels;
      let c = index % uniforms.channels;
      var m = vec3<f32>(0.0);
      for (var s = 0; s < uniforms.splits; s++) {
        let o = ((n * uniforms.splits + s) * uniforms.channels + c) * 2;
        m = merge(m, vec3<f32>(splitCount(s), part[o], part[o + 1]));
      }
      result[index * 2] = m.y;
      result[index * 2 + 1] = 1.0 / sqrt(m.z / f32(uniforms.hw) + uniforms.eps);
    }
  }`;
  }
}

/** stats [N, C, 2] = (mean, rstd) of x; the caller disposes it. */
export function instanceNormStats(backend: WebGPUBackendLike, x: TensorInfo, eps: number): TensorInfo {
  const [N, H, W, C] = x.shape;
  const t = tiling(N, H * W, C);
  const uniforms = [...tilingUniforms(t), f32(eps)];
  const moments = backend.runWebGPUProgram(new MomentsProgram(t), [x], 'float32', uniforms);
  if (t.S === 1) return moments;
  const stats = backend.runWebGPUProgram(new CombineMomentsProgram(t), [moments], 'float32', uniforms);
  backend.disposeData(moments.dataId);
  return stats;
}
