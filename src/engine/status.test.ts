/** The expected iteration length the watchdog allows for: measured when known, else from the compute per backend. */
import { describe, expect, it } from 'vitest';
import { presetConfig, type CycleGANConfig } from '../config';
import type { CycleGANTrainer } from '../train/trainer';
import { expectedIterMs } from './status';

/** A run of `config` (expectedIterMs reads its config only). */
const run = (config: CycleGANConfig) => ({ config }) as CycleGANTrainer;

describe('expectedIterMs', () => {
  it('is the measured time once an iteration ran', () => {
    expect(expectedIterMs({ trainer: run(presetConfig('paper')), msPerIter: 80_000, backend: 'wasm' })).toBe(80_000);
  });

  it('before the first iteration, on wasm and cpu, allows for the compute on a slow machine', () => {
    // the Paper preset's first iteration took ~80 s in this page on wasm: more than the watchdog's 60 s floor
    expect(expectedIterMs({ trainer: run(presetConfig('paper')), msPerIter: 0, backend: 'wasm' })).toBeGreaterThan(80_000);
    expect(expectedIterMs({ trainer: run(presetConfig('classroom')), msPerIter: 0, backend: 'wasm' })).toBeLessThan(60_000);
    expect(expectedIterMs({ trainer: run(presetConfig('classroom')), msPerIter: 0, backend: 'cpu' })).toBeGreaterThan(expectedIterMs({ trainer: run(presetConfig('classroom')), msPerIter: 0, backend: 'wasm' }));
  });

  it("is 0 without a run: the engine's idle config (the reference's, 256 px) must not stretch the watchdog", () => {
    expect(expectedIterMs({ trainer: null, msPerIter: 0, backend: 'wasm' })).toBe(0);
  });

  it('is 0 on GPU backends (the worker answers while the device works) and without a backend', () => {
    expect(expectedIterMs({ trainer: run(presetConfig('paper')), msPerIter: 0, backend: 'webgpu' })).toBe(0);
    expect(expectedIterMs({ trainer: run(presetConfig('paper')), msPerIter: 0, backend: null })).toBe(0);
  });
});
