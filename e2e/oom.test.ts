/**
 * Out of memory on wasm, end to end in Chromium (production build):
 * - before Train: a configuration the estimate says cannot fit (here the Paper preset with a huge image pool, set
 *   in the settings) gets a notice saying so, with the largest preset that fits one click away — Train stays
 *   possible, since the estimate is an estimate;
 * - a real out-of-memory (not an injected fault): the engine is sent a configuration whose first conv output
 *   alone is 3.7 GB (1832 px, ngf 288, 1 block), so the first iteration fails in the 4 GB wasm heap. The studio
 *   must say "Out of memory" with the sizes, restart its worker, and offer a smaller preset — not a generic error.
 *   The UI offers no such size, so the sizes travel as the e2e tap's others do (studio.ts: the UI flow stays real,
 *   only the configuration the engine receives changes), and only until the out-of-memory has happened.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleGANConfig } from '../src/config';
import { loadDemo, openStudio, screenshot, withStudio, type Studio } from './studio';

const TOO_BIG: Partial<CycleGANConfig> = { loadSize: 1832, cropSize: 1832, ngf: 288, nBlocks: 1, ndf: 16 };

/** While window.__grow is true, every `configure` the page sends asks for TOO_BIG. */
const GROW = `(() => {
  window.__grow = true;
  const Base = window.Worker;
  window.Worker = class extends Base {
    postMessage(msg, ...rest) {
      if (window.__grow && msg && msg.request && msg.request.kind === 'configure')
        msg = { ...msg, request: { ...msg.request, config: { ...msg.request.config, ...${JSON.stringify(TOO_BIG)} } } };
      return super.postMessage(msg, ...rest);
    }
  };
})();`;

function png(seed: number): Buffer {
  const p = new PNG({ width: 40, height: 36 });
  for (let i = 0; i < 40 * 36; i++) p.data.set([(i * 7 + seed * 50) % 256, (i * 3) % 256, seed * 90, 255], 4 * i);
  return PNG.sync.write(p);
}

describe('before Train: a configuration that cannot fit', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await openStudio({ query: '?backend=wasm&preset=paper', webgpu: false, shrink: null });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('says what it needs and what wasm holds, offers the largest preset that fits, and leaves Train enabled', () =>
    withStudio(studio, async ({ page }) => {
      await loadDemo(page);
      await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), { timeout: 60_000 }).toBe('wasm');
      expect(await page.getByTestId('memory-notice').count()).toBe(0); // the Paper preset fits
      await page.getByTestId('cfg-poolSize').fill('10000'); // the most it takes: 20,000 stored fakes of 256×256 once the pool is full
      const message = page.getByTestId('memory-message');
      await expect.poll(() => message.textContent()).toMatch(
        /^This configuration \(256 px, ngf 64, 9 blocks, ndf 64\) needs about [\d.]+ GB to train, most of it the image pool once full \(10000 fakes per domain\), by our estimate; WebAssembly can hold 4 GB\. The largest preset that fits is Classroom — 64 px.*Train anyway/,
      );
      expect(await page.getByTestId('train').isEnabled()).toBe(true);
      await screenshot(page, 'oom-preflight');
      await page.getByTestId('memory-use-preset').click();
      expect(await page.getByTestId('preset').inputValue()).toBe('classroom');
      expect(await page.getByTestId('memory-notice').count()).toBe(0);
    }));
});

describe('a real out-of-memory on wasm', () => {
  let studio: Studio;
  let folder = '';
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'cyclegan-oom-'));
    for (const d of ['A', 'B']) {
      mkdirSync(join(folder, d));
      writeFileSync(join(folder, d, `${d}.png`), png(d === 'A' ? 1 : 2)); // one image each: resizing to 1832 px is slow in JS
    }
    studio = await openStudio({ query: '?backend=wasm&preset=paper', webgpu: false, shrink: null });
    await studio.page.addInitScript(GROW);
    await studio.page.reload();
  });
  afterAll(async () => {
    await studio?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('the studio says "Out of memory" with the sizes, restarts, and offers a smaller preset — not a generic error', () =>
    withStudio(studio, async ({ page }) => {
      for (const d of ['A', 'B']) {
        await page.getByTestId(`pick-${d}`).setInputFiles(join(folder, d));
        await expect.poll(async () => (await page.getByTestId(`count-${d}`).textContent())?.trim(), { timeout: 30_000 }).toBe('1');
      }
      const t0 = Date.now();
      await page.getByTestId('train').click();
      const banner = page.getByTestId('recovery-banner');
      await expect.poll(async () => `${await banner.getAttribute('data-kind')}/${await banner.getAttribute('data-phase')}`, { timeout: 150_000 }).toBe('oom/done');
      console.log(`e2e: out of memory recovered ${((Date.now() - t0) / 1000).toFixed(1)} s after Train`);
      expect(await page.getByTestId('recovery-title').textContent()).toBe('Out of memory — restarted');
      const message = (await page.getByTestId('recovery-message').textContent()) ?? '';
      expect(message).toMatch(/^The wasm backend ran out of memory training 1832 px, ngf 288, 1 block, ndf 16 \((OutOfMemoryError|RuntimeError): .*\)\. By estimate, this configuration needs about [\d.]+ GB; wasm holds 4 GB at most\./);
      expect(message).toMatch(/restarted the training worker on WebAssembly \(wasm\).*nothing had been trained yet.*would run out of memory again/);
      expect(await page.getByTestId('error-banner').count()).toBe(0); // no "The training engine reported an error"
      const smaller = page.getByTestId('recovery-smaller');
      // the page believes it runs the Paper preset (the sizes came from the tap): smaller than that is Standard
      expect(await smaller.textContent()).toBe('Train with the smaller preset: Standard — 128 px, ngf 64, 6 blocks');
      expect(await page.getByTestId('status-state').textContent()).not.toMatch(/training/i);
      await screenshot(page, 'oom-real-wasm');

      // the restarted worker is usable: the offered preset trains
      await page.evaluate(() => ((window as unknown as { __grow: boolean }).__grow = false));
      await smaller.click();
      await expect.poll(() => page.getByTestId('status-state').textContent(), { timeout: 60_000 }).toMatch(/training/i);
      expect(await page.getByTestId('preset').inputValue()).toBe('standard');
      expect(await page.getByTestId('recovery-banner').count()).toBe(0);
      expect(await page.getByTestId('error-banner').count()).toBe(0);
    }));
});
