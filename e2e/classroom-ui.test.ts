/**
 * Classroom mode, the UI side (issue 6), on wasm with tiny networks: a teacher's prepared link opens the studio in
 * its state and round-trips; P toggles presenter mode, which hides the advanced controls and fits a projector at
 * 1024×768 and 1920×1080 (screenshots in .tmp/); the timeline keeps its bound, scrubs back, plays and exports; live
 * changes while training, a pause and the start of the lr decay are marked on the loss charts.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SNAPSHOTS } from '../app/store/timeline';
import { parse } from '../app/store/url';
import { sheetLayout } from '../app/timeline/sheet';
import { TINY, iterOf, lossPoints, openStudio, waitForIter, withStudio, type Studio } from './studio';

const SHOTS = resolve(import.meta.dirname, '..', '.tmp');
mkdirSync(SHOTS, { recursive: true });

const opened: Studio[] = [];
async function open(query: string, shrink?: null): Promise<Studio> {
  const s = await openStudio({ query, shrink });
  opened.push(s);
  return s;
}
afterAll(async () => {
  for (const s of opened) await s.close();
});

const stateOf = (page: Page) => parse(new URL(page.url()).search).state;
const count = async (page: Page, testid: string, attr: string) => Number(await page.getByTestId(testid).getAttribute(attr));

describe('a prepared lesson link', () => {
  const LINK = '?preset=classroom&seed=7&demo=summer2winter&backend=wasm&hide=settings,data&presenter=1';

  it('opens in its state, P leaves presenter mode, and the share link round-trips', async () => {
    const studio = await open(LINK);
    await withStudio(studio, async ({ page, context }) => {
      await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), { timeout: 60_000 }).toBe('wasm');
      expect(await page.locator('.studio.presenter').count()).toBe(1);
      // the demo was loaded by the link itself (the data panels are hidden): the engine says the run is ready
      await expect.poll(() => page.getByTestId('status-state').textContent(), { timeout: 60_000 }).toBe('Ready');
      expect(await page.locator('.sidebar').isVisible()).toBe(false);
      expect(await page.getByTestId('presenter-hint').isVisible()).toBe(true);
      expect(stateOf(page)).toEqual(parse(LINK).state); // the address bar still is the link

      await page.keyboard.press('p');
      expect(await page.locator('.studio.presenter').count()).toBe(0);
      expect(await page.getByTestId('presenter-toggle').getAttribute('aria-pressed')).toBe('false');
      expect(await page.getByTestId('share-panel').isVisible()).toBe(true);
      expect(await page.getByTestId('load-demo').count()).toBe(0); // still hidden for class
      expect(await page.getByTestId('cfg-seed').count()).toBe(0);
      expect(stateOf(page).presenter).toBe(false);

      // the teacher shows the settings again and hides the timeline; the link follows
      await page.getByTestId('hide-settings').uncheck();
      await page.getByTestId('hide-timeline').check();
      expect(await page.getByTestId('cfg-seed').inputValue()).toBe('7');
      expect(await page.getByTestId('timeline').count()).toBe(0);
      const link = await page.getByTestId('share-link').inputValue();
      const shared = parse(new URL(link).search).state;
      expect(shared).toEqual({ ...parse(LINK).state, presenter: false, hide: ['data', 'timeline'] });
      expect(stateOf(page)).toEqual(shared);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
      await page.getByTestId('copy-link').click();
      await expect.poll(() => page.getByTestId('copy-link').textContent()).toMatch(/Copied/);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

      // the link opens the same studio elsewhere
      const other = await context.newPage();
      await other.goto(link);
      await expect.poll(() => other.getByTestId('status-state').textContent(), { timeout: 60_000 }).toBe('Ready');
      expect(await other.getByTestId('cfg-seed').inputValue()).toBe('7');
      expect(await other.getByTestId('preset').inputValue()).toBe('classroom');
      expect(await other.getByTestId('timeline').count()).toBe(0);
      expect(await other.getByTestId('load-demo').count()).toBe(0);
      expect(await other.getByTestId('backend-badge').getAttribute('data-backend')).toBe('wasm');
      expect(stateOf(other)).toEqual(shared);
      await other.close();
    });
  });
});

describe('a prepared link reproduces the run', () => {
  // the real Classroom preset (no shrinking): what the class sees is what the teacher prepared
  const LESSON = '?preset=classroom&seed=7&demo=apples2oranges&backend=wasm&autostart=1';
  const firstLosses = async (query: string, n: number) => {
    const studio = await open(query, null);
    return withStudio(studio, async ({ page }) => {
      await waitForIter(page, n, 180_000);
      await page.getByTestId('pause').click();
      expect(await page.getByTestId('backend-badge').getAttribute('data-backend')).toBe('wasm');
      // everything but `ms` (wall time): iteration, epoch, lr and the eight losses
      const points = (await lossPoints(page)).slice(0, n).map((p) => ({ ...p, ms: undefined }));
      await studio.close();
      opened.splice(opened.indexOf(studio), 1);
      return points;
    });
  };

  it('opening the same link twice (fresh browser profiles) gives the same losses, exactly; another seed does not', async () => {
    const first = await firstLosses(LESSON, 2);
    const second = await firstLosses(LESSON, 2);
    expect(first.map((p) => p.iter)).toEqual([1, 2]);
    expect(second).toEqual(first); // every loss of every iteration, bit for bit
    const other = await firstLosses(LESSON.replace('seed=7', 'seed=8'), 1);
    expect(other[0].values).not.toEqual(first[0].values); // the seed in the link is what makes it the same run
  });
});

describe('training in class', () => {
  it('timeline keeps its bound, markers for a live lr change and a pause, presenter mode fits a projector', async () => {
    const studio = await open('?backend=wasm&demo=apples2oranges');
    await withStudio(studio, async ({ page }) => {
      await expect.poll(() => page.getByTestId('status-state').textContent(), { timeout: 60_000 }).toBe('Ready');
      await page.getByTestId('cfg-sampleEvery').fill('1'); // a snapshot every iteration: the bound is reached quickly
      await page.getByTestId('train').click();

      // a live lr change while training: a marker on every loss chart
      await waitForIter(page, 5);
      await page.getByTestId('cfg-lr').fill('0.0005');
      await expect.poll(() => page.locator('[data-testid="chart-generators"] .marker-live').count(), { timeout: 60_000 }).toBe(1);
      await expect.poll(() => count(page, 'chart-cycle', 'data-markers'), { timeout: 5_000 }).toBeGreaterThanOrEqual(1); // the charts take turns to redraw
      expect(await page.getByTestId('chart-generators').locator('.chart-body').textContent()).toMatch(/lr→5\.00e−4/); // its label names the change
      await page.getByTestId('pause').click();
      await expect.poll(() => page.getByTestId('status-state').textContent()).toBe('Paused');
      await page.getByTestId('pause').click();
      await expect.poll(() => page.locator('[data-testid="chart-discriminators"] .marker-pause').count(), { timeout: 60_000 }).toBe(1);
      // one epoch at full lr (live): the decay then starts at iteration 41 (40 images a domain), marked when reached
      await page.getByTestId('cfg-nEpochs').fill('1');
      await expect.poll(() => page.locator('[data-testid="chart-generators"] .marker-live').count(), { timeout: 60_000 }).toBe(2);
      await waitForIter(page, 45);
      await expect.poll(() => page.locator('[data-testid="chart-cycle"] .marker-decay').count(), { timeout: 30_000 }).toBe(1);
      expect(await page.getByTestId('chart-cycle').locator('.chart-body').textContent()).toMatch(/lr decay starts/);

      // the timeline's bound: more iterations than snapshots kept, the first and the latest still there
      await waitForIter(page, MAX_SNAPSHOTS + 15, 240_000);
      await expect.poll(() => count(page, 'timeline', 'data-count'), { timeout: 30_000 }).toBe(MAX_SNAPSHOTS);
      await page.waitForTimeout(1500);
      expect(await count(page, 'timeline', 'data-count')).toBe(MAX_SNAPSHOTS); // stays at the bound
      const latest = await count(page, 'timeline-iter', 'data-iter');
      expect(latest).toBeGreaterThan(MAX_SNAPSHOTS);

      // scrubbing back shows an older snapshot, drawn
      await page.getByTestId('timeline-slider').fill('0');
      expect(await count(page, 'timeline-iter', 'data-iter')).toBe(1);
      expect(await count(page, 'timeline-fake_B', 'data-iter')).toBe(1);
      await page.getByTestId('timeline-slider').fill('30');
      const middle = await count(page, 'timeline-iter', 'data-iter');
      expect(middle).toBeGreaterThan(1);
      expect(middle).toBeLessThan(latest);

      // exports: a contact sheet with one cell per snapshot, and a GIF with one frame per snapshot
      await page.getByTestId('pause').click();
      await expect.poll(() => page.getByTestId('status-state').textContent()).toBe('Paused');
      const n = await count(page, 'timeline', 'data-count');
      const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
      const sheet = PNG.sync.read(readFileSync((await png.path())!));
      const L = sheetLayout(n, TINY.cropSize!);
      expect([sheet.width, sheet.height]).toEqual([L.width, L.height]);
      const [gif] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-gif').click()]);
      const bytes = readFileSync((await gif.path())!);
      expect(bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
      let frames = 0;
      for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0x21 && bytes[i + 1] === 0xf9 && bytes[i + 2] === 4) frames++;
      expect(frames).toBeGreaterThanOrEqual(n); // (the pattern may also occur inside pixel data, never fewer)

      // play: from the scrubbed snapshot forward to the latest, then the scrubber follows the latest again
      await page.getByTestId('timeline-play').click();
      await expect.poll(() => count(page, 'timeline-iter', 'data-iter'), { timeout: 20_000 }).toBeGreaterThan(middle);
      await expect.poll(() => page.getByTestId('timeline-iter').textContent(), { timeout: 30_000 }).toMatch(/latest/);
      expect(await page.getByTestId('timeline-play').getAttribute('aria-pressed')).toBe('false');

      // presenter mode: P hides the advanced controls; at projector sizes nothing is cut off sideways and the
      // images and charts share the first screen
      await page.getByTestId('pause').click();
      await page.getByTestId('timeline-slider').focus(); // a teacher who just scrubbed: the keys still work
      await page.keyboard.press('P');
      expect(await page.locator('.sidebar').isVisible()).toBe(false);
      expect(await page.locator('.chart-options').isVisible()).toBe(false);
      // Export stays reachable from the top bar (the left column with its panel is hidden)
      const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('presenter-export').click()]);
      expect(zip.suggestedFilename()).toMatch(/^cyclegan-.*\.zip$/);
      for (const [w, h] of [[1024, 768], [1920, 1080]]) {
        await page.setViewportSize({ width: w, height: h });
        await page.locator('.main').evaluate((m) => m.scrollTo(0, 0));
        await page.waitForTimeout(1200);
        const fit = await page.evaluate(() => {
          const r = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
          return {
            scrollWidth: document.documentElement.scrollWidth,
            galleryRight: Math.max(...[...document.querySelectorAll('.gallery canvas')].map((c) => c.getBoundingClientRect().right)),
            chartsTop: r('.charts').top,
            chartBottom: Math.max(...[...document.querySelectorAll('.chart .recharts-surface')].map((c) => c.getBoundingClientRect().bottom)),
            chartHeight: Math.min(...[...document.querySelectorAll('.chart .recharts-surface')].map((c) => c.getBoundingClientRect().height)),
            topbarBottom: r('.topbar').bottom,
            trainRight: r('[data-testid="stop"]').right,
            toggleRight: r('[data-testid="presenter-toggle"]').right,
            image: r('[data-testid="vis-fake_B"]').width,
            rootFont: parseFloat(getComputedStyle(document.documentElement).fontSize),
          };
        });
        await page.screenshot({ path: join(SHOTS, `classroom-presenter-${w}x${h}.png`) }); // looked at by a person
        expect(fit.scrollWidth).toBeLessThanOrEqual(w);
        expect(fit.galleryRight).toBeLessThanOrEqual(w);
        expect(fit.trainRight).toBeLessThanOrEqual(w);
        expect(fit.toggleRight).toBeLessThanOrEqual(w);
        expect(fit.topbarBottom).toBeLessThan(80); // one line of controls
        expect(fit.chartsTop).toBeLessThan(h * 0.75);
        expect(fit.chartBottom).toBeLessThanOrEqual(h); // the charts fit on the first screen …
        expect(fit.chartHeight).toBeGreaterThanOrEqual(100); // … at a readable height
        expect(fit.image).toBeGreaterThanOrEqual(96);
        expect(fit.rootFont).toBeGreaterThanOrEqual(21); // large type
      }
      await page.keyboard.press('P');
      expect(await page.locator('.sidebar').isVisible()).toBe(true);
      expect(await page.locator('.chart-options').isVisible()).toBe(true);
      expect(await page.getByTestId('presenter-export').count()).toBe(0); // outside presenter mode: the panel's Export
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByTestId('term-cycle_A').hover(); // the explain panel lights up its curve's image
      expect(await page.locator('.gallery .visual.lit').count()).toBe(2);
      await page.screenshot({ path: join(SHOTS, 'classroom-1280x800.png'), fullPage: true });
      expect(await iterOf(page)).toBeGreaterThan(MAX_SNAPSHOTS);
    });
  });
});
