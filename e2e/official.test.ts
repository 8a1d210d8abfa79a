/**
 * The round trip with the official PyTorch trainer, in the studio (wasm, TINY nets): "Continue on a GPU
 * (PyTorch)" downloads a zip holding the four latest_net_*.pth, the demo's images as datasets/NAME/trainA|trainB
 * PNGs and the README with the train.py command; the four .pth picked on Translate (as a dropped checkpoint
 * folder would be) become the run — the same weights as at export, though the run trained on after it — and
 * training continues; a loss_log.txt in the official format becomes a second, dashed series on every chart.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineRequest, iterOf, loadDemo, openStudio, screenshot, waitForIter, withStudio, type Studio } from './studio';

let studio: Studio;
let dir: string;
beforeAll(async () => {
  studio = await openStudio({ query: '?backend=wasm' });
  dir = mkdtempSync(join(tmpdir(), 'cyclegan-official-'));
});
afterAll(async () => {
  await studio?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const paused = async (page: Studio['page']) => expect.poll(() => page.getByTestId('status-state').textContent(), { timeout: 60_000 }).toMatch(/paused/i);

/** A loss_log.txt as util/visualizer.py writes it: a session header, then one line per print_freq iterations. */
function lossLog(): string {
  const lines = ['================ Training Loss (Sun Dec  6 07:00:00 2026) ================'];
  for (let epoch = 1; epoch <= 3; epoch++)
    for (const iters of [20, 40]) {
      const k = (epoch - 1) * 2 + iters / 20;
      const v = (base: number) => (base / k).toFixed(3);
      lines.push(`(epoch: ${epoch}, iters: ${iters}, time: 0.120, data: 0.004) D_A: ${v(0.5)} G_A: ${v(0.9)} cycle_A: ${v(2)} idt_A: ${v(1)} D_B: ${v(0.45)} G_B: ${v(0.8)} cycle_B: ${v(1.8)} idt_B: ${v(0.9)} `);
    }
  return `${lines.join('\n')}\n`;
}

describe('continue on PyTorch and come back', () => {
  it('downloads the PyTorch zip; its four .pth continue the run with the same weights; loss_log.txt charts a second series', () =>
    withStudio(studio, async ({ page }) => {
      const button = page.getByTestId('export-pytorch');
      await expect.poll(() => page.getByTestId('export-pytorch-why').textContent(), { timeout: 30_000 }).toMatch(/Train or Step first/);
      expect(await button.isDisabled()).toBe(true);

      await loadDemo(page);
      await page.getByTestId('train').click();
      await waitForIter(page, 2);
      await page.getByTestId('pause').click();
      await paused(page);
      const panel = page.getByRole('region', { name: 'Continue on PyTorch' });
      await panel.scrollIntoViewIfNeeded();
      await panel.screenshot({ path: await screenshot(page, 'official-button') });
      const atExport = await engineRequest(page, { kind: 'netDigest' });

      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), button.click()]);
      expect(download.suggestedFilename()).toMatch(/^apples2oranges-pytorch-iter\d+\.zip$/);
      await expect.poll(() => page.getByTestId('export-pytorch-done').textContent()).toContain(download.suggestedFilename());
      const files = Object.fromEntries(Object.entries(unzipSync(readFileSync((await download.path())!))).filter(([n]) => !n.endsWith('/')));
      const nets = ['G_A', 'G_B', 'D_A', 'D_B'].map((n) => `checkpoints/apples2oranges/latest_net_${n}.pth`);
      for (const n of nets) expect(files[n]?.length).toBeGreaterThan(1000);
      for (const d of ['A', 'B']) expect(Object.keys(files).filter((n) => n.startsWith(`datasets/apples2oranges/train${d}/`) && n.endsWith('.png'))).toHaveLength(40);
      expect(strFromU8(files['README.md'])).toMatch(/train\.py[\s\S]*--name apples2oranges[\s\S]*--continue_train/);

      // the run moves on, then the exported networks come back as a checkpoint folder would
      await page.getByTestId('pause').click(); // ▶ resumes a paused run
      await waitForIter(page, (await iterOf(page)) + 2);
      await page.getByTestId('pause').click();
      await paused(page);
      expect(await engineRequest(page, { kind: 'netDigest' })).not.toEqual(atExport);
      const paths = nets.map((n) => {
        const p = join(dir, n.slice(n.lastIndexOf('/') + 1));
        writeFileSync(p, files[n]);
        return p;
      });
      await page.getByTestId('translate-import').setInputFiles(paths);
      await expect.poll(() => page.getByTestId('official-imported').textContent(), { timeout: 30_000 }).toMatch(/four networks.*iteration 0/);
      await expect.poll(() => iterOf(page)).toBe(0);
      await panel.screenshot({ path: await screenshot(page, 'official-imported') });
      expect(await engineRequest(page, { kind: 'netDigest' })).toEqual(atExport);
      expect(await page.getByTestId('imported-model').count()).toBe(0); // not a generator for Translate

      await page.getByTestId('pause').click(); // a paused run at iteration 0: ▶ resumes it
      await waitForIter(page, 2); // training continues from the imported networks
      await page.getByTestId('pause').click();
      await paused(page);

      const log = join(dir, 'loss_log.txt');
      writeFileSync(log, lossLog());
      await page.getByTestId('translate-import').setInputFiles(log);
      for (const id of ['generators', 'discriminators', 'cycle']) {
        const chart = page.getByTestId(`chart-${id}`);
        await expect.poll(() => chart.getAttribute('data-pytorch-points')).toBe('6');
        await expect.poll(() => chart.locator('path.loss-line.pytorch-series').count()).toBeGreaterThan(0);
        expect(await chart.locator('.legend-pytorch').textContent()).toContain('PyTorch run');
      }
      await page.getByTestId('chart-generators').scrollIntoViewIfNeeded();
      await page.locator('section.charts').screenshot({ path: await screenshot(page, 'official-charts') });
      await page.getByTestId('clear-pytorch-losses').click();
      await expect.poll(() => page.getByTestId('chart-cycle').getAttribute('data-pytorch-points')).toBe('0');
    }));
});
