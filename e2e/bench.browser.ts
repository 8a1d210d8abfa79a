/**
 * Throughput of each backend in this browser, through the whole studio (worker, protocol, UI). Not part of
 * the suite (its name does not match *.test.ts): `npm run bench:browser`. Prints it/s after a warm-up (shader compilation).
 */
import { describe, expect, it } from 'vitest';
import type { CycleGANConfig } from '../src/config';
import { iterOf, loadDemo, openStudio, TINY, waitForIter } from './studio';

const cases: { backend: string; shrink: Partial<CycleGANConfig> | null; label: string; warm: number; measure: number; budget: number }[] = [
  { backend: 'wasm', shrink: TINY, label: 'tiny', warm: 3, measure: 20, budget: 60 },
  { backend: 'webgpu', shrink: TINY, label: 'tiny', warm: 2, measure: 5, budget: 90 },
  { backend: 'webgl', shrink: TINY, label: 'tiny', warm: 2, measure: 5, budget: 90 },
  { backend: 'cpu', shrink: TINY, label: 'tiny', warm: 1, measure: 3, budget: 90 },
  { backend: 'wasm', shrink: null, label: 'classroom', warm: 2, measure: 10, budget: 120 },
  { backend: 'webgl', shrink: null, label: 'classroom', warm: 1, measure: 2, budget: 240 },
  // the reference's own configuration trains in the page on wasm (peak wasm heap ~2.2 GB of its 4 GB)
  { backend: 'wasm', shrink: null, label: 'paper', warm: 1, measure: 1, budget: 600 },
];

describe('backend throughput', () => {
  for (const c of cases)
    it(`${c.backend}, ${c.label}`, async () => {
      const s = await openStudio({ query: `?backend=${c.backend}&preset=${c.label === 'paper' ? 'paper' : 'classroom'}`, shrink: c.shrink });
      try {
        const { page } = s;
        await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), { timeout: 60_000 }).toBe(c.backend);
        await loadDemo(page);
        const t0 = Date.now();
        await page.getByTestId('train').click();
        await waitForIter(page, c.warm, c.budget * 1000);
        const t1 = Date.now(), i1 = await iterOf(page);
        await waitForIter(page, i1 + c.measure, c.budget * 1000);
        const i2 = await iterOf(page);
        const rate = (i2 - i1) / ((Date.now() - t1) / 1000);
        console.log(`BENCH ${c.backend} ${c.label}: first ${c.warm} iteration(s) in ${((t1 - t0) / 1000).toFixed(1)} s, then ${rate.toFixed(3)} it/s`);
        await page.getByTestId('stop').click();
      } finally {
        await s.close();
      }
    }, 1_500_000);
});
