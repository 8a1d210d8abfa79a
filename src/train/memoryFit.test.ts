/** Fitting a configuration into a backend's memory: wasm's 4 GB, a WebGPU buffer limit, and the preset to offer. */
import { describe, expect, it } from 'vitest';
import { makeConfig, presetConfig } from '../config';
import { WASM_LIMITS, checkFit, largestPresetThatFits, sizeLabel } from './memoryFit';

const paperAt = (cropSize: number) => presetConfig('paper', { cropSize, loadSize: cropSize });

describe('memory fit', () => {
  it('on wasm the presets fit, 512 px does not', () => {
    for (const p of ['classroom', 'standard', 'paper'] as const) expect(checkFit(presetConfig(p), WASM_LIMITS)).toMatchObject({ fits: true, what: 'total' });
    const f = checkFit(paperAt(512), WASM_LIMITS)!;
    expect(f).toMatchObject({ fits: false, what: 'total', limitBytes: WASM_LIMITS.totalBytes });
    expect(f.needBytes).toBeGreaterThan(2 * f.limitBytes);
  });

  it('a WebGPU buffer limit is checked against the largest tensor; nothing known: no verdict', () => {
    expect(checkFit(paperAt(1024), { bufferBytes: 256 * 2 ** 20 })).toMatchObject({ fits: false, what: 'tensor' });
    expect(checkFit(presetConfig('paper'), { bufferBytes: 256 * 2 ** 20 })).toMatchObject({ fits: true });
    expect(checkFit(paperAt(1024), {})).toBeNull();
  });

  it('offers the largest preset that fits and needs less', () => {
    expect(largestPresetThatFits(paperAt(1024), WASM_LIMITS)).toBe('paper');
    expect(largestPresetThatFits(presetConfig('paper'), WASM_LIMITS)).toBe('standard'); // it ran out anyway: smaller
    expect(largestPresetThatFits(presetConfig('classroom'), WASM_LIMITS)).toBeNull();
    expect(largestPresetThatFits(paperAt(1024), {})).toBe('paper'); // no limit known: smaller is all we can say
    expect(largestPresetThatFits(paperAt(1024), { totalBytes: 1.5 * 2 ** 30 })).toBe('standard');
  });

  it('names the sizes that decide it', () => {
    expect(sizeLabel(makeConfig())).toBe('256 px, ngf 64, 9 blocks, ndf 64');
    expect(sizeLabel(makeConfig({ nBlocks: 1 }))).toBe('256 px, ngf 64, 1 block, ndf 64');
  });
});
