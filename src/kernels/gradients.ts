/**
 * Gradients of the fused kernels, for tf.grad / tf.variableGrads. Instance norm saves its input alone (its output
 * is the next layer's input, saved there) and recomputes the per-channel statistics in its backward kernel;
 * reflection pad saves nothing.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { CONV2D, INSTANCE_NORM, INSTANCE_NORM_GRAD, REFLECT_PAD, REFLECT_PAD_GRAD, type Conv2DAttrs } from './names';

const run = (name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap) => tf.engine().runKernel(name, inputs, attrs) as Tensor;

export function registerFusedGradients(): void {
  tf.registerGradient({
    kernelName: CONV2D,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter] = saved;
      const d = dy as Tensor;
      const { strides, pad } = attrs as unknown as Conv2DAttrs;
      const conv = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
      return {
        x: () => run('Conv2DBackpropInput', { dy: d, filter }, { ...conv, inputShape: x.shape } as unknown as NamedAttrMap),
        filter: () => run('Conv2DBackpropFilter', { x, dy: d }, { ...conv, filterShape: filter.shape } as unknown as NamedAttrMap),
        bias: () => tf.sum(d, [0, 1, 2]),
      };
    },
  });
  tf.registerGradient({
    kernelName: INSTANCE_NORM,
    inputsToSave: ['x'],
    // the residual (skip) input passes dy through unchanged
    gradFunc: (dy, saved, attrs) => ({ x: () => run(INSTANCE_NORM_GRAD, { dy: dy as Tensor, x: saved[0] }, attrs), residual: () => dy as Tensor }),
  });
  tf.registerGradient({
    kernelName: REFLECT_PAD,
    gradFunc: (dy, _saved, attrs) => ({ x: () => run(REFLECT_PAD_GRAD, { dy: dy as Tensor }, attrs) }),
  });
}
