/**
 * Checkpoints in the browser (wasm, tiny nets): autosave to IndexedDB every few iterations, reload the page
 * mid-training, accept the resume offer, train on — the losses from k+1 equal an uninterrupted run of the same
 * seed in a fresh profile. Then storage full (a 20 kB quota through the worker's test hook): a clear message, training goes on, the
 * download is offered; a broken file gets a specific message; the downloaded file loads back.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { iterOf, loadDemo, lossPoints, openStudio, screenshot, waitForIter, waitForRestored, withStudio } from './studio';

const WASM = '?backend=wasm';

/** Test-only: the worker is named "…;quota=20000", which its checkpoint store reads as a 20 kB quota (src/io/idb/idbStore.ts). */
const SMALL_QUOTA = `(() => {
  const Base = window.Worker;
  window.Worker = class extends Base {
    constructor(url, opts) {
      super(url, { ...opts, name: ((opts && opts.name) || '') + ';quota=20000' });
    }
  };
})();`;

async function autosaveEvery(page: import('playwright-core').Page, n: number) {
  await page.getByTestId('autosave-mode').selectOption('iters');
  await page.getByTestId('autosave-every').fill(String(n));
  await page.getByTestId('autosave-every').press('Enter');
}

function png(w: number, h: number, seed: number): Buffer {
  const p = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) p.data.set([(x * 8 + seed * 40) % 256, (y * 8) % 256, (seed * 90) % 256, 255], 4 * (y * w + x));
  return PNG.sync.write(p);
}

/** Records every text the status bar's state shows from now on (a MutationObserver in the page). */
async function watchStates(page: import('playwright-core').Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="status-state"]')!;
    const seen: string[] = ((window as unknown as { __states: string[] }).__states = []);
    new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { __states: string[] }).__states);
}

const pause = async (page: import('playwright-core').Page) => {
  await page.getByTestId('pause').click();
  await expect.poll(async () => page.getByTestId('status-state').textContent(), { timeout: 60_000 }).toBe('Paused');
};

describe('checkpoints and resume (wasm)', () => {
  it('reload mid-training → resume offer → the same losses as an uninterrupted run from k+1 on', async () => {
    const first = await openStudio({ query: WASM, webgpu: false });
    let k = 0, resumed: { iter: number; values: Record<string, number> }[] = [];
    await withStudio(first, async ({ page }) => {
      await loadDemo(page);
      await autosaveEvery(page, 4);
      await page.getByTestId('train').click();
      await expect.poll(async () => Number(await page.getByTestId('autosave-status').getAttribute('data-iter')), { timeout: 120_000 }).toBeGreaterThanOrEqual(8);
      await screenshot(page, 'ckpt-autosaved');
      await page.reload(); // mid-training: the worker dies with the page
      const offer = page.getByTestId('resume-offer');
      await expect.poll(() => offer.isVisible(), { timeout: 60_000 }).toBe(true);
      k = Number(await page.getByTestId('resume-iter').textContent());
      expect(k).toBeGreaterThanOrEqual(8); // the last autosave (every 4, or later when the previous write was still busy)
      expect(await offer.textContent()).toMatch(/Demo: .*iteration.*regenerated/);
      await screenshot(page, 'ckpt-resume-offer');
      const states = await watchStates(page);
      await page.getByTestId('resume-accept').click();
      await waitForRestored(page, k);
      expect(await states()).not.toContain('No data'); // "Restoring…" while the images come back, then "Paused"
      expect(await states()).toContain('Restoring…');
      expect((await lossPoints(page)).map((p) => p.iter)).toEqual(Array.from({ length: k }, (_, i) => i + 1)); // the history is back
      await screenshot(page, 'ckpt-resumed');
      await page.getByTestId('ckpt-list').scrollIntoViewIfNeeded();
      await screenshot(page, 'ckpt-panel');
      await page.getByTestId('pause').click(); // a resumed run is paused: the Pause button resumes it
      await waitForIter(page, k + 6);
      await pause(page);
      resumed = (await lossPoints(page)).filter((p) => p.iter > k && p.iter <= k + 6);
    }).finally(() => first.close());

    const fresh = await openStudio({ query: WASM, webgpu: false });
    await withStudio(fresh, async ({ page }) => {
      expect(await page.getByTestId('resume-offer').count()).toBe(0); // a fresh profile has nothing to offer
      await loadDemo(page);
      await page.getByTestId('train').click();
      await waitForIter(page, k + 6);
      await pause(page);
      const straight = (await lossPoints(page)).filter((p) => p.iter > k && p.iter <= k + 6);
      expect(resumed.map((p) => p.iter)).toEqual(straight.map((p) => p.iter));
      expect(resumed.map((p) => p.values)).toEqual(straight.map((p) => p.values));
    }).finally(() => fresh.close());
  });

  it('storage full: the message appears, training goes on, the download works and loads back; a broken file is refused', async () => {
    const studio = await openStudio({ query: WASM, webgpu: false });
    await withStudio(studio, async ({ page }) => {
      // CDP Storage.overrideQuotaForOrigin does not change navigator.storage.estimate() in this Chromium (checked with
      // page- and browser-level sessions): the worker gets a 20 kB quota through the store's test hook instead
      await page.addInitScript(SMALL_QUOTA);
      await page.reload();
      await loadDemo(page);
      await autosaveEvery(page, 3);
      await page.getByTestId('train').click();
      const notice = page.getByTestId('save-failed');
      await expect.poll(() => notice.isVisible(), { timeout: 120_000 }).toBe(true);
      expect(await notice.textContent()).toMatch(/Browser storage is full: the checkpoint at iteration \d+ was not saved \(.* MB needed, 0\.0 MB free\)\. Training goes on/);
      expect(await page.getByTestId('autosave-status').textContent()).toMatch(/Save failed at iteration/);
      const at = await iterOf(page);
      await waitForIter(page, at + 3); // still training
      await screenshot(page, 'ckpt-storage-full');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-failed-download').click()]);
      expect(download.suggestedFilename()).toMatch(/^cyclegan-32px-iter\d+\.ckpt$/);
      const file = join(tmpdir(), download.suggestedFilename());
      await download.saveAs(file);
      await pause(page);

      const bad = join(tmpdir(), 'broken.ckpt');
      writeFileSync(bad, 'CGSCKPT1 but not really');
      const before = await iterOf(page);
      await page.getByTestId('ckpt-file').setInputFiles(bad);
      await expect.poll(() => page.getByTestId('error-banner').textContent(), { timeout: 30_000 }).toMatch(/broken\.ckpt: .*Nothing was changed/);
      expect(await iterOf(page)).toBe(before); // the run is undisturbed

      await page.getByTestId('ckpt-file').setInputFiles(file);
      const saved = Number(/iter(\d+)/.exec(download.suggestedFilename())![1]);
      await waitForRestored(page, saved);
      await page.getByTestId('checkpoints').scrollIntoViewIfNeeded();
      await screenshot(page, 'ckpt-loaded-file');
    }).finally(() => studio.close());
  });

  it('a folder run keeps its decoded images in IndexedDB: after a reload it resumes without the folders', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cyclegan-ckpt-'));
    const studio = await openStudio({ query: WASM, webgpu: false });
    await withStudio(studio, async ({ page }) => {
      for (const [d, name] of [['A', 'horses'], ['B', 'zebras']] as const) {
        const dir = join(root, name);
        mkdirSync(dir);
        for (let i = 0; i < 3; i++) writeFileSync(join(dir, `${name}_${i}.png`), png(40, 40, i + (d === 'B' ? 5 : 0)));
        await page.getByTestId(`pick-${d}`).setInputFiles(dir);
        await expect.poll(async () => (await page.getByTestId(`count-${d}`).textContent())?.trim(), { timeout: 30_000 }).toBe('3');
      }
      for (let i = 0; i < 3; i++) {
        await page.getByTestId('step').click();
        await expect.poll(() => iterOf(page), { timeout: 60_000 }).toBe(i + 1);
      }
      await page.getByTestId('ckpt-save').click();
      await expect.poll(async () => page.getByTestId('autosave-status').textContent(), { timeout: 30_000 }).toMatch(/^Saved at iteration 3/);
      await page.reload();
      const offer = page.getByTestId('resume-offer');
      await expect.poll(() => offer.isVisible(), { timeout: 60_000 }).toBe(true);
      expect(await offer.textContent()).toMatch(/horses \(3\) ↔ .*zebras \(3\).*Its images are saved with it/);
      expect((await page.getByTestId('count-A').textContent())?.trim()).toBe('0'); // nothing loaded after the reload
      await page.getByTestId('resume-accept').click();
      await waitForRestored(page, 3);
      expect((await page.getByTestId('count-A').textContent())?.trim()).toBe('3');
      expect((await page.getByTestId('count-B').textContent())?.trim()).toBe('3');
      await page.getByTestId('step').click();
      await expect.poll(() => iterOf(page), { timeout: 60_000 }).toBe(4);
    }).finally(async () => {
      await studio.close();
      rmSync(root, { recursive: true, force: true });
    });
  });
});
