/** The expected iteration length the watchdog allows for: measured when known, else from the compute per backend. */
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../config';
import { expectedIterMs } from './status';

describe('expectedIterMs', () => {
  it('is the measured time once an iteration ran', () => {
    expect(expectedIterMs({ config: presetConfig('paper'), msPerIter: 80_000, backend: 'wasm' })).toBe(80_000);
  });

  it('before the first iteration, on wasm and cpu, allows for the compute on a slow machine', () => {
    // the Paper preset's first iteration took ~80 s in this page on wasm: more than the watchdog's 60 s floor
    expect(expectedIterMs({ config: presetConfig('paper'), msPerIter: 0, backend: 'wasm' })).toBeGreaterThan(80_000);
    expect(expectedIterMs({ config: presetConfig('classroom'), msPerIter: 0, backend: 'wasm' })).toBeLessThan(60_000);
    expect(expectedIterMs({ config: presetConfig('classroom'), msPerIter: 0, backend: 'cpu' })).toBeGreaterThan(expectedIterMs({ config: presetConfig('classroom'), msPerIter: 0, backend: 'wasm' }));
  });

  it('is 0 on GPU backends (the worker answers while the device works) and without a backend', () => {
    expect(expectedIterMs({ config: presetConfig('paper'), msPerIter: 0, backend: 'webgpu' })).toBe(0);
    expect(expectedIterMs({ config: presetConfig('paper'), msPerIter: 0, backend: null })).toBe(0);
  });
});
