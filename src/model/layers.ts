/**
 * The few layers the reference networks are built from, with PyTorch's semantics, in NHWC.
 * Weights live in tfjs layouts: conv [kH, kW, in, out]; transposed conv [kH, kW, out, in]
 * (PyTorch's OIHW and IOHW both map here by transpose(2, 3, 1, 0), no flip).
 * Conv + bias, instance norm (with the activation or the residual sum that follows it) and reflection pad are
 * single fused kernels where the backend has them (src/kernels).
 */
import * as tf from '@tensorflow/tfjs';

export { conv2d, instanceNorm, reflectionPad, residualInstanceNorm } from '../kernels/ops';

/**
 * ConvTranspose2d(k 3, stride 2, padding 1, output_padding 1) + bias: doubles H and W.
 * Equals tf.conv2dTranspose with output [N, 2H, 2W, out] and numeric pad 1. w: [3, 3, out, in].
 */
export function convTranspose2d(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D): tf.Tensor4D {
  const [n, h, wd] = x.shape;
  const y = tf.conv2dTranspose(x, w, [n, 2 * h, 2 * wd, w.shape[2]], 2, 1); // [N, 2H, 2W, out]
  return tf.add(y, b);
}
