/**
 * CycleGANInstanceNormGrad on webgpu, as arrays.ts's instanceNormGrad: the statistics of x again (stats.ts), the
 * means of g and g·x̂ (gradSums.ts), then one elementwise program dx = rstd·(g − mean(g) − x̂·mean(g·x̂)).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { normDims, type InstanceNormAttrs } from '../names';
import { gradSums, gradTerms } from './gradSums';
import { checkFloat, f32, FlatProgram, i32, type WebGPUBackendLike } from './program';
import { instanceNormStats } from './stats';

class InstanceNormDxProgram extends FlatProgram {
  readonly variableNames = ['dy', 'x', 'stats', 'sums'];
  readonly shaderKey: string;
  override uniforms = 'hw : i32, channels : i32, slope : f32,';

  constructor(
    shape: number[],
    private readonly activation: boolean,
  ) {
    super(shape);
    this.shaderKey = `cycleganInstanceNormDx_${activation}`;
  }

  getUserCode(): string {
    return `
  ${gradTerms(this.activation)}
  fn main(index : i32) {
    if (index < uniforms.size) {
      let c = index % uniforms.channels;
      let n = index / (uniforms.hw * uniforms.channels);
      let s = (n * uniforms.channels + c) * 2;
      let xh = normalized(index, n, c);
      let g = gated(index, xh);
      setOutputAtIndex(index, stats[s + 1] * (g - sums[s] - xh * sums[s + 1]));
    }
  }`;
  }
}

type Args = { inputs: { dy: TensorInfo; x: TensorInfo }; backend: unknown; attrs: unknown };

export function instanceNormGradWebGPU({ inputs, backend, attrs }: Args): TensorInfo {
  const { dy, x } = inputs;
  checkFloat('CycleGANInstanceNormGrad', [dy, x]);
  const a = attrs as InstanceNormAttrs;
  const { HW, C } = normDims(x.shape);
  const b = backend as WebGPUBackendLike;
  const act = a.activation !== 'none';
  const slope = a.activation === 'relu' ? 0 : a.alpha;
  const stats = instanceNormStats(b, x, a.eps);
  const sums = gradSums(b, dy, x, stats, act, slope);
  const dx = b.runWebGPUProgram(new InstanceNormDxProgram(x.shape, act), [dy, x, stats, sums], 'float32', [i32(HW), i32(C), f32(slope)]);
  b.disposeData(stats.dataId);
  b.disposeData(sums.dataId);
  return dx;
}
