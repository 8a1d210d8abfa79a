/**
 * Translate, end to end (wasm, TINY nets): train the demo two iterations, drop a non-square PNG on the panel,
 * check the output's size and pixels and its PNG download (one, then all as a zip); import an official-format
 * PyTorch .pth (fixtures/pth/g_zip.pth) and check its output on fixtures/pth/translate_in.png against PyTorch's
 * own (scripts/make_pth_fixtures.py); a hostile .pth shows its error in the panel and nothing else changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTensor, loadFixture } from '../src/parity/loadFixture';
import { canvasStats, iterOf, loadDemo, openStudio, screenshot, withStudio, type Studio } from './studio';

const PTH = join(import.meta.dirname, '..', 'fixtures', 'pth');

let studio: Studio;
beforeAll(async () => {
  studio = await openStudio({ query: '?backend=wasm' });
});
afterAll(async () => {
  await studio?.close();
});

/** The canvas's RGBA bytes (drawn with putImageData, opaque: read back exactly). */
const pixelsOf = (page: Page, testid: string) =>
  page.getByTestId(testid).evaluate((el) => {
    const c = el as HTMLCanvasElement;
    return { width: c.width, height: c.height, rgba: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data) };
  });

/** Drops PNGs made in the page (w×h, a gradient and a square) on the Translate panel. */
const dropPngs = (page: Page, sizes: [number, number][]) =>
  page.getByTestId('translate-drop').evaluate(async (zone, sizes) => {
    const dt = new DataTransfer();
    for (const [i, [w, h]] of sizes.entries()) {
      const c = new OffscreenCanvas(w, h);
      const g = c.getContext('2d')!;
      const grad = g.createLinearGradient(0, 0, w, h);
      grad.addColorStop(0, '#c0392b');
      grad.addColorStop(1, '#2e86c1');
      g.fillStyle = grad;
      g.fillRect(0, 0, w, h);
      g.fillStyle = '#f4d03f';
      g.fillRect(w / 4, h / 4, w / 3, h / 2);
      dt.items.add(new File([await c.convertToBlob({ type: 'image/png' })], `photo_${i}.png`, { type: 'image/png' }));
    }
    for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, sizes);

const doneCount = (page: Page) => page.locator('[data-testid="translation"][data-status="done"]').count();

describe('translate', () => {
  it("translates dropped images with the run's generators; the outputs download as PNG and as a zip", () =>
    withStudio(studio, async ({ page }) => {
      await loadDemo(page);
      await page.getByTestId('step').click();
      await expect.poll(() => iterOf(page), { timeout: 60_000 }).toBe(1);
      await page.getByTestId('step').click();
      await expect.poll(() => iterOf(page), { timeout: 60_000 }).toBe(2);

      await dropPngs(page, [[90, 50]]);
      await expect.poll(() => doneCount(page), { timeout: 60_000 }).toBe(1);
      const meta = await page.getByTestId('translation').first().textContent();
      expect(meta).toContain('90×50 → 88×48'); // rounded to multiples of 4, as Python rounds 12.5 → 12
      expect(meta).toContain('G_A of the run, iteration 2');
      const out = await canvasStats(page, 'translate-output-0');
      expect([out.width, out.height]).toEqual([88, 48]);
      expect(out.std).toBeGreaterThan(2); // not blank
      expect(out.colours).toBeGreaterThan(50);
      expect((await canvasStats(page, 'translate-input-0')).std).toBeGreaterThan(20);

      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId('translate-download').first().click()]);
      expect(download.suggestedFilename()).toBe('photo_0_fake_B.png');
      const png = PNG.sync.read(readFileSync((await download.path())!));
      const shown = await pixelsOf(page, 'translate-output-0');
      expect([png.width, png.height]).toEqual([88, 48]);
      expect(Array.from(png.data)).toEqual(shown.rgba); // the file is what the panel shows

      await page.getByTestId('translate-BtoA').click();
      await dropPngs(page, [[40, 64]]);
      await expect.poll(() => doneCount(page), { timeout: 60_000 }).toBe(2);
      expect(await page.getByTestId('translation').nth(1).textContent()).toContain('G_B of the run, iteration 2');
      const [zip] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId('translate-zip').click()]);
      expect(zip.suggestedFilename()).toBe('translations.zip');
      const files = unzipSync(readFileSync((await zip.path())!));
      expect(Object.keys(files).sort()).toEqual(['photo_0_fake_A.png', 'photo_0_fake_B.png']);
      expect(PNG.sync.read(Buffer.from(files['photo_0_fake_A.png'])).width).toBe(40);
      await page.getByTestId('translate').scrollIntoViewIfNeeded();
      await screenshot(page, 'translate-run');

      // while training: a big image is bounded to 1024 px, translated between iterations, and training goes on
      await page.getByTestId('pause').click(); // Resume: the run was stepped twice
      await expect.poll(() => iterOf(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(4);
      await dropPngs(page, [[1400, 700]]);
      await expect.poll(() => doneCount(page), { timeout: 120_000 }).toBe(3);
      const big = await page.getByTestId('translation').nth(2).textContent();
      expect(big).toContain('1400×700 → 1024×512');
      const during = Number(/G_B of the run, iteration (\d+)/.exec(big ?? '')?.[1]);
      expect(during).toBeGreaterThanOrEqual(4);
      await expect.poll(() => iterOf(page), { timeout: 60_000 }).toBeGreaterThan(during + 1);
      expect(await page.getByTestId('status-state').textContent()).toMatch(/training/i);
      await page.getByTestId('pause').click();
      await expect.poll(() => page.getByTestId('status-state').textContent(), { timeout: 30_000 }).toMatch(/paused/i);
      expect((await canvasStats(page, 'translate-output-2')).width).toBe(1024);
      await page.getByTestId('translation').nth(2).scrollIntoViewIfNeeded();
      await screenshot(page, 'translate-big');

      // "Refresh while training": the next visuals translate the images again with the newer weights
      const iterOfRow = async () => Number(/of the run, iteration (\d+)/.exec((await page.getByTestId('translation').first().textContent()) ?? '')?.[1]);
      expect(await iterOfRow()).toBe(2);
      await page.getByTestId('translate-follow').check();
      await page.getByTestId('pause').click(); // resume
      await expect.poll(iterOfRow, { timeout: 120_000 }).toBeGreaterThan(during);
      await page.getByTestId('pause').click();
      await expect.poll(() => page.getByTestId('status-state').textContent(), { timeout: 30_000 }).toMatch(/paused/i);
      await page.getByTestId('translate-follow').uncheck();
      await expect.poll(() => doneCount(page), { timeout: 60_000 }).toBe(3); // the last pass has finished
      expect(await page.getByTestId('error-banner').count()).toBe(0);
    }));

  it('imports an official PyTorch generator and translates like PyTorch; a hostile .pth is refused in the panel', () =>
    withStudio(studio, async ({ page }) => {
      await page.getByTestId('translate-clear').click();
      await page.getByTestId('translate-import').setInputFiles(join(PTH, 'g_zip.pth'));
      await expect.poll(() => page.getByTestId('imported-model').count(), { timeout: 30_000 }).toBe(1);
      const card = await page.getByTestId('imported-model').textContent();
      expect(card).toContain('g_zip.pth');
      expect(card).toMatch(/ngf 4 · 2 blocks · 13,379 parameters/);
      expect(card).toContain('A → B (G_A)');
      expect(await page.getByTestId('translate-source').inputValue()).not.toBe('run'); // the import is in use

      await page.getByTestId('translate-pick').setInputFiles(join(PTH, 'translate_in.png'));
      await expect.poll(() => doneCount(page), { timeout: 60_000 }).toBe(1);
      const fixture = loadFixture('expected', PTH);
      const x = getTensor(fixture, 'translate_in/input'); // [1, 3, 24, 44] NCHW, what PyTorch fed its generator
      const y = getTensor(fixture, 'translate_in/output');
      const [, , h, w] = y.shape;
      const input = await pixelsOf(page, 'translate-input-0');
      const output = await pixelsOf(page, 'translate-output-0');
      expect([output.width, output.height]).toEqual([w, h]); // 45×26 → 44×24
      let worstIn = 0, worstOut = 0;
      for (let c = 0; c < 3; c++)
        for (let i = 0; i < h * w; i++) {
          worstIn = Math.max(worstIn, Math.abs(input.rgba[4 * i + c] - (x.data[c * h * w + i] + 1) * 127.5));
          worstOut = Math.max(worstOut, Math.abs(output.rgba[4 * i + c] - (y.data[c * h * w + i] + 1) * 127.5));
        }
      expect(worstIn).toBeLessThan(1e-3); // the same bytes (PIL-exact bicubic resize in the page)
      expect(worstOut).toBeLessThanOrEqual(0.5 + 127.5e-4); // PyTorch's float output within 1e-4, then rounded to a byte
      console.log(`page vs PyTorch: max |byte − (y+1)·127.5| = ${worstOut.toFixed(4)}`);

      const iter = await iterOf(page);
      await page.getByTestId('translate-import').setInputFiles(join(PTH, 'hostile.pth'));
      await expect.poll(() => page.getByTestId('translate-import-error').textContent(), { timeout: 30_000 }).toMatch(/hostile\.pth: .*forbidden global 'posix\.system'.*nothing was executed/);
      expect(await page.getByTestId('imported-model').count()).toBe(1);
      expect(await page.getByTestId('error-banner').count()).toBe(0);
      await page.getByTestId('translate-again').click(); // the import still translates …
      await expect.poll(() => doneCount(page), { timeout: 60_000 }).toBe(1);
      expect((await pixelsOf(page, 'translate-output-0')).rgba).toEqual(output.rgba);
      await page.getByTestId('step').click(); // … and training goes on
      await expect.poll(() => iterOf(page), { timeout: 60_000 }).toBe(iter + 1);
      await page.getByTestId('translate').scrollIntoViewIfNeeded();
      await screenshot(page, 'translate-import');
    }));
});
