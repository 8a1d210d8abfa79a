import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config';
import { discriminatorMacs, generatorMacs, iterationGflop } from './flops';

describe('analytic compute', () => {
  it('matches the reference figures at 256² (G 49.5–56.8 G MACs, D ≈ 3.15 G, ≈ 1.9 TFLOP/iteration)', () => {
    const g = generatorMacs(DEFAULT_CONFIG, 256) / 1e9;
    expect(g).toBeGreaterThan(49.5);
    expect(g).toBeLessThan(56.8);
    expect(discriminatorMacs(DEFAULT_CONFIG, 256) / 1e9).toBeCloseTo(3.15, 1);
    expect(iterationGflop(DEFAULT_CONFIG) / 1000).toBeCloseTo(1.9, 1);
  });
});
