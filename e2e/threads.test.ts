/**
 * WebAssembly on threads: the studio is cross-origin isolated, trains on every core by default (tfjs alone would
 * halve the count: it assumes two hyper-threads per core), and the threaded build trains exactly the model the
 * single-thread build does. A static host that sends no COOP/COEP headers gets them from coi-serviceworker; with
 * service workers blocked too, the studio falls back to one thread and says why.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadDemo, lossPoints, openStudio, waitForIter, type Studio } from './studio';
import { serveStatic } from './staticServer';

type Tap = { __e2e: { backend: { name: string; threads?: { count: number; why: string | null } } | null } };
const backendOf = (s: Studio) => s.page.evaluate(() => (window as unknown as Tap).__e2e.backend);

async function waitForWasm(s: Studio): Promise<void> {
  await expect.poll(() => s.page.getByTestId('backend-badge').getAttribute('data-backend'), { timeout: 60_000 }).toBe('wasm');
}

/** The first `n` iterations' losses of the demo, seeded (the preset's seed), on the tiny test network. */
async function firstLosses(s: Studio, n: number): Promise<Record<string, number>[]> {
  await loadDemo(s.page);
  await s.page.getByTestId('train').click();
  await waitForIter(s.page, n);
  await s.page.getByTestId('pause').click();
  return (await lossPoints(s.page)).slice(0, n).map((p) => p.values);
}

describe('WebAssembly threads', () => {
  it('trains on all the cores by default, and the threaded build computes what one thread does', async () => {
    const all = await openStudio({ query: '?backend=wasm', webgpu: false });
    let threaded: Record<string, number>[];
    let cores: number;
    try {
      await waitForWasm(all);
      const { isolated, hwc } = await all.page.evaluate(() => ({ isolated: crossOriginIsolated, hwc: navigator.hardwareConcurrency }));
      expect(isolated).toBe(true);
      cores = Math.min(hwc, 8);
      expect((await backendOf(all))?.threads).toEqual({ count: cores, why: null });
      await expect.poll(() => all.page.getByTestId('backend-name').textContent()).toBe(`WebAssembly · ${cores} thread${cores === 1 ? '' : 's'}`);
      threaded = await firstLosses(all, 3);
    } finally {
      await all.close();
    }

    const one = await openStudio({ query: '?backend=wasm&threads=1', webgpu: false });
    try {
      await waitForWasm(one);
      expect((await backendOf(one))?.threads).toEqual({ count: 1, why: null });
      await expect.poll(() => one.page.getByTestId('threads-select').inputValue()).toBe('1');
      expect(await firstLosses(one, 3)).toEqual(threaded);
    } finally {
      await one.close();
    }
  });

  describe('on a static host without COOP/COEP headers', () => {
    let host: Awaited<ReturnType<typeof serveStatic>>;
    beforeAll(async () => {
      host = await serveStatic(inject('distDir'));
    });
    afterAll(async () => {
      await host?.close();
    });

    it('becomes cross-origin isolated through coi-serviceworker and trains on threads', async () => {
      const s = await openStudio({ query: '?backend=wasm', webgpu: false, baseURL: host.url });
      try {
        // the service worker installs, the page reloads once under it, and then it is isolated
        await expect.poll(() => s.page.evaluate(() => crossOriginIsolated).catch(() => false), { timeout: 60_000 }).toBe(true);
        await waitForWasm(s);
        const hwc = await s.page.evaluate(() => navigator.hardwareConcurrency);
        expect((await backendOf(s))?.threads?.count).toBe(Math.min(hwc, 8));
        await loadDemo(s.page);
        await s.page.getByTestId('train').click();
        await waitForIter(s.page, 2);
        for (const p of await lossPoints(s.page)) for (const v of Object.values(p.values)) expect(Number.isFinite(v)).toBe(true);
      } finally {
        await s.close();
      }
    });

    it('without a service worker falls back to one thread and says why on the badge', async () => {
      const s = await openStudio({ query: '?backend=wasm&threads=2', webgpu: false, baseURL: host.url, serviceWorkers: 'block' });
      try {
        await waitForWasm(s);
        expect(await s.page.evaluate(() => crossOriginIsolated)).toBe(false);
        expect((await backendOf(s))?.threads).toEqual({ count: 1, why: expect.stringMatching(/not cross-origin isolated/) });
        await expect.poll(() => s.page.getByTestId('backend-name').textContent()).toBe('WebAssembly · 1 thread');
        expect(await s.page.getByTestId('threads-why').textContent()).toMatch(/^1 thread — the page is not cross-origin isolated/);
        await loadDemo(s.page);
        await s.page.getByTestId('train').click();
        await waitForIter(s.page, 2); // the single-thread build still trains
      } finally {
        await s.close();
      }
    });
  });
});
