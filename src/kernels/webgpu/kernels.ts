/** The WGSL kernels by name (names.ts): register.ts registers them for the 'webgpu' backend. */
import type { KernelFunc } from '@tensorflow/tfjs';
import { ADAM, INSTANCE_NORM, INSTANCE_NORM_GRAD, REFLECT_PAD, REFLECT_PAD_GRAD } from '../names';
import { adamWebGPU } from './adam';
import { instanceNormWebGPU } from './instanceNorm';
import { instanceNormGradWebGPU } from './instanceNormGrad';
import { reflectPadGradWebGPU, reflectPadWebGPU } from './reflectPad';

export const WEBGPU_KERNELS: Record<string, KernelFunc> = {
  [INSTANCE_NORM]: instanceNormWebGPU as unknown as KernelFunc,
  [INSTANCE_NORM_GRAD]: instanceNormGradWebGPU as unknown as KernelFunc,
  [REFLECT_PAD]: reflectPadWebGPU as unknown as KernelFunc,
  [REFLECT_PAD_GRAD]: reflectPadGradWebGPU as unknown as KernelFunc,
  [ADAM]: adamWebGPU as unknown as KernelFunc,
};
