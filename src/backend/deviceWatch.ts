/**
 * What the WebGPU device says when it fails, handed to the engine: `device.lost` (driver reset, GPU removed,
 * destroyed) and uncaptured GPUOutOfMemoryErrors or buffers over the size limit (an allocation that did not
 * fit: WebGPU reports it as an event, not as a throw, and tfjs goes on with an invalid buffer). Nothing to watch
 * on the other backends.
 */
import * as tf from '@tensorflow/tfjs';
import { outOfMemory } from './outOfMemory';
import type { BackendInfo } from '../protocol/messages';

/** The members of GPUDevice used here (TypeScript's DOM lib has no WebGPU types). */
export interface GPUDeviceLike {
  lost: Promise<{ reason?: string; message?: string }>;
  addEventListener(type: 'uncapturederror', l: (e: Event & { error?: { message?: string; constructor?: { name?: string } } }) => void): void;
  destroy(): void;
}

function webgpuDevice(): GPUDeviceLike | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: GPUDeviceLike }).device ?? null;
}

const watched = new WeakSet<GPUDeviceLike>();

/** `device`: the backend's own by default (tests pass a stand-in). */
export function watchDevice(
  info: BackendInfo,
  onFault: (kind: 'deviceLost' | 'oom', detail: string) => void,
  device: GPUDeviceLike | null = info.name === 'webgpu' ? webgpuDevice() : null,
): void {
  if (!device || watched.has(device)) return;
  watched.add(device);
  void device.lost.then((i) => onFault('deviceLost', [i.reason, i.message].filter(Boolean).join(': ') || 'no reason given'));
  device.addEventListener('uncapturederror', (e) => {
    const err = e.error;
    // a buffer over the device's size limit is a validation error, but as fatal to the run as running out
    if (err?.constructor?.name === 'GPUOutOfMemoryError' || outOfMemory(err?.message ?? '')) onFault('oom', `WebGPU: ${err?.message || 'out of memory'}`);
    else console.error('WebGPU error', err?.message ?? err);
  });
}

/** Destroys the live WebGPU device (its `lost` promise then fires, as in a real loss); false when not on WebGPU. */
export function destroyDevice(): boolean {
  const device = webgpuDevice();
  if (!device) return false;
  device.destroy();
  return true;
}
