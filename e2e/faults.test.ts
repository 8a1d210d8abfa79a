/**
 * Faults during training, end to end in Chromium (production build, ?faults=1 enables TEST-ONLY injection):
 * a NaN is rolled back and training goes on; a crashed, a stuck and a GPU-less worker are restarted and training
 * resumes — and the page says what happened in plain words each time.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iterOf, loadDemo, openStudio, screenshot, waitForIter, withStudio, type Studio } from './studio';

/** Keeps every Worker the page makes, so the test can post an injectFault request to the current one. */
const RECORD_WORKERS = `(() => {
  const Base = window.Worker;
  window.__workers = [];
  window.Worker = class extends Base {
    constructor(url, opts) { super(url, opts); window.__workers.push(this); }
  };
  let id = 1e9;
  window.__inject = (fault) => window.__workers.at(-1).postMessage({ id: id++, request: { kind: 'injectFault', fault } });
})();`;

async function open(query: string, webgpu: boolean): Promise<Studio> {
  const s = await openStudio({ query, webgpu });
  await s.page.addInitScript(RECORD_WORKERS);
  await s.page.reload();
  return s;
}
const inject = (page: Page, fault: string) => page.evaluate((f) => (window as unknown as { __inject: (f: string) => void }).__inject(f), fault);
const workers = (page: Page) => page.evaluate(() => (window as unknown as { __workers: unknown[] }).__workers.length);
const banner = (page: Page) => page.getByTestId('recovery-banner');
const text = async (page: Page, id: string) => (await page.getByTestId(id).textContent()) ?? '';

/** Waits for the banner to report `kind` as done; returns its title and message. */
async function recovered(page: Page, kind: string): Promise<{ title: string; message: string }> {
  await expect.poll(async () => `${await banner(page).getAttribute('data-kind')}/${await banner(page).getAttribute('data-phase')}`, { timeout: 90_000 }).toBe(`${kind}/done`);
  return { title: await text(page, 'recovery-title'), message: await text(page, 'recovery-message') };
}

describe('faults on wasm', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await open('?backend=wasm&faults=1', false);
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('a NaN weight: paused, rolled back to the last good iteration (charts too), and training continues', () =>
    withStudio(studio, async ({ page }) => {
      await loadDemo(page);
      await page.getByTestId('train').click();
      await waitForIter(page, 53, 180_000); // past the first periodic last-good capture (every 50)
      await inject(page, 'nan');
      const { title, message } = await recovered(page, 'diverged');
      const [, at, back] = /diverged at iteration (\d+) — paused, rolled back to iteration (\d+)/.exec(title) ?? [];
      expect(Number(back)).toBeGreaterThanOrEqual(50);
      expect(Number(back) % 50).toBe(0);
      expect(Number(at)).toBeGreaterThan(Number(back));
      expect(message).toMatch(/non-finite weights.*lower the learning rate/);
      expect(await text(page, 'status-state')).toMatch(/paused/i);
      expect(await iterOf(page)).toBe(Number(back));
      await screenshot(page, 'faults-nan-rolled-back');

      await page.getByTestId('recovery-halve-lr').click();
      await waitForIter(page, Number(back) + 3, 60_000);
      expect(await text(page, 'status-state')).toMatch(/training/i);
    }));

  it('a crashed worker: the page says so, restarts it, and training resumes from the last good state', () =>
    withStudio(studio, async ({ page }) => {
      const before = await workers(page);
      await inject(page, 'crash');
      const { title, message } = await recovered(page, 'crash');
      expect(title).toBe('The training worker crashed — restarted, training resumed');
      expect(message).toMatch(/crashed \(.*injected fault.*\).*restarted the training worker on WebAssembly \(wasm\), loaded the images again, and training resumed from iteration (\d+)/);
      const from = Number(/resumed from iteration (\d+)/.exec(message)![1]);
      expect(from % 50).toBe(0);
      expect(await workers(page)).toBe(before + 1);
      await waitForIter(page, from + 3, 60_000);
      await screenshot(page, 'faults-crash-restarted');
    }));

  it('a worker that stops answering: the watchdog notices, and the run goes on in a fresh one', () =>
    withStudio(studio, async ({ page }) => {
      await inject(page, 'hang');
      const { title, message } = await recovered(page, 'hang');
      expect(title).toBe('The training worker stopped answering — restarted, training resumed');
      // a stuck worker hands nothing over: the run's last autosave (IndexedDB) if there is one, else iteration 0
      expect(message).toMatch(/no reply for [\d.]+ s.*training (started again from iteration 0|resumed from iteration \d+, the last autosave)/);
      const from = Number(/resumed from iteration (\d+)/.exec(message)?.[1] ?? 0);
      await waitForIter(page, from + 3, 60_000);
    }));
});

describe('WebGPU device loss', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await open('?backend=webgpu&faults=1', true);
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('the real device.lost: restarted on wasm (and it says why), training resumes', () =>
    withStudio(studio, async ({ page }) => {
      await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), { timeout: 60_000 }).toBe('webgpu');
      await loadDemo(page);
      await page.getByTestId('train').click();
      await waitForIter(page, 2, 180_000);
      await inject(page, 'deviceLost');
      const { title, message } = await recovered(page, 'deviceLost');
      expect(title).toBe('The GPU stopped working (device lost) — restarted, training resumed');
      expect(message).toMatch(/^The GPU device was lost \(destroyed.*on WebAssembly \(wasm\) — the GPU is what failed.*training resumed from iteration 0/);
      expect(await page.getByTestId('backend-badge').getAttribute('data-backend')).toBe('wasm');
      expect(await text(page, 'backend-reason')).toMatch(/^WebAssembly — moved here after the WebGPU device was lost/); // not "as requested"
      await waitForIter(page, 3, 60_000);
      await screenshot(page, 'faults-device-lost');
    }));
});
