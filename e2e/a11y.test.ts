/**
 * Accessibility: axe-core's WCAG 2.1 A and AA rules find nothing on the landing page, with the demo loaded, and in
 * presenter mode; and the domains' thumbnail strips, which scroll sideways, can be reached and scrolled by keyboard.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, openStudio, screenshot, withStudio, type Studio } from './studio';

// axe's own bundle, run inside the page (the npm package's browser build; it sets `window.axe`)
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** What a developer needs from one axe violation: the rule, how bad, and where. */
interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; failureSummary: string }[];
}

async function axeViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE_SOURCE); // through the debugger protocol, so no page policy can block it
  return page.evaluate(async (tags) => {
    type Axe = typeof import('axe-core');
    const axe = (window as unknown as { axe: Axe }).axe;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), failureSummary: n.failureSummary ?? '' })),
    }));
  }, WCAG21_AA);
}

/** One paragraph per violation: id, impact and rule, then its first few elements with axe's advice. */
function report(state: string, violations: Violation[]): string {
  const lines = [`axe (WCAG 2.1 A/AA) on ${state}: ${violations.length} violation(s)`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s)`);
    for (const n of v.nodes.slice(0, 4)) lines.push(`    ${n.target}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`);
  }
  return lines.join('\n');
}

async function expectNoViolations(page: Page, state: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations.map((v) => v.id), report(state, violations)).toEqual([]);
}

let studio: Studio;
beforeAll(async () => {
  studio = await openStudio();
});
afterAll(async () => {
  await studio?.close();
});

describe('axe-core, WCAG 2.1 A and AA', () => {
  it('the landing page', () =>
    withStudio(studio, async ({ page }) => {
      // the engine has picked its backend: the page is in the state a visitor first reads
      await expect.poll(() => page.getByTestId('backend-badge').getAttribute('data-backend'), { timeout: 60_000 }).toBeTruthy();
      await expectNoViolations(page, 'the landing page');
    }));

  it('the loaded demo, thumbnails shown', () =>
    withStudio(studio, async ({ page }) => {
      await loadDemo(page);
      await expect.poll(() => page.getByTestId('status-state').textContent(), { timeout: 60_000 }).toBe('Ready');
      await expectNoViolations(page, 'the loaded demo');
    }));

  it('presenter mode', () =>
    withStudio(studio, async ({ page }) => {
      await page.keyboard.press('p');
      await expect.poll(() => page.locator('.studio.presenter').count()).toBe(1);
      await expectNoViolations(page, 'presenter mode');
      await page.keyboard.press('p');
      await expect.poll(() => page.locator('.studio.presenter').count()).toBe(0);
    }));
});

describe('the thumbnail strips by keyboard', () => {
  it('Tab reaches each strip, which names its domain, and the arrow keys scroll it', () =>
    withStudio(studio, async ({ page }) => {
      for (const domain of ['A', 'B']) {
        const strip = page.getByTestId(`thumbs-${domain}`);
        // a named, focusable region: what a screen reader announces when focus lands on it (the first 12 of 40 images)
        const region = page.getByRole('region', { name: `Domain ${domain} images (12 of 40 shown)` });
        expect(await region.count()).toBe(1);
        expect(await region.getAttribute('data-testid')).toBe(`thumbs-${domain}`);
        expect(await strip.getAttribute('tabindex')).toBe('0');
        const overflow = await strip.evaluate((e) => e.scrollWidth - e.clientWidth);
        expect(overflow).toBeGreaterThan(0); // it does scroll, so keys must reach it

        // Tab from the top of the page until the strip has focus
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        let tabs = 0;
        const focused = () => strip.evaluate((e) => e === document.activeElement);
        while (!(await focused()) && tabs < 200) {
          await page.keyboard.press('Tab');
          tabs++;
        }
        expect(await focused(), `Tab did not reach the domain ${domain} strip in ${tabs} presses`).toBe(true);
        expect(await strip.evaluate((e) => e.matches(':focus-visible'))).toBe(true); // the focus ring shows

        const scrollLeft = () => strip.evaluate((e) => e.scrollLeft);
        await strip.evaluate((e) => e.scrollTo({ left: 0, behavior: 'instant' }));
        await page.keyboard.press('ArrowRight');
        await expect.poll(scrollLeft).toBeGreaterThan(0);
        for (let i = 0; i < 40 && (await scrollLeft()) < overflow - 1; i++) await page.keyboard.press('ArrowRight');
        expect(await scrollLeft()).toBeGreaterThanOrEqual(overflow - 1); // every thumbnail can be brought into view
        await page.keyboard.press('ArrowLeft');
        await expect.poll(scrollLeft).toBeLessThan(overflow - 1);
      }
      // looked at by a person: the focus ring on the domain B strip, scrolled part way
      await screenshot(page, 'a11y-thumbs-focused');
    }));
});
