/**
 * The studio's training speed in this browser, through the whole page (worker, protocol, charts), beside the same
 * configuration in Node (same backend, one thread: Node's wasm has no threads) and in PyTorch on as many threads,
 * all in the same run. Not part of the suite (its name does not match *.test.ts): `npm run bench:browser`, on an
 * idle machine. Set BENCH_CASES to a comma-separated subset of the case names (e.g. `wasm-classroom-1`) to run a few.
 *
 * Per case: the steady ms/iteration and it/s (after a warm-up), and the main thread's long tasks over 50 ms while it
 * trained (PerformanceObserver 'longtask'); the Classroom rows train a minute, as a smooth page is defined over a
 * minute of Classroom training. Prints one markdown table at the end.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fmt, PRESETS, pytorch, runCase, type Preset } from '../src/bench/runners';
import type { CycleGANConfig } from '../src/config';
import { iterOf, loadDemo, openStudio, waitForIter } from './studio';

interface Case {
  backend: string;
  preset: 'tiny' | 'classroom' | 'paper';
  /** WebAssembly threads; 0 = all the machine's cores (the studio's default). */
  threads: number;
  warm: number;
  /** at least this many iterations, and at least `seconds` of training, measured */
  measure: number;
  seconds: number;
  /** Seconds allowed for the warm-up and for the measurement, each. */
  budget: number;
}

const CASES: Case[] = [
  { backend: 'wasm', preset: 'classroom', threads: 1, warm: 2, measure: 12, seconds: 60, budget: 180 },
  { backend: 'wasm', preset: 'classroom', threads: 0, warm: 2, measure: 12, seconds: 60, budget: 180 },
  { backend: 'wasm', preset: 'tiny', threads: 1, warm: 3, measure: 30, seconds: 20, budget: 60 },
  { backend: 'wasm', preset: 'tiny', threads: 0, warm: 3, measure: 30, seconds: 20, budget: 60 },
  { backend: 'webgpu', preset: 'tiny', threads: 0, warm: 2, measure: 5, seconds: 0, budget: 120 },
  { backend: 'webgl', preset: 'tiny', threads: 0, warm: 2, measure: 5, seconds: 0, budget: 120 },
  // the reference's own configuration trains in the page on wasm (peak wasm heap ~2.4 GB of its 4 GB)
  { backend: 'wasm', preset: 'paper', threads: 0, warm: 1, measure: 2, seconds: 0, budget: 900 },
];

const nameOf = (c: Case) => `${c.backend}-${c.preset}-${c.threads || 'all'}`;
const selected = process.env.BENCH_CASES?.split(',').filter(Boolean);
const cases = selected ? CASES.filter((c) => selected.includes(nameOf(c))) : CASES;

const shrinkOf = (p: Preset): Partial<CycleGANConfig> | null => {
  if (p === PRESETS.tiny) {
    const { loadSize, cropSize, ngf, ndf, nBlocks } = p.config;
    return { loadSize, cropSize, ngf, ndf, nBlocks };
  }
  return null; // the studio's own preset
};

const rows: string[] = [];

describe('studio training speed', () => {
  afterAll(() => {
    console.log(
      [
        '| backend | config | threads | studio ms/iter | studio it/s | long tasks > 50 ms in the measured time (longest) | Node ms/iter (1 thread) | studio / Node | PyTorch ms/iter (same threads) | studio / PyTorch |',
        '|---|---|---|---|---|---|---|---|---|---|',
        ...rows,
      ].join('\n'),
    );
  });

  for (const c of cases)
    it(nameOf(c), async () => {
      const p = PRESETS[c.preset];
      const query = `?backend=${c.backend}&preset=${c.preset === 'paper' ? 'paper' : 'classroom'}${c.threads ? `&threads=${c.threads}` : ''}`;
      const s = await openStudio({ query, webgpu: c.backend === 'webgpu', shrink: shrinkOf(p) });
      let ms = NaN, secs = 0, threads = 1, longTasks: number[] = [];
      try {
        const { page } = s;
        await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), { timeout: 60_000 }).toBe(c.backend);
        threads = await page.evaluate(() => (window as unknown as { __e2e: { backend: { threads?: { count: number } } } }).__e2e.backend.threads?.count ?? 1);
        await loadDemo(page);
        await page.getByTestId('train').click();
        await waitForIter(page, c.warm, c.budget * 1000);
        await page.evaluate(() => {
          const w = window as unknown as { __longTasks: number[] };
          w.__longTasks = [];
          new PerformanceObserver((l) => w.__longTasks.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
        });
        const t1 = Date.now(), i1 = await iterOf(page);
        let i2 = await waitForIter(page, i1 + c.measure, c.budget * 1000);
        if (Date.now() - t1 < c.seconds * 1000) {
          await page.waitForTimeout(c.seconds * 1000 - (Date.now() - t1));
          i2 = await waitForIter(page, (await iterOf(page)) + 1, c.budget * 1000); // end, as it began, as an iteration lands
        }
        secs = (Date.now() - t1) / 1000;
        ms = (secs * 1000) / (i2 - i1);
        longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
        await page.getByTestId('stop').click();
      } finally {
        await s.close();
      }
      // the baselines after the browser has closed, on the same machine in the same run
      const node = c.backend === 'wasm' && threads === 1 ? runCase({ backend: 'wasm', config: p.config, warmup: p.warmup, runs: p.runs }) : null;
      const nodeMs = node && !('error' in node) ? node.ms : null;
      const torch = c.backend === 'wasm' ? pytorch(p, threads) : null;
      const over = longTasks.filter((d) => d > 50);
      rows.push(
        [
          c.backend, p.label, String(threads), fmt(ms), (1000 / ms).toFixed(2),
          `${over.length} in ${secs.toFixed(0)} s${over.length ? ` (${fmt(Math.max(...over))} ms)` : ''}`,
          nodeMs === null ? '—' : fmt(nodeMs), nodeMs === null ? '—' : `${(ms / nodeMs).toFixed(2)}×`,
          torch ? fmt(torch.ms) : '—', torch ? `${(ms / torch.ms).toFixed(2)}×` : '—',
        ].join(' | ').replace(/^/, '| ').replace(/$/, ' |'),
      );
    }, 2_400_000);
});
