/**
 * Chromium without --enable-unsafe-webgpu has no WebGPU adapter: with ?backend=auto the studio must show the
 * backend it really uses and why WebGPU was not, and still train (the production build's wasm path); a
 * forced ?backend=webgpu must fail with a message that says what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, lossPoints, openStudio, screenshot, waitForIter, withStudio, type Studio } from './studio';

let studio: Studio;
beforeAll(async () => {
  studio = await openStudio({ query: '?backend=auto', webgpu: false });
});
afterAll(async () => {
  await studio?.close();
});

describe('backend fallback without WebGPU', () => {
  it('shows the backend in use and why WebGPU was not used, then trains on it', () =>
    withStudio(studio, async ({ page }) => {
      const badge = page.getByTestId('backend-badge');
      await expect.poll(() => badge.getAttribute('data-backend'), { timeout: 60_000 }).toMatch(/^(webgl|wasm|cpu)$/);
      const used = await badge.getAttribute('data-backend');
      expect(used).toBe('wasm'); // WebGL here is SwiftShader too: wasm is preferred
      const reason = (await page.getByTestId('backend-reason').textContent()) ?? '';
      expect(reason).toMatch(/WebGPU unavailable/);
      expect(reason).toMatch(/no WebGPU adapter/);

      await loadDemo(page);
      const t0 = Date.now();
      await page.getByTestId('train').click();
      await waitForIter(page, 5, 120_000);
      console.log(`wasm (single-thread SIMD, production build), tiny net: 5 iterations in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${await page.getByTestId('status-its').textContent()} it/s shown`);
      await waitForIter(page, 21, 120_000); // past the first image period (20): the gallery has updated once
      await screenshot(page, 'studio-fallback-wasm');
      await page.screenshot({ path: await screenshot(page, 'studio-fallback-wasm-full'), fullPage: true });
      const pts = await lossPoints(page);
      for (const p of pts) for (const v of Object.values(p.values)) expect(Number.isFinite(v)).toBe(true);
      await page.getByTestId('stop').click();
    }));

  it('a forced WebGPU without an adapter fails with a clear, actionable error', () =>
    withStudio(studio, async ({ page }) => {
      await page.goto(new URL('?backend=webgpu', page.url()).href);
      const banner = page.getByTestId('error-banner');
      await expect.poll(() => banner.textContent(), { timeout: 60_000 }).toMatch(/WebGPU was requested but/);
      expect(await banner.textContent()).toMatch(/Auto/);
      expect(await page.getByTestId('backend-badge').getAttribute('data-backend')).not.toBe('webgpu');
      await screenshot(page, 'studio-webgpu-unavailable');
    }));
});
