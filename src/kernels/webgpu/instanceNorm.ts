/**
 * CycleGANInstanceNorm on webgpu: the statistics (stats.ts), then one elementwise program
 * y = act((x − mean)·rstd), or y = residual + (x − mean)·rstd when the residual is given.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { normDims, type InstanceNormAttrs } from '../names';
import { checkFloat, f32, FlatProgram, i32, type WebGPUBackendLike } from './program';
import { instanceNormStats } from './stats';

class NormalizeProgram extends FlatProgram {
  readonly variableNames: string[];
  readonly shaderKey: string;
  override uniforms = 'hw : i32, channels : i32, slope : f32,';

  constructor(
    shape: number[],
    private readonly activation: boolean,
    private readonly residual: boolean,
  ) {
    super(shape);
    this.variableNames = residual ? ['x', 'stats', 'residual'] : ['x', 'stats'];
    this.shaderKey = `cycleganNormalize_${activation}_${residual}`;
  }

  getUserCode(): string {
    const y = this.residual ? 'residual[index] + xh' : this.activation ? 'select(xh, xh * uniforms.slope, xh < 0.0)' : 'xh';
    return `
  fn main(index : i32) {
    if (index < uniforms.size) {
      let c = index % uniforms.channels;
      let n = index / (uniforms.hw * uniforms.channels);
      let s = (n * uniforms.channels + c) * 2;
      let xh = (x[index] - stats[s]) * stats[s + 1];
      setOutputAtIndex(index, ${y});
    }
  }`;
  }
}

type Args = { inputs: { x: TensorInfo; residual?: TensorInfo }; backend: unknown; attrs: unknown };

export function instanceNormWebGPU({ inputs, backend, attrs }: Args): TensorInfo {
  const { x, residual } = inputs;
  checkFloat('CycleGANInstanceNorm', residual ? [x, residual] : [x]);
  const a = attrs as InstanceNormAttrs;
  const { HW, C } = normDims(x.shape);
  const b = backend as WebGPUBackendLike;
  const stats = instanceNormStats(b, x, a.eps);
  const act = !residual && a.activation !== 'none'; // the residual sum has no activation (names.ts)
  const slope = a.activation === 'relu' ? 0 : a.alpha;
  const program = new NormalizeProgram(x.shape, act, Boolean(residual));
  const y = b.runWebGPUProgram(program, residual ? [x, stats, residual] : [x, stats], 'float32', [i32(HW), i32(C), f32(slope)]);
  b.disposeData(stats.dataId);
  return y;
}
