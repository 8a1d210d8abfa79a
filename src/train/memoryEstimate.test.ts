/**
 * The memory estimate: its parameter counts are the networks' own, it grows with what it should, and it stays
 * within 20 % of the wasm heap peaks measured by scripts/memoryCalibrate.ts (Node wasm, two iterations; the
 * Standard and Paper rows one) on the fused kernels — re-measure and update the table when the kernels change.
 */
import { describe, expect, it } from 'vitest';
import { makeConfig, presetConfig } from '../config';
import { discriminatorSpecs } from '../model/discriminator';
import { generatorSpecs } from '../model/generator';
import { countParams } from '../model/params';
import { estimateTrainingMemory, paramCounts } from './memoryEstimate';

const MB = 2 ** 20;
const cfg = (cropSize: number, ngf: number, nBlocks: number, ndf: number) => makeConfig({ cropSize, loadSize: cropSize, ngf, nBlocks, ndf });

/** [size, ngf, blocks, ndf, iterations, measured heap MB] */
const MEASURED: [number, number, number, number, number, number][] = [
  [64, 32, 6, 32, 2, 207],
  [64, 64, 9, 64, 2, 904],
  [96, 16, 3, 16, 2, 83],
  [128, 32, 6, 32, 2, 358],
  [128, 16, 9, 64, 2, 286],
  [192, 16, 6, 16, 2, 278],
  [128, 64, 6, 64, 1, 918],
  [256, 64, 9, 64, 1, 2239],
];

describe('estimateTrainingMemory', () => {
  it('counts the parameters the networks have', () => {
    for (const c of [presetConfig('classroom'), presetConfig('paper'), cfg(64, 7, 2, 5), makeConfig({ inputNc: 1, nLayersD: 5 })]) {
      const p = paramCounts(c);
      expect(p.generator).toBe(countParams(generatorSpecs({ inputNc: c.inputNc, outputNc: c.inputNc, ngf: c.ngf, nBlocks: c.nBlocks })));
      expect(p.discriminator).toBe(countParams(discriminatorSpecs({ inputNc: c.inputNc, ndf: c.ndf, nLayers: c.nLayersD })));
    }
  });

  it('grows with the crop, the widths, the blocks and the pool', () => {
    const base = estimateTrainingMemory(presetConfig('standard')).peakBytes;
    for (const bigger of [{ cropSize: 256, loadSize: 286 }, { ngf: 128 }, { nBlocks: 9 }, { ndf: 128 }, { poolSize: 500 }])
      expect(estimateTrainingMemory(presetConfig('standard', bigger)).peakBytes).toBeGreaterThan(base);
  });

  it('is within 20 % of the measured wasm heap peaks', () => {
    for (const [size, ngf, blocks, ndf, iters, measured] of MEASURED) {
      const c = cfg(size, ngf, blocks, ndf);
      const e = estimateTrainingMemory({ ...c, poolSize: iters }); // the pools hold what the measured iterations put there
      expect(e.peakBytes / (measured * MB), `${size} px, ngf ${ngf}, ${blocks} blocks, ndf ${ndf}`).toBeGreaterThan(0.8);
      expect(e.peakBytes / (measured * MB), `${size} px, ngf ${ngf}, ${blocks} blocks, ndf ${ndf}`).toBeLessThan(1.2);
    }
  });

  it('the largest tensor is the padded map before the last conv', () => {
    expect(estimateTrainingMemory(presetConfig('paper')).largestTensorBytes).toBe(262 * 262 * 64 * 4);
  });
});
