/**
 * The two per-channel means instance norm's backward pass needs, on webgpu: with x̂ = (x − mean)·rstd and
 * g = dy·act'(x̂), sums [N, C, 2] = (mean(g), mean(g·x̂)) over H·W per sample and channel (the tiling of tiling.ts;
 * plain float32 sums, then a small program adds the splits).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { f32, FlatProgram, type WebGPUBackendLike } from './program';
import { REDUCE_WORKGROUP, tileHeader, tiling, TILING_UNIFORMS, tilingUniforms, workgroups, type Tiling } from './tiling';

/**
 * WGSL: x̂ and g at flat element `i` of channel `c` of sample `n` (inputs dy, x, stats); act'(x̂) is 1 above 0 and
 * `uniforms.slope` (0 for ReLU, α for LeakyReLU) otherwise, as the reference's backward. Shared with the dx program.
 */
export const gradTerms = (activation: boolean): string => `
  fn normalized(i : i32, n : i32, c : i32) -> f32 {
    let s = (n * uniforms.channels + c) * 2;
    return (x[i] - stats[s]) * stats[s + 1];
  }
  fn gated(i : i32, xh : f32) -> f32 {
    ${activation ? 'if (xh <= 0.0) { return dy[i] * uniforms.slope; }' : ''}
    return dy[i];
  }`;

/** Per (sample, channel block, split): (Σg, Σg·x̂) of the split [N, S, C, 2], or the means [N, C, 2] when S = 1. */
class GradSumsProgram implements WebGPUProgram {
  readonly variableNames = ['dy', 'x', 'stats'];
  readonly workgroupSize: [number, number, number] = [REDUCE_WORKGROUP, 1, 1];
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly outputShape: number[];
  readonly uniforms = `${TILING_UNIFORMS} slope : f32,`;
  readonly shaderKey: string;

  constructor(
    private readonly t: Tiling,
    private readonly activation: boolean,
  ) {
    this.outputShape = t.S === 1 ? [t.N, t.C, 2] : [t.N, t.S, t.C, 2];
    this.dispatch = [workgroups(t), 1, 1];
    this.shaderKey = `cycleganGradSums_${t.CB}_${t.S === 1}_${activation}`;
  }

  getUserCode(): string {
    const { CB, R, S } = this.t;
    const o = S === 1 ? '(n * uniforms.channels + c) * 2' : '((n * uniforms.splits + split) * uniforms.channels + c) * 2';
    const scale = S === 1 ? ' / f32(uniforms.hw)' : '';
    return `
  var<workgroup> acc : array<vec2<f32>, ${REDUCE_WORKGROUP}>;
  ${gradTerms(this.activation)}
  fn main(index : i32) {
    ${tileHeader(this.t)}
    var s = vec2<f32>(0.0);
    for (var k = 0; k < uniforms.iters; k++) {
      let p = p0 + k * ${R} + ly;
      if (live && p < p1) {
        let i = (n * uniforms.hw + p) * uniforms.channels + c;
        let xh = normalized(i, n, c);
        let g = gated(i, xh);
        s += vec2<f32>(g, g * xh);
      }
    }
    acc[t] = s;
    workgroupBarrier();
    for (var rows = ${R / 2}; rows > 0; rows /= 2) {
      if (ly < rows) { acc[t] += acc[t + rows * ${CB}]; }
      workgroupBarrier();
    }
    if (ly == 0 && live) {
      let o = ${o};
      result[o] = acc[t].x${scale};
      result[o + 1] = acc[t].y${scale};
    }
  }`;
  }
}

/** Partial sums [N, S, C, 2] → means [N, C, 2]: one invocation per (sample, channel). */
class CombineSumsProgram extends FlatProgram {
  readonly variableNames = ['part'];
  readonly shaderKey = 'cycleganCombineSums';
  override uniforms = `${TILING_UNIFORMS} slope : f32,`;

  constructor(t: Tiling) {
    super([t.N, t.C, 2]);
  }

  getUserCode(): string {
    return `
  fn main(index : i32) {
    if (index < uniforms.batch * uniforms.channels) {
      let n = index / uniforms.channels;
      let c = index % uniforms.channels;
      var s = vec2<f32>(0.0);
      for (var k = 0; k < uniforms.splits; k++) {
        let o = ((n * uniforms.splits + k) * uniforms.channels + c) * 2;
        s += vec2<f32>(part[o], part[o + 1]);
      }
      result[index * 2] = s.x / f32(uniforms.hw);
      result[index * 2 + 1] = s.y / f32(uniforms.hw);
    }
  }`;
  }
}

/** sums [N, C, 2] = (mean(g), mean(g·x̂)) from dy, x and their stats (stats.ts); the caller disposes it. */
export function gradSums(backend: WebGPUBackendLike, dy: TensorInfo, x: TensorInfo, stats: TensorInfo, activation: boolean, slope: number): TensorInfo {
  const [N, H, W, C] = x.shape;
  const t = tiling(N, H * W, C);
  const uniforms = [...tilingUniforms(t), f32(slope)];
  const part = backend.runWebGPUProgram(new GradSumsProgram(t, activation), [dy, x, stats], 'float32', uniforms);
  if (t.S === 1) return part;
  const sums = backend.runWebGPUProgram(new CombineSumsProgram(t), [part], 'float32', uniforms);
  backend.disposeData(part.dataId);
  return sums;
}
