/**
 * Opens the studio's production build in Debian Chromium (playwright-core), headless, fresh profile.
 *
 * The page gets a tap on the worker protocol (an init script wrapping `Worker`): it records what the engine
 * sends (loss values, backend) so tests can check numbers the UI only draws, and it can shrink the networks in
 * `configure` requests. Why shrink: SwiftShader (software) WebGPU took ~130 s for ONE Classroom-preset iteration
 * on this 2-core machine, and the UI offers no size below that preset; the UI flows stay real, only the sizes
 * the engine receives change.
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import type { CycleGANConfig } from '../src/config';
import type { Request, RequestKind, ReturnTypes } from '../src/protocol/messages';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The smallest useful CycleGAN: ~1 s an iteration on SwiftShader WebGPU. */
export const TINY: Partial<CycleGANConfig> = { loadSize: 36, cropSize: 32, ngf: 4, ndf: 4, nBlocks: 1, nLayersD: 2 };

export interface Studio {
  page: Page;
  context: BrowserContext;
  /** Console lines of the page and its worker, for assertions and failure messages. */
  logs: string[];
  close(): Promise<void>;
}

const TAP = (overrides: string) => `(() => {
  const overrides = ${overrides};
  const tap = { points: [], backend: null, events: 0 };
  window.__e2e = tap;
  const Base = window.Worker;
  window.Worker = class extends Base {
    constructor(url, opts) {
      super(url, opts);
      tap.worker = this; // for engineRequest: tests ask the engine directly, with ids the page's client never uses
      tap.answers = {};
      this.addEventListener('message', (e) => {
        const m = e.data;
        if (m && m.kind !== 'event' && m.id >= 1e9) tap.answers[m.id] = m;
        if (!m || m.kind !== 'event') return;
        tap.events++;
        if (m.event.type === 'losses') for (const p of m.event.points) tap.points.push(p);
        if (m.event.type === 'backend') tap.backend = m.event.info;
      });
    }
    postMessage(msg, ...rest) {
      if (overrides && msg && msg.request && msg.request.kind === 'configure')
        msg = { ...msg, request: { ...msg.request, config: { ...msg.request.config, ...overrides } } };
      return super.postMessage(msg, ...rest);
    }
  };
})();`;

/**
 * `profile`: a browser profile folder to open (and keep on close) instead of a fresh one — e.g. reopen after a killed tab.
 * `baseURL`: another server than the suite's `vite preview`; `serviceWorkers: 'block'` keeps the page from registering any.
 * `init`: a test's own init script, run after the protocol tap's (it may wrap the tapped Worker again).
 */
export async function openStudio(
  opts: { query?: string; webgpu?: boolean; shrink?: Partial<CycleGANConfig> | null; profile?: string; baseURL?: string; serviceWorkers?: 'allow' | 'block'; init?: string } = {},
): Promise<Studio> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
  const args = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
  if (opts.webgpu ?? true) args.push('--enable-unsafe-webgpu');
  const profile = opts.profile ?? mkdtempSync(join(tmpdir(), 'cyclegan-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args, viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, serviceWorkers: opts.serviceWorkers ?? 'allow',
  });
  const logs: string[] = [];
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  await page.addInitScript(TAP(JSON.stringify(opts.shrink === undefined ? TINY : opts.shrink)));
  if (opts.init) await page.addInitScript(opts.init);
  await page.goto(new URL(opts.query ?? '', opts.baseURL ?? inject('baseURL')).href);
  return {
    page, context, logs,
    close: async () => {
      await context.close();
      if (!opts.profile) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The losses the engine sent (all of them, in order), read from the protocol tap. */
export async function lossPoints(page: Page): Promise<{ iter: number; values: Record<string, number> }[]> {
  return page.evaluate(() => (window as unknown as { __e2e: { points: { iter: number; values: Record<string, number> }[] } }).__e2e.points);
}

/** Sends one request to the page's engine through the protocol (as the UI would) and returns its answer. */
export async function engineRequest<K extends RequestKind>(page: Page, request: Extract<Request, { kind: K }>): Promise<ReturnTypes[K]> {
  const m = await page.evaluate(async (request) => {
    type Tap = { worker: Worker; answers: Record<number, { kind: string; value?: unknown; error?: { message: string } }> };
    const tap = (window as unknown as { __e2e: Tap }).__e2e;
    const id = 1e9 + Math.floor(Math.random() * 1e9);
    tap.worker.postMessage({ id, request });
    while (!tap.answers[id]) await new Promise((r) => setTimeout(r, 20));
    return tap.answers[id];
  }, request as unknown as Record<string, unknown>);
  if (m.kind !== 'return') throw new Error(`engine refused ${request.kind}: ${m.error?.message}`);
  return m.value as ReturnTypes[K];
}

export const iterOf = async (page: Page) => Number(await page.getByTestId('status-iter').getAttribute('data-iter'));

/** Waits until the status bar shows at least `n` completed iterations. */
export async function waitForIter(page: Page, n: number, timeout = 120_000): Promise<number> {
  await expect.poll(() => iterOf(page), { timeout, interval: 250 }).toBeGreaterThanOrEqual(n);
  return iterOf(page);
}

/** Waits until a restored run (resume offer, checkpoint file) is fully back: paused at iteration `iter`. Its loss
 * history arrives before its images and trainer, so the counter alone reaches `iter` too early. */
export async function waitForRestored(page: Page, iter: number, timeout = 60_000): Promise<void> {
  const seen = async () => `${await page.getByTestId('status-state').textContent()} at ${await iterOf(page)}`;
  await expect.poll(seen, { timeout, interval: 100 }).toBe(`Paused at ${iter}`);
}

export async function loadDemo(page: Page, demo = 'apples2oranges'): Promise<void> {
  await page.getByTestId('demo-select').selectOption(demo);
  await page.getByTestId('load-demo').click();
  await expect.poll(async () => (await page.getByTestId('count-A').textContent())?.trim(), { timeout: 30_000 }).toBe('40');
  await expect.poll(async () => (await page.getByTestId('count-B').textContent())?.trim(), { timeout: 30_000 }).toBe('40');
}

/** Pixel statistics of a canvas however it was drawn (2d or bitmaprenderer): size, channel spread, distinct colours. */
export async function canvasStats(page: Page, testid: string): Promise<{ width: number; height: number; std: number; colours: number; meanAlpha: number }> {
  return page.getByTestId(testid).evaluate(async (el) => {
    const c = el as HTMLCanvasElement;
    const bmp = await createImageBitmap(c);
    const off = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = off.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    let s = 0, s2 = 0, a = 0;
    const colours = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      for (let k = 0; k < 3; k++) {
        s += d[i + k];
        s2 += d[i + k] * d[i + k];
      }
      a += d[i + 3];
      colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    }
    const n = (d.length / 4) * 3;
    return { width: bmp.width, height: bmp.height, std: Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2)), colours: colours.size, meanAlpha: a / (d.length / 4) };
  });
}

/** Saves a 1280×800 PNG of the page into test-results/ (look at it). */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = resolve(import.meta.dirname, '..', 'test-results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Runs a test body and prints the browser's console if it fails. */
export async function withStudio<T>(s: Studio, body: (s: Studio) => Promise<T>): Promise<T> {
  try {
    return await body(s);
  } catch (e) {
    console.error(`browser console (${s.logs.length} lines):\n${s.logs.slice(-60).join('\n')}`);
    throw e;
  }
}
