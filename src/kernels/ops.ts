/**
 * The ops the networks and the optimizer call: one fused kernel where the active backend has it (cpu, wasm,
 * webgpu), else the composite tfjs ops (webgl) — the same maths either way. `setFusedKernels(false)` forces the
 * composite path (tests compare the two).
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM, ADAM_GRADS, CONV2D, INSTANCE_NORM, REFLECT_PAD, paddedShape, type AdamAttrs, type NormActivation } from './names';
import { registerFusedKernels } from './register';

let enabled = true;

/** Turns the fused kernels off (or on again) for this realm. */
export function setFusedKernels(on: boolean): void {
  enabled = on;
}

/** Whether the active backend runs `kernel` fused. */
export function fused(kernel: string): boolean {
  registerFusedKernels(); // once; later calls only check the wasm Identity
  return enabled && tf.getKernel(kernel, tf.getBackend()) !== undefined;
}

/** Conv2d(k, stride, zero padding `pad`) + bias. w: [k, k, in, out]. */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, stride: number, pad: number): tf.Tensor4D {
  const p = pad === 0 ? 'valid' : pad;
  if (fused(CONV2D)) return tf.engine().runKernel(CONV2D, { x, filter: w, bias: b }, { strides: stride, pad: p }) as tf.Tensor4D;
  return tf.fused.conv2d({ x, filter: w, strides: stride, pad: p, bias: b });
}

/** skip + InstanceNorm2d(x): the end of a ResNet block, one kernel where fused. */
export function residualInstanceNorm(skip: tf.Tensor4D, x: tf.Tensor4D, eps = 1e-5): tf.Tensor4D {
  if (fused(INSTANCE_NORM)) return tf.engine().runKernel(INSTANCE_NORM, { x, residual: skip }, { eps, activation: 'none', alpha: 0 }) as tf.Tensor4D;
  return tf.add(skip, instanceNorm(x, 'none', 0, eps));
}

/** InstanceNorm2d(affine=False, eps) followed by an activation: ReLU, LeakyReLU(alpha), or none. */
export function instanceNorm(x: tf.Tensor4D, activation: NormActivation = 'none', alpha = 0.2, eps = 1e-5): tf.Tensor4D {
  if (fused(INSTANCE_NORM)) return tf.engine().runKernel(INSTANCE_NORM, { x }, { eps, activation, alpha }) as tf.Tensor4D;
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [1, 2], true); // [N, 1, 1, C], biased variance
    const y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))) as tf.Tensor4D;
    return activation === 'relu' ? tf.relu(y) : activation === 'leakyrelu' ? tf.leakyRelu(y, alpha) : y;
  });
}

/**
 * ReflectionPad2d(p). The composite path is tf.mirrorPad with its true adjoint as the gradient (tf.mirrorPad's own
 * gradient drops the reflected border contributions: 58 % error on the first conv's weight gradient): the centre of
 * dy plus each reflected border folded back onto the rows/cols it copied.
 */
export function reflectionPad(x: tf.Tensor4D, p: number): tf.Tensor4D {
  if (p === 0) return x;
  paddedShape(x.shape, p); // throws when p does not fit
  if (fused(REFLECT_PAD)) return tf.engine().runKernel(REFLECT_PAD, { x }, { pad: p }) as tf.Tensor4D;
  const f = tf.customGrad((...args) => {
    const input = args[0] as tf.Tensor4D;
    const value = tf.mirrorPad(input, [[0, 0], [p, p], [p, p], [0, 0]], 'reflect');
    return { value, gradFunc: (dy: tf.Tensor) => foldAxis(foldAxis(dy as tf.Tensor4D, 1, p), 2, p) };
  });
  return f(x) as tf.Tensor4D;
}

/** Adjoint of reflect padding along one spatial axis: [.., n+2p, ..] → [.., n, ..]. */
function foldAxis(dy: tf.Tensor4D, axis: 1 | 2, p: number): tf.Tensor4D {
  const n = dy.shape[axis] - 2 * p;
  const begin = (start: number): [number, number, number, number] => (axis === 1 ? [0, start, 0, 0] : [0, 0, start, 0]);
  const size = (len: number): [number, number, number, number] => (axis === 1 ? [-1, len, -1, -1] : [-1, -1, len, -1]);
  const pads = (before: number, after: number): [number, number][] =>
    axis === 1 ? [[0, 0], [before, after], [0, 0], [0, 0]] : [[0, 0], [0, 0], [before, after], [0, 0]];
  const centre = tf.slice(dy, begin(p), size(n));
  // padded index j < p copied input index p − j; padded index p+n+j copied input n − 2 − j
  const left = tf.reverse(tf.slice(dy, begin(0), size(p)), axis); // → input 1…p
  const right = tf.reverse(tf.slice(dy, begin(p + n), size(p)), axis); // → input n−1−p…n−2
  return tf.addN([centre, tf.pad(left, pads(1, n - 1 - p)), tf.pad(right, pads(n - 1 - p, 1))]) as tf.Tensor4D;
}

/**
 * One torch.optim.Adam step of one parameter whose gradient is the sum of `grads` (one per loss term, at most
 * three, added in order): the new [param, m, v] (the caller assigns them).
 */
export function adamUpdate(param: tf.Tensor, m: tf.Tensor, v: tf.Tensor, grads: tf.Tensor[], a: AdamAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (grads.length < 1 || grads.length > ADAM_GRADS.length) throw new RangeError(`adamUpdate: 1 to ${ADAM_GRADS.length} gradients, got ${grads.length}`);
  if (fused(ADAM)) {
    const inputs: Record<string, tf.Tensor> = { param, m, v };
    grads.forEach((g, i) => (inputs[ADAM_GRADS[i]] = g));
    return tf.engine().runKernel(ADAM, inputs, { ...a }) as unknown as [tf.Tensor, tf.Tensor, tf.Tensor];
  }
  return tf.tidy(() => {
    const grad = grads.slice(1).reduce((s, g) => tf.add(s, g), grads[0]);
    const bc1 = 1 - a.beta1 ** a.step;
    const sqrtBc2 = Math.sqrt(1 - a.beta2 ** a.step);
    const m2 = tf.add(tf.mul(m, a.beta1), tf.mul(grad, 1 - a.beta1));
    const v2 = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(grad), 1 - a.beta2));
    const denom = tf.add(tf.div(tf.sqrt(v2), sqrtBc2), a.eps);
    return [tf.sub(param, tf.mul(tf.div(m2, denom), a.lr / bc1)), m2, v2];
  });
}
