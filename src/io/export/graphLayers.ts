/**
 * The layers of src/model/layers.ts as GraphDef nodes, op for op, so the exported graph computes what the
 * studio computes (same tfjs kernels in the same order: bit-identical on the cpu backend):
 *   reflectionPad → MirrorPad(REFLECT) · conv2d → Conv2D(VALID | EXPLICIT) + BiasAdd
 *   convTranspose2d → Conv2DBackpropInput(output shape [N, 2H, 2W, out] computed from the input's Shape) + BiasAdd
 *   instanceNorm → tf.moments' ops: Mean, Sub, Square, Mean, AddV2 eps, Rsqrt, Mul.
 * Weights are named by the reference's state_dict keys (`model.1.weight`), in tfjs layout (the TF layouts too:
 * Conv2D filters [kH, kW, in, out], Conv2DBackpropInput filters [kH, kW, out, in]).
 */
import { attr, type GraphBuilder } from './graphDef';

/** A network's weights by state_dict key, in tfjs layout; it throws on a missing key or a wrong size. */
export type WeightLookup = (key: string, shape: number[]) => Float32Array;

const NHWC = attr.str('NHWC');
const ONES = attr.ints([1, 1, 1, 1]);

export class LayerGraph {
  constructor(private readonly g: GraphBuilder, private readonly weight: WeightLookup) {}

  private int32(name: string, shape: number[], values: number[]): string {
    return this.g.sharedConstant(name, shape, Int32Array.from(values));
  }

  /** ReflectionPad2d(p) on H and W. */
  reflectionPad(name: string, x: string, p: number): string {
    const paddings = this.int32(`const/reflect_pad_${p}`, [4, 2], [0, 0, p, p, p, p, 0, 0]);
    return this.g.op(name, 'MirrorPad', [x, paddings], { mode: attr.str('REFLECT'), Tpaddings: attr.dtype('int32') });
  }

  /** Conv2d(k, stride, zero padding `pad`) + bias; w [k, k, in, out]. */
  conv2d(key: string, x: string, shape: number[], stride: number, pad: number): string {
    const w = this.g.constant(`${key}.weight`, shape, this.weight(`${key}.weight`, shape));
    const b = this.g.constant(`${key}.bias`, [shape[3]], this.weight(`${key}.bias`, [shape[3]]));
    const y = this.g.op(`${key}/Conv2D`, 'Conv2D', [x, w], {
      strides: attr.ints([1, stride, stride, 1]),
      padding: attr.str(pad === 0 ? 'VALID' : 'EXPLICIT'),
      explicit_paddings: attr.ints(pad === 0 ? [] : [0, 0, pad, pad, pad, pad, 0, 0]),
      data_format: NHWC,
      dilations: ONES,
      use_cudnn_on_gpu: attr.bool(true),
    });
    return this.g.op(`${key}/BiasAdd`, 'BiasAdd', [y, b], { data_format: NHWC });
  }

  /**
   * ConvTranspose2d(k 3, stride 2, padding 1, output_padding 1) + bias; w [3, 3, out, in]. As layers.ts:
   * conv2dTranspose to [N, 2H, 2W, out] with padding 1 on each side (PyTorch's output_padding only fixes the
   * output size, which the explicit output shape does). The shape is Shape(x) · [1, 2, 2, 0] + [0, 0, 0, out],
   * so any input size works.
   */
  convTranspose2d(key: string, x: string, shape: number[]): string {
    const out = shape[2];
    const w = this.g.constant(`${key}.weight`, shape, this.weight(`${key}.weight`, shape));
    const b = this.g.constant(`${key}.bias`, [out], this.weight(`${key}.bias`, [out]));
    const inShape = this.g.op(`${key}/input_shape`, 'Shape', [x], { out_type: attr.dtype('int32') });
    const doubled = this.g.op(`${key}/double_hw`, 'Mul', [inShape, this.int32('const/double_hw', [4], [1, 2, 2, 0])], {}, 'int32');
    const outShape = this.g.op(`${key}/output_shape`, 'AddV2', [doubled, this.int32(`const/channels_${out}`, [4], [0, 0, 0, out])], {}, 'int32');
    const y = this.g.op(`${key}/Conv2DBackpropInput`, 'Conv2DBackpropInput', [outShape, w, x], {
      strides: attr.ints([1, 2, 2, 1]),
      padding: attr.str('EXPLICIT'),
      explicit_paddings: attr.ints([0, 0, 1, 1, 1, 1, 0, 0]),
      data_format: NHWC,
      dilations: ONES,
      use_cudnn_on_gpu: attr.bool(true),
    });
    return this.g.op(`${key}/BiasAdd`, 'BiasAdd', [y, b], { data_format: NHWC });
  }

  /** InstanceNorm2d(affine=False): (x − mean) · rsqrt(biased var + eps), over H and W per sample and channel. */
  instanceNorm(scope: string, x: string, eps = 1e-5): string {
    const axes = this.int32('const/axes_hw', [2], [1, 2]);
    const epsilon = this.g.sharedConstant('const/instance_norm_eps', [], Float32Array.of(eps));
    const mean = (name: string, t: string) => this.g.op(name, 'Mean', [t, axes], { keep_dims: attr.bool(true), Tidx: attr.dtype('int32') });
    const mu = mean(`${scope}/mean`, x);
    const centred = this.g.op(`${scope}/centred`, 'Sub', [x, mu]);
    const variance = mean(`${scope}/variance`, this.g.op(`${scope}/squared`, 'Square', [centred]));
    const inv = this.g.op(`${scope}/rsqrt`, 'Rsqrt', [this.g.op(`${scope}/add_eps`, 'AddV2', [variance, epsilon])]);
    return this.g.op(`${scope}/normalized`, 'Mul', [centred, inv]);
  }

  relu(name: string, x: string): string {
    return this.g.op(name, 'Relu', [x]);
  }

  leakyRelu(name: string, x: string, alpha: number): string {
    return this.g.op(name, 'LeakyRelu', [x], { alpha: attr.float(alpha) });
  }

  tanh(name: string, x: string): string {
    return this.g.op(name, 'Tanh', [x]);
  }

  add(name: string, a: string, b: string): string {
    return this.g.op(name, 'AddV2', [a, b]);
  }
}
