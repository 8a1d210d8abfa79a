/** The check before Train: what the studio says when a configuration will not fit, on which backend. */
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../src/config';
import type { BackendInfo } from '../../src/protocol/messages';
import { WASM_LIMITS } from '../../src/train/memoryFit';
import { limitsOf, memoryAdvice } from './memory';

const wasm: BackendInfo = { name: 'wasm', requested: 'auto', reason: 'test', memory: WASM_LIMITS };
const webgpu: BackendInfo = { name: 'webgpu', requested: 'auto', reason: 'test', memory: { bufferBytes: 128 * 2 ** 20 } };
const at = (cropSize: number) => presetConfig('paper', { cropSize, loadSize: cropSize });

describe('memory advice', () => {
  it('wasm: the limit is known before the backend reports (the setting) and after', () => {
    expect(limitsOf(null, 'wasm')).toEqual(WASM_LIMITS);
    expect(limitsOf(null, 'auto')).toEqual({});
    expect(limitsOf({ ...wasm, memory: undefined }, 'auto')).toEqual(WASM_LIMITS);
    expect(limitsOf(webgpu, 'auto')).toEqual({ bufferBytes: 128 * 2 ** 20 });
  });

  it('says what a configuration needs, what wasm holds, and the largest preset that fits', () => {
    expect(memoryAdvice(presetConfig('paper'), WASM_LIMITS, wasm, 'auto')).toBeNull();
    const a = memoryAdvice(at(512), WASM_LIMITS, wasm, 'auto')!;
    expect(a.preset).toBe('paper');
    expect(a.message).toMatch(/^This configuration \(512 px, ngf 64, 9 blocks, ndf 64\) needs about 8\.2 GB to train, by our estimate; WebAssembly can hold 4 GB\. The largest preset that fits is Paper — 256 px/);
    expect(a.message).toMatch(/Train anyway/);
    const pool = memoryAdvice(presetConfig('paper', { poolSize: 10000 }), WASM_LIMITS, wasm, 'auto')!;
    expect(pool.message).toMatch(/needs about 17 GB to train, most of it the image pool once full \(10000 fakes per domain\), by our estimate.*Classroom/);
  });

  it('WebGPU: the largest tensor against the buffer limit; nothing known (WebGL, cpu): nothing said', () => {
    const a = memoryAdvice(at(1024), webgpu.memory!, webgpu, 'auto')!;
    expect(a.fit.what).toBe('tensor');
    expect(a.message).toMatch(/tensors of about 259 MB.*this WebGPU device allows 128 MB per buffer\. The largest preset that fits is Paper/);
    expect(memoryAdvice(at(1024), {}, { ...webgpu, name: 'webgl', memory: {} }, 'auto')).toBeNull();
  });
});
