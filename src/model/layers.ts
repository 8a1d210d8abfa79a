/**
 * The few layers the reference networks are built from, with PyTorch's semantics, in NHWC.
 * Weights live in tfjs layouts: conv [kH, kW, in, out]; transposed conv [kH, kW, out, in]
 * (PyTorch's OIHW and IOHW both map here by transpose(2, 3, 1, 0), no flip).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * ReflectionPad2d(p). tf.mirrorPad's own gradient drops the reflected border contributions
 * (58 % error on the first conv's weight gradient), so the true adjoint is given here:
 * the centre of dy plus each reflected border folded back onto the rows/cols it copied.
 */
export function reflectionPad(x: tf.Tensor4D, p: number): tf.Tensor4D {
  if (p === 0) return x;
  const [, h, w] = x.shape;
  if (p >= h || p >= w) throw new RangeError(`reflectionPad: pad ${p} needs an input larger than ${p}; got ${h}×${w}`);
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

/** Conv2d(k, stride, zero padding `pad`) + bias. w: [k, k, in, out]. */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D | undefined, stride: number, pad: number): tf.Tensor4D {
  const y = tf.conv2d(x, w, stride, pad === 0 ? 'valid' : pad);
  return b ? tf.add(y, b) : y;
}

/**
 * ConvTranspose2d(k 3, stride 2, padding 1, output_padding 1) + bias: doubles H and W.
 * Equals tf.conv2dTranspose with output [N, 2H, 2W, out] and numeric pad 1. w: [3, 3, out, in].
 */
export function convTranspose2d(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D): tf.Tensor4D {
  const [n, h, wd] = x.shape;
  const y = tf.conv2dTranspose(x, w, [n, 2 * h, 2 * wd, w.shape[2]], 2, 1); // [N, 2H, 2W, out]
  return tf.add(y, b);
}

/** InstanceNorm2d(affine=False, track_running_stats=False): per-sample, per-channel over H, W. */
export function instanceNorm(x: tf.Tensor4D, eps = 1e-5): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [1, 2], true); // [N, 1, 1, C], biased variance
  return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
}
