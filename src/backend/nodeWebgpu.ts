/**
 * WebGPU for Node: Dawn through the npm package `webgpu`, installed as `navigator.gpu` (and its GPU* constants as
 * globals) so that tfjs-backend-webgpu finds it. That package registers its backend on import only where
 * navigator.gpu exists, so this runs first.
 *
 * Dawn reaches the GPU through Vulkan (Debian: libvulkan1). A machine with a GPU finds its driver on its own; a
 * machine without one gets an adapter from a software driver only when VK_ICD_FILENAMES names it, e.g. Chromium's
 * SwiftShader (Debian's chromium package): VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json.
 */
import { BackendUnavailableError } from './errors';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

interface GPULike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<unknown>;
}

/** Installs Dawn as navigator.gpu (unless a navigator.gpu exists) and checks that it offers an adapter. */
export async function installNodeWebGPU(): Promise<void> {
  const nav = (globalThis as { navigator?: { gpu?: GPULike } }).navigator;
  if (!nav?.gpu) {
    let dawn: typeof import('webgpu');
    try {
      dawn = await import('webgpu');
    } catch (e) {
      throw new BackendUnavailableError(`WebGPU in Node needs the npm package 'webgpu' (npm install): ${e instanceof Error ? e.message : String(e)}`);
    }
    Object.assign(globalThis, dawn.globals);
    const gpu = dawn.create([]);
    // Node 20 has no navigator; Node 21+ has one (a getter on globalThis) without gpu
    if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  }
  const gpu = (globalThis as unknown as { navigator: { gpu: GPULike } }).navigator.gpu;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) {
    const icd = process.env.VK_ICD_FILENAMES;
    throw new BackendUnavailableError(
      'WebGPU: Dawn found no GPU adapter (Vulkan). ' +
        (icd
          ? `VK_ICD_FILENAMES=${icd} gave none: check that the file exists and that libvulkan1 is installed.`
          : `Without a GPU, set VK_ICD_FILENAMES=${SWIFTSHADER_ICD} (Chromium's SwiftShader, a software adapter; needs libvulkan1). ` +
            'On a machine with a GPU its Vulkan driver is found without it: check that the driver and libvulkan1 are installed.'),
    );
  }
}
