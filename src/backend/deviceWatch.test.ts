/**
 * The WebGPU device watcher against a stand-in device (Node has no GPU): a `device.lost` report and an uncaptured
 * GPUOutOfMemoryError each reach the engine as their fault, once per device; other GPU errors are only logged.
 */
import { describe, expect, it, vi } from 'vitest';
import type { BackendInfo } from '../protocol/messages';
import { watchDevice, type GPUDeviceLike } from './deviceWatch';

class GPUOutOfMemoryError {
  constructor(readonly message: string) {}
}
class GPUValidationError {
  constructor(readonly message: string) {}
}

function fakeDevice() {
  let lose!: (i: { reason?: string; message?: string }) => void;
  const listeners: ((e: Event & { error?: unknown }) => void)[] = [];
  const device: GPUDeviceLike = {
    lost: new Promise((r) => (lose = r)),
    addEventListener: (_t, l) => void listeners.push(l as (e: Event & { error?: unknown }) => void),
    destroy: () => lose({ reason: 'destroyed', message: 'Device was destroyed.' }),
  };
  const raise = (error: unknown) => listeners.forEach((l) => l(Object.assign(new Event('uncapturederror'), { error })));
  return { device, raise };
}
const info: BackendInfo = { name: 'webgpu', requested: 'auto', reason: 'test' };

describe('device watcher', () => {
  it('device.lost becomes a deviceLost fault with the reason and message the browser gave', async () => {
    const { device } = fakeDevice();
    const onFault = vi.fn();
    watchDevice(info, onFault, device);
    watchDevice(info, onFault, device); // watched once, however often the backend is set up
    device.destroy();
    await vi.waitFor(() => expect(onFault).toHaveBeenCalledTimes(1));
    expect(onFault).toHaveBeenCalledWith('deviceLost', 'destroyed: Device was destroyed.');
  });

  it('an uncaptured GPUOutOfMemoryError is an oom fault; other GPU errors are logged, not faults', () => {
    const { device, raise } = fakeDevice();
    const onFault = vi.fn();
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    watchDevice(info, onFault, device);
    raise(new GPUValidationError('bad bind group'));
    expect(onFault).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith('WebGPU error', 'bad bind group');
    raise(new GPUOutOfMemoryError('Not enough memory left to allocate the buffer.'));
    expect(onFault).toHaveBeenCalledWith('oom', 'WebGPU: Not enough memory left to allocate the buffer.');
    // Chromium's own words for a buffer over the device's limit (a validation error, as fatal as running out)
    const tooBig = 'Buffer size (1073741828) exceeds the max buffer size limit (1073741824).\n - While calling [Device].CreateBuffer([BufferDescriptor]).';
    raise(new GPUValidationError(tooBig));
    expect(onFault).toHaveBeenLastCalledWith('oom', `WebGPU: ${tooBig}`);
    log.mockRestore();
  });

  it('nothing to watch off WebGPU', () => {
    const onFault = vi.fn();
    expect(() => watchDevice({ name: 'wasm', requested: 'wasm', reason: 'test' }, onFault)).not.toThrow();
    expect(onFault).not.toHaveBeenCalled();
  });
});
