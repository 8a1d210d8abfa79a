/**
 * The engine-backed classroom in the page (wasm, tiny nets): Step G changes only the generators and Step D only the
 * discriminators (per-network digests read through the protocol), the discriminators' view has D's output shape,
 * and slow motion plays through every stage of a real iteration. Screenshots at projector sizes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchMapSize } from '../src/model/discriminator';
import { engineRequest, iterOf, loadDemo, lossPoints, openStudio, screenshot, TINY, withStudio, type Studio } from './studio';

const SIDE = patchMapSize({ inputNc: 3, ndf: TINY.ndf!, nLayers: TINY.nLayersD! }, TINY.cropSize!); // 6 for 32 px crops

let studio: Studio;
beforeAll(async () => {
  studio = await openStudio({ query: '?backend=wasm' });
});
afterAll(async () => {
  await studio?.close();
});

const digest = async () => (await engineRequest(studio.page, { kind: 'netDigest' }))!;
const changesOf = (page: Studio['page']) => page.getByTestId('cls-changes');

/**
 * In presenter mode on a 1024×768 projector, what the last step changed is on the first screen, beside the images,
 * and the charts still fit under them; the whole controls bar fits.
 */
async function fitsAProjector(page: Studio['page'], shot: string): Promise<void> {
  await page.keyboard.press('p');
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.waitForTimeout(300);
  const fit = await page.evaluate(() => {
    const r = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
    const gallery = [...document.querySelectorAll('.gallery canvas')].map((c) => c.getBoundingClientRect());
    return {
      card: r('[data-testid="classroom"]'),
      galleryRight: Math.max(...gallery.map((g) => g.right)),
      galleryTop: Math.min(...gallery.map((g) => g.top)),
      chartBottom: Math.max(...[...document.querySelectorAll('.chart .chart-body')].map((c) => c.getBoundingClientRect().bottom)),
      toggleRight: r('[data-testid="presenter-toggle"]').right,
      scrollWidth: document.documentElement.scrollWidth,
    };
  });
  await screenshot(page, shot);
  expect(fit.card.bottom).toBeLessThanOrEqual(768);
  expect(fit.card.left).toBeGreaterThanOrEqual(fit.galleryRight); // beside the images, not under them
  expect(fit.card.top).toBeLessThan(fit.galleryTop + 100);
  expect(fit.chartBottom).toBeLessThanOrEqual(768);
  expect(fit.toggleRight).toBeLessThanOrEqual(1024);
  expect(fit.scrollWidth).toBeLessThanOrEqual(1024);
  await page.keyboard.press('p');
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('classroom: step G / step D, the discriminators’ view, slow motion', () => {
  it('Step G changes only G_A and G_B, Step D only D_A and D_B; G then D is one iteration', () =>
    withStudio(studio, async ({ page }) => {
      await loadDemo(page);
      expect(await engineRequest(page, { kind: 'netDigest' })).toBeNull(); // no run yet

      // the step modes sit in the controls bar, beside Train/Pause
      expect(await page.locator('.topbar').getByTestId('step-G').count()).toBe(1);
      expect(await page.locator('.topbar').getByTestId('step-D').count()).toBe(1);
      await page.getByTestId('step-G').click();
      await expect.poll(() => changesOf(page).getAttribute('data-part'), { timeout: 60_000 }).toBe('G');
      expect(await page.getByTestId('cls-progress').textContent()).toMatch(/Half done: Step D finishes iteration 1/);
      expect(await iterOf(page)).toBe(0); // half an iteration does not count
      await expect.poll(() => page.getByTestId('cls-change-cycle_A').textContent()).toMatch(/cycle_A\s*\d+\.\d+ → \d+\.\d+/);
      expect(await changesOf(page).locator('tr').count()).toBe(6); // G's six terms (identity on): adversarial, cycle, identity × 2
      const afterG = await digest();

      await fitsAProjector(page, 'classroom-stepG-1024x768-presenter');

      await page.getByTestId('step-D').click();
      await expect.poll(() => changesOf(page).getAttribute('data-part'), { timeout: 60_000 }).toBe('D');
      const afterD = await digest();
      expect({ G_A: afterD.G_A === afterG.G_A, G_B: afterD.G_B === afterG.G_B, D_A: afterD.D_A !== afterG.D_A, D_B: afterD.D_B !== afterG.D_B })
        .toEqual({ G_A: true, G_B: true, D_A: true, D_B: true });
      await expect.poll(() => iterOf(page), { timeout: 10_000 }).toBe(1);
      expect((await lossPoints(page)).map((p) => p.iter)).toEqual([1]);
      expect(await changesOf(page).textContent()).toMatch(/Step D · iteration 1/);
      expect(await changesOf(page).getAttribute('data-complete')).toBe('true');
      expect(await page.getByTestId('cls-progress').count()).toBe(0); // nothing half done

      await page.keyboard.press('g'); // the key does what the button does
      await expect.poll(() => page.getByTestId('cls-progress').textContent(), { timeout: 60_000 }).toMatch(/finishes iteration 2/);
      const again = await digest();
      expect({ G_A: again.G_A !== afterD.G_A, G_B: again.G_B !== afterD.G_B, D_A: again.D_A === afterD.D_A, D_B: again.D_B === afterD.D_B })
        .toEqual({ G_A: true, G_B: true, D_A: true, D_B: true });
      await page.getByTestId('step').click(); // Step both: finishes iteration 2 (its D half)
      await expect.poll(() => iterOf(page), { timeout: 60_000 }).toBe(2);
      expect(await changesOf(page).getAttribute('data-part')).toBe('both');
      expect(await changesOf(page).locator('tr').count()).toBe(2); // only the D half was missing
      await page.keyboard.press('b'); // a whole iteration: all eight terms, the tallest report
      await expect.poll(() => iterOf(page), { timeout: 60_000 }).toBe(3);
      expect(await changesOf(page).locator('tr').count()).toBe(8);
      await fitsAProjector(page, 'classroom-stepboth-1024x768-presenter');
    }));

  it('shows each discriminator’s PatchGAN map (D’s output shape) over a real and a fake image', () =>
    withStudio(studio, async ({ page }) => {
      await expect.poll(() => page.getByTestId('dview-iter').textContent(), { timeout: 30_000 }).toMatch(/iteration 3/);
      for (const id of ['D_A_real_B', 'D_A_fake_B', 'D_B_real_A', 'D_B_fake_A']) {
        const el = page.getByTestId(`dview-${id}`);
        expect([await el.getAttribute('data-rows'), await el.getAttribute('data-cols')], id).toEqual([String(SIDE), String(SIDE)]);
        const mean = Number(await el.getAttribute('data-mean'));
        expect(mean >= 0 && mean <= 1, id).toBe(true);
        const overlay = await el.locator('canvas.patchmap-overlay').evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
        expect(overlay).toEqual([SIDE * 40, SIDE * 40]); // one cell per patch
      }
      await page.getByTestId('dview').scrollIntoViewIfNeeded();
      await screenshot(page, 'classroom-dview-1280x800');
      await page.keyboard.press('p'); // presenter mode, on a 1080p projector
      await page.setViewportSize({ width: 1920, height: 1080 });
      await page.getByTestId('dview').scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      await screenshot(page, 'classroom-dview-1920x1080-presenter');
      await page.keyboard.press('p');
      await page.setViewportSize({ width: 1280, height: 800 });
    }));

  it('slow motion runs the next iteration for real and plays through every stage with its values', () =>
    withStudio(studio, async ({ page }) => {
      await page.getByTestId('slow-motion').click();
      const sm = page.getByTestId('slowmo');
      await sm.waitFor({ timeout: 60_000 });
      const n = Number(await sm.getAttribute('data-stages'));
      expect(n).toBe(22); // 6 + 6 (the two cycles) + 2 (identity) + 1 (G update) + 3 + 3 (each discriminator) + 1 (D update)
      await expect.poll(() => iterOf(page), { timeout: 10_000 }).toBe(4); // it counted
      const point = (await lossPoints(page)).at(-1)!;
      expect(point.iter).toBe(4);

      // the player advances on its own; at 4× a stage takes 0.6 s
      const speed = page.getByTestId('sm-speed');
      await speed.fill('4');
      const seen = new Set<string>();
      await expect
        .poll(async () => {
          seen.add((await sm.getAttribute('data-stage-id'))!);
          return Number(await sm.getAttribute('data-stage'));
        }, { timeout: 60_000, interval: 100 })
        .toBe(n - 1);
      expect(seen.size).toBeGreaterThan(n / 2); // it walked, it did not jump
      expect(await page.getByTestId('sm-play').textContent()).toMatch(/Replay/);
      for (const [name, v] of Object.entries(point.values)) // every chip holds the iteration's real value
        expect(await page.getByTestId(`sm-loss-${name}`).textContent(), name).toContain(v.toFixed(3));

      // back to the first discriminator stage: D_A's map over the pooled fake, highlighted
      for (let i = n - 1; i > 16; i--) await page.getByTestId('sm-prev').click();
      expect(await sm.getAttribute('data-stage-id')).toBe('D_A_pool_B');
      expect(await page.getByTestId('sm-map-D-pool_B').getAttribute('data-rows')).toBe(String(SIDE));
      await page.keyboard.press(' '); // Space plays the walk-through (not the training) while it is open
      await expect.poll(() => page.getByTestId('sm-play').textContent()).toMatch(/Pause/);
      await page.getByTestId('sm-play').click();
      expect(await page.getByTestId('status-state').textContent()).toMatch(/Paused/); // the run itself stayed paused
      const at = Number(await sm.getAttribute('data-stage'));
      for (const presenter of [false, true]) {
        if (presenter) await page.keyboard.press('p');
        for (const [w, h] of [[1024, 768], [1920, 1080]]) {
          await page.setViewportSize({ width: w, height: h });
          await page.waitForTimeout(300);
          await screenshot(page, `classroom-slowmo-${w}x${h}${presenter ? '-presenter' : ''}`);
        }
      }
      expect(Number(await sm.getAttribute('data-stage'))).toBe(at);
      await page.keyboard.press('p');
      await page.keyboard.press('Escape');
      await expect.poll(() => sm.count()).toBe(0);
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.getByTestId('classroom').scrollIntoViewIfNeeded();
      await screenshot(page, 'classroom-steps-1024x768');
      expect(await page.getByTestId('error-banner').count()).toBe(0);
    }));
});
