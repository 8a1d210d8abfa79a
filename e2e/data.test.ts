/** Getting images in: the demo, a folder through the directory picker, and a drop of files. */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canvasStats, loadDemo, openStudio, withStudio, type Studio } from './studio';

let studio: Studio;
beforeAll(async () => {
  studio = await openStudio({ query: '?backend=wasm', shrink: null });
});
afterAll(async () => {
  await studio?.close();
});

function png(w: number, h: number, seed: number): Buffer {
  const p = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) p.data.set([(x * 8 + seed * 40) % 256, (y * 8) % 256, (seed * 90) % 256, 255], 4 * (y * w + x));
  return PNG.sync.write(p);
}

const thumbCount = (id: string) => studio.page.getByTestId(id).locator('img, canvas').count();

describe('data in', () => {
  it('loads the built-in demo domains with one click (40 + 40 images, thumbnails drawn)', () =>
    withStudio(studio, async ({ page }) => {
      await loadDemo(page, 'apples2oranges');
      expect(await thumbCount('thumbs-A')).toBeGreaterThan(0);
      expect(await thumbCount('thumbs-B')).toBeGreaterThan(0);
      const firstThumb = page.getByTestId('thumbs-A').locator('img, canvas').first();
      if ((await firstThumb.evaluate((e) => e.tagName)) === 'CANVAS') {
        await firstThumb.evaluate((e) => e.setAttribute('data-testid', 'e2e-thumb'));
        const s = await canvasStats(page, 'e2e-thumb');
        expect(s.std).toBeGreaterThan(10); // a picture, not a blank
      }
      await page.getByTestId('demo-select').selectOption('summer2winter');
      await page.getByTestId('load-demo').click();
      await expect.poll(() => page.getByTestId('domain-B').textContent(), { timeout: 30_000 }).toMatch(/winter/i);
      expect((await page.getByTestId('count-B').textContent())?.trim()).toBe('40');
    }));

  it('loads a real folder through the directory picker, listing the non-image file as skipped with its reason', () =>
    withStudio(studio, async ({ page }) => {
      const root = mkdtempSync(join(tmpdir(), 'cyclegan-folder-'));
      const dir = join(root, 'horses');
      mkdirSync(dir);
      try {
        for (let i = 0; i < 3; i++) writeFileSync(join(dir, `horse_${i}.png`), png(40 + 8 * i, 32, i));
        writeFileSync(join(dir, 'notes.txt'), 'not a picture');
        await page.getByTestId('pick-A').setInputFiles(dir);
        await expect.poll(async () => (await page.getByTestId('count-A').textContent())?.trim(), { timeout: 30_000 }).toBe('3');
        const skipped = await page.getByTestId('skipped-A').locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('title') ?? ''));
        expect(skipped).toHaveLength(1);
        expect(skipped[0]).toMatch(/notes\.txt\s+—\s+not an image/);
        expect(await thumbCount('thumbs-A')).toBe(3);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }));

  it('loads files dropped onto a domain panel (a DataTransfer built in the page)', () =>
    withStudio(studio, async ({ page }) => {
      await page.getByTestId('drop-B').evaluate(async (zone) => {
        const dt = new DataTransfer();
        for (let i = 0; i < 4; i++) {
          const c = new OffscreenCanvas(48, 40);
          const g = c.getContext('2d')!;
          g.fillStyle = `hsl(${i * 80}, 70%, 50%)`;
          g.fillRect(0, 0, 48, 40);
          g.fillStyle = '#fff';
          g.fillRect(8 + i * 4, 8, 16, 16);
          dt.items.add(new File([await c.convertToBlob({ type: 'image/png' })], `zebra_${i}.png`, { type: 'image/png' }));
        }
        dt.items.add(new File(['{}'], 'meta.json', { type: 'application/json' }));
        for (const type of ['dragenter', 'dragover', 'drop'])
          zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      });
      await expect.poll(async () => (await page.getByTestId('count-B').textContent())?.trim(), { timeout: 30_000 }).toBe('4');
      const skipped = await page.getByTestId('skipped-B').locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('title') ?? ''));
      expect(skipped).toEqual([expect.stringMatching(/meta\.json\s+—\s+not an image/)]);
      await page.getByTestId('clear-B').click();
      await expect.poll(async () => (await page.getByTestId('count-B').textContent())?.trim() ?? '0', { timeout: 10_000 }).toMatch(/^0?$/);
    }));
});
