/**
 * Training in the page's worker on WebGPU (forced with ?backend=webgpu; SwiftShader here), at a tiny network
 * size (see studio.ts): the backend is really WebGPU, losses are finite, charts and reconstructions update,
 * and Pause / Step / Resume / Stop do what they say.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasStats, iterOf, loadDemo, lossPoints, openStudio, screenshot, waitForIter, withStudio, type Studio } from './studio';

const VISUALS = ['real_A', 'fake_B', 'rec_A', 'idt_B', 'real_B', 'fake_A', 'rec_B', 'idt_A'];
const CHARTS = ['chart-generators', 'chart-discriminators', 'chart-cycle'];

let studio: Studio;
beforeAll(async () => {
  studio = await openStudio({ query: '?backend=webgpu&preset=classroom', webgpu: true });
});
afterAll(async () => {
  await studio?.close();
});

const points = async (id: string) => Number(await studio.page.getByTestId(id).getAttribute('data-points'));

describe('training on WebGPU', () => {
  it('runs on WebGPU for real: the badge, the adapter, and no silent fallback to WebGL', () =>
    withStudio(studio, async ({ page, logs }) => {
      await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), { timeout: 60_000 }).toBe('webgpu');
      const info = await page.evaluate(() => (window as unknown as { __e2e: { backend: { name: string; adapter?: { description: string; vendor: string } } | null } }).__e2e.backend);
      expect(info?.name).toBe('webgpu'); // what the engine read back with tf.getBackend() after setBackend
      expect(info?.adapter).toBeDefined();
      expect(await page.getByTestId('backend-reason').textContent()).toMatch(/WebGPU/);
      expect(await page.evaluate(async () => Boolean(await (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()))).toBe(true);
      expect(logs.filter((l) => /Initialization of backend webgpu failed/i.test(l))).toEqual([]);
    }));

  it('trains: finite losses, charts gain points, reconstructions appear and are not blank', () =>
    withStudio(studio, async ({ page }) => {
      await loadDemo(page);
      for (const c of CHARTS) expect(await points(c)).toBe(0);
      const t0 = Date.now();
      await page.getByTestId('train').click();
      await waitForIter(page, 3, 150_000);
      console.log(`webgpu (SwiftShader), tiny net: 3 iterations in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${await page.getByTestId('status-its').textContent()} it/s shown`);
      await screenshot(page, 'studio-training-webgpu');

      const pts = await lossPoints(page);
      expect(pts.length).toBeGreaterThanOrEqual(3);
      expect(pts.map((p) => p.iter).slice(0, 3)).toEqual([1, 2, 3]);
      for (const p of pts) {
        expect(Object.keys(p.values)).toHaveLength(8);
        for (const v of Object.values(p.values)) expect(Number.isFinite(v)).toBe(true);
      }
      await expect.poll(() => points('chart-generators'), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      for (const c of CHARTS) await expect.poll(() => points(c), { timeout: 5_000 }).toBeGreaterThanOrEqual(3); // the charts take turns to redraw
      expect(await page.getByTestId('chart-generators').textContent()).not.toMatch(/NaN/);

      for (const v of VISUALS) {
        const canvas = page.getByTestId(`vis-${v}`);
        await expect.poll(() => canvas.getAttribute('data-iter'), { timeout: 30_000 }).toMatch(/^\d+$/);
        const s = await canvasStats(page, `vis-${v}`);
        expect(s.width, v).toBe(32); // the crop size the engine trained on
        expect(s.meanAlpha, v).toBe(255);
        expect(s.std, `${v} is blank`).toBeGreaterThan(2);
        expect(s.colours, `${v} is flat`).toBeGreaterThan(8);
      }
    }));

  it('pause holds the iteration counter, step adds exactly one, resume continues, stop resets', () =>
    withStudio(studio, async ({ page }) => {
      const pause = page.getByTestId('pause');
      await pause.click();
      await expect.poll(() => pause.textContent(), { timeout: 30_000 }).toMatch(/Resume/);
      const n = await iterOf(page);
      await page.waitForTimeout(3000);
      expect(await iterOf(page)).toBe(n);

      await page.getByTestId('step').click();
      await waitForIter(page, n + 1, 60_000);
      await page.waitForTimeout(2500);
      expect(await iterOf(page)).toBe(n + 1);
      expect((await lossPoints(page)).at(-1)?.iter).toBe(n + 1);

      await pause.click(); // Resume
      await waitForIter(page, n + 3, 90_000);
      await expect.poll(() => pause.textContent()).toMatch(/Pause/);

      await page.getByTestId('stop').click();
      await expect.poll(() => iterOf(page), { timeout: 30_000 }).toBe(0);
      expect(await page.getByTestId('error-banner').count()).toBe(0);
    }));
});
