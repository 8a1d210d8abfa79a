/**
 * A smooth page while training: main-thread tasks (PerformanceObserver 'longtask', registered in the page after the
 * history is on the charts) during a minute of training with 10,000 loss points already on the charts, then another
 * minute with 100,000. The target is none over 50 ms, and `npm run bench:browser` measures it on an idle machine; on a
 * shared CI machine a task can stretch past 50 ms by scheduler noise alone (once 52 ms in a minute), so this test
 * allows two such and none over twice the limit — what the charts did before (30 a minute, up to 121 ms) fails it.
 *
 * The history: a resumed run's arrives as 5000-point `losses` messages from the worker. Here the same messages are
 * dispatched on the page's worker through the protocol tap, and the run's own iterations are renumbered to follow
 * them (an init script), so the charts hold a long history and keep growing with every message.
 *
 * The training: the Classroom preset on wasm with the tap's tiny networks. Tiny networks make the engine send about
 * 30 iterations a second — ten loss messages a second and a set of images, verdicts and a timeline snapshot every
 * ~0.7 s — the most main-thread work any preset causes; the real Classroom networks take ~1.2 s an iteration here
 * (one loss message a second, images every 24 s). Either way the worker keeps one of the two cores busy.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOSS_NAMES } from '../app/constants';
import { loadDemo, openStudio, screenshot, waitForIter, withStudio, type Studio } from './studio';

const TRAIN_MS = 60_000;
const LONG_TASK_MS = 50;

/**
 * Renumbers the run's iterations to follow an injected history (`__history.shift`), and remembers the newest
 * iteration the page has (`__history.last`).
 */
const RENUMBER = `(() => {
  const history = (window.__history = { shift: 0, last: 0 });
  const Tapped = window.Worker;
  window.Worker = class extends Tapped {
    constructor(url, opts) {
      super(url, opts);
      this.addEventListener('message', (e) => {
        const m = e.data;
        if (!m || m.kind !== 'event' || m.injected) return;
        const ev = m.event, shift = history.shift;
        if (ev.type === 'losses') for (const p of ev.points) history.last = p.iter += shift;
        if (ev.type === 'status' && ev.status.iter > 0) ev.status.iter += shift;
        if (ev.type === 'visuals') ev.iter += shift;
        if (ev.type === 'verdicts') ev.verdicts.iter += shift;
      });
    }
  };
})();`;

/**
 * Puts `n` more loss points on the charts, right after the newest one, as a resumed run's history arrives: decaying
 * noisy curves with a rare spike (the downsampling must keep those).
 */
async function injectHistory(page: Page, n: number): Promise<void> {
  await page.evaluate(({ n, names }) => {
    const w = window as unknown as { __e2e: { worker: Worker; points: unknown[] }; __history: { shift: number; last: number } };
    const { __e2e: tap, __history: history } = w;
    const kept = tap.points.length;
    const from = history.last;
    for (let i = 0; i < n; i += 5000) {
      const points = [];
      for (let j = i; j < Math.min(n, i + 5000); j++) {
        const iter = from + j + 1;
        const values: Record<string, number> = {};
        names.forEach((name, k) => {
          const noise = Math.sin(iter * 12.9898 + k * 78.233) * 43758.5453;
          values[name] = 0.3 + 2 / (1 + iter / 3000) + 0.15 * (noise - Math.floor(noise)) + (iter % 9973 === k * 97 ? 2 : 0);
        });
        points.push({ iter, epoch: 1 + Math.floor(iter / 40), lr: 2e-4, values, ms: 30 });
      }
      tap.worker.dispatchEvent(new MessageEvent('message', { data: { kind: 'event', injected: true, event: { type: 'losses', points } } }));
    }
    tap.points.length = kept; // the tap recorded them too: a page that resumed a run holds no such copy
    history.shift += n;
    history.last = from + n;
  }, { n, names: LOSS_NAMES });
}

const chartPoints = async (page: Page) => Number(await page.getByTestId('chart-generators').getAttribute('data-points'));

type Watch = { long: { start: number; ms: number }[]; observer: PerformanceObserver; events0: number };
type Watched = { __watch: Watch; __e2e: { events: number } };

/** Trains on for `ms` with a long-task observer in the page; returns the tasks over 50 ms and how much the charts grew. */
async function measure(page: Page, ms: number): Promise<{ long: { start: number; ms: number }[]; grew: number; messages: number }> {
  await page.evaluate(() => {
    const w = window as unknown as Watched;
    const watch: Watch = { long: [], events0: w.__e2e.events, observer: new PerformanceObserver((list) => {
      for (const e of list.getEntries()) watch.long.push({ start: Math.round(e.startTime), ms: Math.round(e.duration) });
    }) };
    watch.observer.observe({ type: 'longtask', buffered: false }); // from now on: the history is already drawn
    w.__watch = watch;
  });
  const before = await chartPoints(page);
  await page.waitForTimeout(ms);
  const { long, messages } = await page.evaluate(() => {
    const { __watch: watch, __e2e: tap } = window as unknown as Watched;
    watch.observer.disconnect();
    return { long: watch.long.filter((t) => t.ms > 50), messages: tap.events - watch.events0 };
  });
  return { long, grew: (await chartPoints(page)) - before, messages };
}

/** Each chart draws at most about one row per pixel of its width, whatever the history's length. */
async function rowsFitWidth(page: Page): Promise<void> {
  const charts = await page.locator('.chart').evaluateAll((els) => els.map((el) => ({ rows: Number(el.getAttribute('data-rows')), width: el.querySelector('.chart-body')!.clientWidth })));
  expect(charts).toHaveLength(3);
  for (const c of charts) {
    expect(c.rows).toBeGreaterThan(50);
    expect(c.rows).toBeLessThanOrEqual(Math.max(200, c.width));
  }
}

/**
 * recharts' active dots on the generators chart that are not on a vertex (within half a pixel) of the curve of their
 * colour; each as "colour cx,cy". Fails outright when there are no dots or no curves.
 */
const dotsOffTheirCurves = (page: Page) =>
  page.getByTestId('chart-generators').evaluate((chart) => {
    const dots = [...chart.querySelectorAll('.recharts-active-dot circle')];
    const curves = [...chart.querySelectorAll('path.loss-line')];
    if (dots.length < 2 || curves.length < 2) return [`${dots.length} dots, ${curves.length} curves`];
    return dots
      .map((dot) => ({ fill: dot.getAttribute('fill'), x: Number(dot.getAttribute('cx')), y: Number(dot.getAttribute('cy')) }))
      .filter(({ fill, x, y }) => {
        const curve = curves.find((c) => c.getAttribute('stroke') === fill);
        const xy = (curve?.getAttribute('d')?.match(/-?[\d.]+/g) ?? []).map(Number);
        for (let i = 0; i + 1 < xy.length; i += 2) if (Math.hypot(xy[i] - x, xy[i + 1] - y) <= 0.5) return false;
        return true;
      })
      .map(({ fill, x, y }) => `${fill} ${x},${y}`);
  });

/** The generators chart once it has drawn a few rows (before, its plot is hidden: nothing to point at). */
async function drawnChart(page: Page) {
  const chart = page.getByTestId('chart-generators');
  await expect.poll(async () => Number(await chart.getAttribute('data-rows')), { timeout: 30_000 }).toBeGreaterThan(2);
  return chart;
}

let studio: Studio;
let training: Promise<void> | undefined;
beforeAll(async () => {
  // one WebAssembly thread: what is measured is the page's own work; with a thread on every core of a small machine
  // the trainer also takes the page's core (see the threads e2e for training on all of them)
  studio = await openStudio({ query: '?backend=wasm&preset=classroom&threads=1', init: RENUMBER });
});
afterAll(async () => {
  await studio?.close();
});

/** Loads the demo and starts training, once for both cases (the second goes on from the first). */
const train = (page: Page) =>
  (training ??= (async () => {
    await loadDemo(page);
    await page.getByTestId('train').click();
    await waitForIter(page, 1);
  })());

describe('a smooth page while training', () => {
  for (const [history, add] of [
    [10_000, 10_000],
    [100_000, 90_000],
  ])
    it(`(almost) no main-thread task over ${LONG_TASK_MS} ms in a minute of training with ${history.toLocaleString('en')} points on the charts`, () =>
      withStudio(studio, async ({ page }) => {
        await train(page);
        await injectHistory(page, add);
        await expect.poll(() => chartPoints(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(history);
        await page.waitForTimeout(3000); // the injected history drawn (a resume's own cost, not measured), training steady

        const { long, grew, messages } = await measure(page, TRAIN_MS);
        await screenshot(page, `smooth-${history}`);
        console.log(`${history} points: ${messages} messages, +${grew} points, ${long.length} tasks over ${LONG_TASK_MS} ms (longest ${Math.max(0, ...long.map((t) => t.ms))} ms)`);
        expect(messages, 'the worker kept the page busy').toBeGreaterThan(200);
        expect(grew, 'the charts kept redrawing').toBeGreaterThan(100);
        await rowsFitWidth(page);
        expect(long.length, `tasks over ${LONG_TASK_MS} ms (start and length in ms): ${JSON.stringify(long)}`).toBeLessThanOrEqual(2);
        expect(long.filter((t) => t.ms > 2 * LONG_TASK_MS), `tasks over ${2 * LONG_TASK_MS} ms`).toEqual([]);
      }),
    );

  // recharts holds the rows, its tooltip and its (invisible) lines only while the chart is pointed at: otherwise every
  // redraw would go through its store
  it('pointing at a chart while it trains shows the losses there, on the curves; leaving takes them away', () =>
    withStudio(studio, async ({ page }) => {
      await train(page);
      const chart = await drawnChart(page);
      await chart.scrollIntoViewIfNeeded();
      const box = (await chart.locator('.chart-body').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
      const tip = chart.locator('.recharts-tooltip-wrapper');
      await expect.poll(() => tip.textContent(), { timeout: 10_000 }).toMatch(/iteration [\d,]+.*G_A : [\d.]+.*G_B : [\d.]+/);
      // the curves are drawn on the axes' scales: recharts' dot for each loss (from its own scales) sits on a vertex
      // of that loss' curve, on a linear and on a log axis
      await expect.poll(() => dotsOffTheirCurves(page), { timeout: 10_000 }).toEqual([]);
      await page.getByTestId('log-scale').check();
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
      await expect.poll(() => dotsOffTheirCurves(page), { timeout: 10_000 }).toEqual([]);
      await page.getByTestId('log-scale').uncheck();
      await page.mouse.move(box.x + box.width / 2, box.y - 200); // off the plot
      await expect.poll(() => tip.count(), { timeout: 10_000 }).toBe(0);
    }));

  it('the keyboard reads a chart too: focused, the arrow keys walk its rows; leaving it takes the readout away', () =>
    withStudio(studio, async ({ page }) => {
      await train(page);
      const chart = await drawnChart(page);
      const tip = chart.locator('.recharts-tooltip-wrapper');
      await chart.locator('.recharts-surface').focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => tip.textContent(), { timeout: 10_000 }).toMatch(/iteration [\d,]+.*G_A : [\d.]+.*G_B : [\d.]+/);
      await expect.poll(() => dotsOffTheirCurves(page), { timeout: 10_000 }).toEqual([]);
      await page.getByTestId('log-scale').focus(); // focus leaves the chart
      await expect.poll(() => tip.count(), { timeout: 10_000 }).toBe(0);
    }));
});
