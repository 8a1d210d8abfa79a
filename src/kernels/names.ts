/**
 * The fused training kernels: their names and attributes, the one contract that the cpu, wasm and webgpu
 * implementations and the gradients share. Each replaces a chain of small tfjs kernels (and the tensors each
 * link saves for the backward pass) with one kernel call; the maths is the reference's, unchanged.
 *
 *   Conv2D          x, filter, bias → conv2d(x, filter, stride, zero pad) + bias: the backend's own FusedConv2D,
 *                   under a name whose gradient saves x and filter only (tf.fused.conv2d's also keeps its output).
 *   InstanceNorm    x [N,H,W,C] (+ residual) → y = act((x − mean) / √(var + eps)) (+ residual), mean and (biased)
 *                   var per sample and channel over H, W — torch.nn.InstanceNorm2d(affine=False), then ReLU /
 *                   LeakyReLU(α) / nothing; with `residual` (the ResNet block's skip, activation 'none') its sum.
 *   InstanceNormGrad dy, x → dx (recomputes the statistics from x: the forward saves x alone).
 *   ReflectPad      x → torch.nn.ReflectionPad2d(p)(x);   ReflectPadGrad dy → its exact adjoint.
 *   Adam            param, m, v, grad (, grad2, grad3) → [param', m', v'], torch.optim.Adam's update (see
 *                   train/adam.ts) of the summed gradients (grad + grad2) + grad3, summed in float32 in that order.
 */
export const CONV2D = 'CycleGANConv2D';
export const INSTANCE_NORM = 'CycleGANInstanceNorm';
export const INSTANCE_NORM_GRAD = 'CycleGANInstanceNormGrad';
export const REFLECT_PAD = 'CycleGANReflectPad';
export const REFLECT_PAD_GRAD = 'CycleGANReflectPadGrad';
export const ADAM = 'CycleGANAdam';


/** What follows the normalisation: ReLU in the generator, LeakyReLU(0.2) in the discriminator, nothing before a residual sum. */
export type NormActivation = 'none' | 'relu' | 'leakyrelu';

export interface InstanceNormAttrs {
  eps: number;
  activation: NormActivation;
  alpha: number; // LeakyReLU's negative slope (unused otherwise)
}

export interface Conv2DAttrs {
  strides: number;
  pad: number | 'valid';
}

export interface ReflectPadAttrs {
  pad: number;
}

/** The Adam kernel's gradient inputs, in the order they are summed. */
export const ADAM_GRADS = ['grad', 'grad2', 'grad3'] as const;

/** One Adam step with PyTorch's bias corrections: bc1 = 1 − β1ᵗ, bc2 = 1 − β2ᵗ for step t. */
export interface AdamAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  step: number;
}

/** Instance-norm sizes of an NHWC tensor: N samples, HW positions, C channels. */
export function normDims(shape: readonly number[]): { N: number; HW: number; C: number } {
  if (shape.length !== 4) throw new RangeError(`instance norm expects [N, H, W, C]; got [${shape.join(', ')}]`);
  return { N: shape[0], HW: shape[1] * shape[2], C: shape[3] };
}

/** The shape ReflectionPad2d(p) gives, after checking that p fits (PyTorch requires p < H and p < W). */
export function paddedShape(shape: readonly number[], p: number): number[] {
  const [n, h, w, c] = shape;
  if (p >= h || p >= w) throw new RangeError(`reflection pad ${p} needs an input larger than ${p}; got ${h}×${w}`);
  return [n, h + 2 * p, w + 2 * p, c];
}
