/**
 * What the active backend can hold, for the studio's check before Train (src/train/memoryFit.ts): wasm's heap
 * cap, or the largest buffer the WebGPU device tfjs opened allows (tfjs asks for the adapter's own limits).
 * WebGL and cpu: nothing known.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../protocol/messages';
import { WASM_LIMITS, type MemoryLimits } from '../train/memoryFit';

interface GPUDeviceLimitsLike {
  limits?: { maxBufferSize?: number; maxStorageBufferBindingSize?: number };
}

export function backendMemoryLimits(name: BackendName): MemoryLimits {
  if (name === 'wasm') return WASM_LIMITS;
  if (name !== 'webgpu') return {};
  const limits = (tf.backend() as unknown as { device?: GPUDeviceLimitsLike }).device?.limits;
  const sizes = [limits?.maxBufferSize, limits?.maxStorageBufferBindingSize].filter((n): n is number => typeof n === 'number' && n > 0);
  return sizes.length ? { bufferBytes: Math.min(...sizes) } : {};
}
