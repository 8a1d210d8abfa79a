/**
 * Models out and in, the paths a person takes (wasm, TINY nets):
 * - kill the browser mid-training (no pause, nothing flushed), open it again on the same profile: the resume
 *   offer is there, and the resumed run's losses continue exactly as an uninterrupted run of the same seed;
 * - Step G, Save now, reload: the offer says iteration k+1 is half done; resumed, the classroom panel shows it and
 *   Step D completes it;
 * - Export → drop the .zip on Translate: one model with both directions, each the same pixels as the run's;
 *   the training worker crashes (test-only fault) → restarted, and the imported model still translates.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { iterOf, loadDemo, lossPoints, openStudio, screenshot, waitForIter, waitForRestored, withStudio } from './studio';

const WASM = '?backend=wasm';
const state = (page: Page) => page.getByTestId('status-state').textContent();

async function pauseAt(page: Page, n: number) {
  await waitForIter(page, n);
  await page.getByTestId('pause').click();
  await expect.poll(() => state(page), { timeout: 60_000 }).toBe('Paused');
}

/** Drops files on the Translate panel as a person would (a DragEvent with a DataTransfer). */
const drop = (page: Page, files: { name: string; base64?: string; png?: [number, number] }[]) =>
  page.getByTestId('translate-drop').evaluate(async (zone, files) => {
    const dt = new DataTransfer();
    for (const f of files) {
      if (f.base64) dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: 'application/zip' }));
      else {
        const [w, h] = f.png!;
        const c = new OffscreenCanvas(w, h);
        const g = c.getContext('2d')!;
        g.fillStyle = '#2e86c1';
        g.fillRect(0, 0, w, h);
        g.fillStyle = '#f4d03f';
        g.fillRect(w / 4, h / 4, w / 3, h / 2);
        dt.items.add(new File([await c.convertToBlob({ type: 'image/png' })], f.name, { type: 'image/png' }));
      }
    }
    for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, files);

const outputPixels = (page: Page, i: number) =>
  page.getByTestId(`translate-output-${i}`).evaluate((el) => {
    const c = el as HTMLCanvasElement;
    return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
  });
const doneCount = (page: Page) => page.locator('[data-testid="translation"][data-status="done"]').count();

describe('models out and in (wasm)', () => {
  it('kill the browser mid-training, open it again: the resume offer, and the losses continue exactly', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'cyclegan-kill-'));
    let k = 0, before: Awaited<ReturnType<typeof lossPoints>> = [], resumed: typeof before = [];
    try {
      const first = await openStudio({ query: WASM, webgpu: false, profile });
      await withStudio(first, async ({ page }) => {
        await loadDemo(page);
        await page.getByTestId('autosave-mode').selectOption('iters');
        await page.getByTestId('autosave-every').fill('4');
        await page.getByTestId('autosave-every').press('Enter');
        await page.getByTestId('train').click();
        await expect.poll(async () => Number(await page.getByTestId('autosave-status').getAttribute('data-iter')), { timeout: 120_000 }).toBeGreaterThanOrEqual(8);
        before = await lossPoints(page);
        expect(await state(page)).toBe('Training');
      });
      await first.context.close(); // the whole browser goes, mid-iteration: no pause, no last save

      const second = await openStudio({ query: WASM, webgpu: false, profile });
      await withStudio(second, async ({ page }) => {
        const offer = page.getByTestId('resume-offer');
        await expect.poll(() => offer.isVisible(), { timeout: 60_000 }).toBe(true);
        k = Number(await page.getByTestId('resume-iter').textContent());
        expect(k).toBeGreaterThanOrEqual(8); // the last autosave (every 4, or at the next boundary when a write was still busy)
        await screenshot(page, 'models-resume-offer-after-kill');
        await page.getByTestId('resume-accept').click();
        await waitForRestored(page, k);
        const history = await lossPoints(page);
        expect(history.map((p) => p.iter)).toEqual(Array.from({ length: k }, (_, i) => i + 1));
        // the same log as before the kill; the run may have saved again between that read and the kill (k past it)
        const n = Math.min(k, before.length);
        expect(n).toBeGreaterThanOrEqual(8);
        expect(history.slice(0, n).map((p) => p.values)).toEqual(before.slice(0, n).map((p) => p.values));
        await page.getByTestId('pause').click(); // Resume
        await pauseAt(page, k + 6);
        resumed = (await lossPoints(page)).filter((p) => p.iter > k && p.iter <= k + 6);
        await screenshot(page, 'models-resumed-after-kill');
      }).finally(() => second.close());
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }

    const fresh = await openStudio({ query: WASM, webgpu: false });
    await withStudio(fresh, async ({ page }) => {
      await loadDemo(page);
      await page.getByTestId('train').click();
      await pauseAt(page, k + 6);
      const straight = (await lossPoints(page)).filter((p) => p.iter > k && p.iter <= k + 6);
      expect(resumed.map((p) => p.iter)).toEqual(Array.from({ length: 6 }, (_, i) => k + 1 + i));
      expect(resumed.map((p) => p.values)).toEqual(straight.map((p) => p.values));
    }).finally(() => fresh.close());
  });

  it('Export → the .zip dropped on Translate is one model, both ways; after a worker crash it still translates', async () => {
    const studio = await openStudio({ query: `${WASM}&faults=1`, webgpu: false });
    await withStudio(studio, async ({ page }) => {
      await loadDemo(page);
      for (let i = 1; i <= 2; i++) {
        await page.getByTestId('step').click();
        await expect.poll(() => iterOf(page), { timeout: 60_000 }).toBe(i);
      }
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export').click()]);
      const name = download.suggestedFilename();
      expect(name).toBe('cyclegan-apples-oranges-iter2.zip');
      await expect.poll(() => page.getByTestId('export-done').textContent()).toContain(name);
      await page.getByTestId('export').scrollIntoViewIfNeeded();
      await screenshot(page, 'models-export-done');

      await drop(page, [{ name, base64: readFileSync((await download.path())!).toString('base64') }, { name: 'photo.png', png: [45, 30] }]);
      await expect.poll(() => page.getByTestId('imported-model').count(), { timeout: 30_000 }).toBe(1);
      expect(await page.getByTestId('imported-pair').textContent()).toBe('Translates both ways: G_A apples → oranges and G_B oranges → apples — pick the direction above');
      expect(await page.getByTestId('translate-source').inputValue()).not.toBe('run');
      await expect.poll(() => doneCount(page), { timeout: 60_000 }).toBe(1); // the image in the same drop, with the import
      expect(await page.getByTestId('translation').first().textContent()).toContain(`${name}: G_A (A → B)`);
      await page.getByTestId('translate-BtoA').click();
      await page.getByTestId('translate-again').click();
      await expect.poll(async () => page.getByTestId('translation').first().textContent(), { timeout: 60_000 }).toContain(`${name}: G_B (B → A)`);
      const viaZip = await outputPixels(page, 0);
      await page.getByTestId('translate').scrollIntoViewIfNeeded();
      await screenshot(page, 'models-translate-export-zip');

      // the test-only crash, sent to the current worker: the studio restarts it and loads the model into it again
      await page.evaluate(() => (window as unknown as { __e2e: { worker: Worker } }).__e2e.worker.postMessage({ id: 2e9, request: { kind: 'injectFault', fault: 'crash' } }));
      const banner = page.getByTestId('recovery-banner');
      await expect.poll(async () => `${await banner.getAttribute('data-kind')}/${await banner.getAttribute('data-phase')}`, { timeout: 90_000 }).toBe('crash/done');
      expect(await page.getByTestId('translate-notice').textContent()).toBe('The training worker was restarted; the imported generator was loaded into it again.');
      expect(await page.getByTestId('imported-model').count()).toBe(1);
      await page.getByTestId('translate-again').click();
      await expect.poll(() => doneCount(page), { timeout: 60_000 }).toBe(1);
      expect(await page.getByTestId('translate-error').count()).toBe(0);
      expect(await outputPixels(page, 0)).toEqual(viaZip); // the same generator, in the new worker
      await page.getByTestId('translate').scrollIntoViewIfNeeded();
      await screenshot(page, 'models-translate-after-crash');
    }).finally(() => studio.close());
  });

  it('a save between Step G and Step D: after a reload the offer says so, and Step D finishes that iteration', async () => {
    const studio = await openStudio({ query: WASM, webgpu: false });
    await withStudio(studio, async ({ page }) => {
      await loadDemo(page);
      await page.getByTestId('step').click();
      await expect.poll(() => iterOf(page), { timeout: 60_000 }).toBe(1);
      await page.getByTestId('step-G').click();
      await expect.poll(() => page.getByTestId('cls-progress').textContent(), { timeout: 60_000 }).toMatch(/Half done: Step D finishes iteration 2/);
      await page.getByTestId('ckpt-save').click();
      await expect.poll(async () => page.getByTestId('autosave-status').textContent(), { timeout: 30_000 }).toMatch(/^Saved at iteration 1/);
      await page.reload();
      const offer = page.getByTestId('resume-offer');
      await expect.poll(() => offer.isVisible(), { timeout: 60_000 }).toBe(true);
      expect(await offer.textContent()).toContain('Iteration 2 was half done (Step G ran): Step D or Step both finishes it.');
      await screenshot(page, 'models-resume-offer-half-step');
      await page.getByTestId('resume-accept').click();
      await waitForRestored(page, 1);
      await expect.poll(() => page.getByTestId('cls-progress').textContent(), { timeout: 10_000 }).toMatch(/Half done: Step D finishes iteration 2/);
      await page.getByTestId('classroom').scrollIntoViewIfNeeded();
      await screenshot(page, 'models-resumed-half-step');
      await page.getByTestId('step-D').click();
      await expect.poll(() => iterOf(page), { timeout: 60_000 }).toBe(2);
      expect(await page.getByTestId('cls-changes').textContent()).toMatch(/Step D · iteration 2/);
      expect(await page.getByTestId('cls-changes').getAttribute('data-complete')).toBe('true');
      expect((await lossPoints(page)).map((p) => p.iter)).toEqual([1, 2]);
    }).finally(() => studio.close());
  });
});
