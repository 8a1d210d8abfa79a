/**
 * Export, end to end: train the demo a few iterations (wasm, TINY nets), click Export, take the download,
 * unzip it in Node. Then a FRESH page that knows nothing of the studio serves the zip's files (page.route) and
 * tfjs's own dist/tf.min.js in place of the CDN, opens the zip's index.html and runs the snippet (translate.js)
 * on a fixed image. Its output must equal, within 1e-5: the same model.json loaded in Node with plain tfjs,
 * and our own ResnetGenerator (src/model) holding the exported weights — on the page's default backend (WebGL) and
 * on tfjs-backend-webgpu.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGraphModelFiles } from '../src/io/export/loadGraph';
import { ResnetGenerator } from '../src/model/generator';
import { disposeParams } from '../src/model/params';
import { Rng } from '../src/rng';
import { loadDemo, openStudio, screenshot, waitForIter, withStudio, type Studio } from './studio';

const ROOT = join(import.meta.dirname, '..');
const SITE = 'https://export.test/'; // https: a secure context (navigator.gpu); page.route answers, no certificate involved
const TF_MIN = readFileSync(join(ROOT, 'node_modules/@tensorflow/tfjs/dist/tf.min.js'));
const TF_WEBGPU = readFileSync(join(ROOT, 'node_modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js'));

let studio: Studio;
beforeAll(async () => {
  await tf.setBackend('cpu');
  studio = await openStudio({ query: '?backend=wasm' });
});
afterAll(async () => {
  await studio?.close();
});

/** A fixed 40×32 RGBA picture: gradients and a square, no randomness. */
function fixedImage(w = 40, h = 32): Uint8Array {
  const d = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const inSquare = x > 10 && x < 26 && y > 8 && y < 22;
      d.set([inSquare ? 240 : (x * 6) % 256, inSquare ? 40 : (y * 8) % 256, (x * y) % 256, 255], 4 * (y * w + x));
    }
  return d;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('export', () => {
  it('downloads a zip whose generator runs in a plain page exactly as in Node and as our own generator', () =>
    withStudio(studio, async ({ page, context }) => {
      const button = page.getByTestId('export');
      await expect.poll(() => page.getByTestId('export-why').textContent(), { timeout: 30_000 }).toMatch(/Train or Step first/);
      expect(await button.isDisabled()).toBe(true);
      await page.locator('section.export').screenshot({ path: join(ROOT, 'test-results', 'export-panel-disabled.png') });

      await loadDemo(page);
      await page.getByTestId('train').click();
      await waitForIter(page, 3);
      await page.getByTestId('pause').click();
      await expect.poll(() => page.getByTestId('status-state').textContent()).toMatch(/paused/i);

      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), button.click()]);
      expect(download.suggestedFilename()).toMatch(/^cyclegan-apples-oranges-iter\d+\.zip$/);
      const zip = readFileSync((await download.path())!);
      await expect.poll(() => page.getByTestId('export-done').textContent()).toContain(download.suggestedFilename());
      await screenshot(page, 'export-done');
      const files = Object.fromEntries(Object.entries(unzipSync(zip)).filter(([n]) => !n.endsWith('/')));
      for (const f of ['README.md', 'index.html', 'translate.js', 'config.json', 'G_A_AtoB/model.json', 'G_B_BtoA/model.json', 'D_A/model.json'])
        expect(Object.keys(files)).toContain(f);
      const config = JSON.parse(strFromU8(files['config.json']));
      expect(config).toMatchObject({ iteration: Number(/iter(\d+)/.exec(download.suggestedFilename())![1]), config: { ngf: 4, nBlocks: 1, inputNc: 3 } });

      // a fresh page: nothing but the zip's files and tfjs's published bundle
      const fresh = await context.newPage();
      const logs: string[] = [];
      fresh.on('console', (m) => logs.push(m.text()));
      fresh.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
      await fresh.route('https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/dist/tf.min.js', (r) => r.fulfill({ body: TF_MIN, contentType: 'text/javascript' }));
      await fresh.route(`${SITE}**`, (r) => {
        const name = decodeURIComponent(new URL(r.request().url()).pathname.slice(1));
        const body = files[name];
        if (!body) return r.fulfill({ status: 404, body: 'not found' });
        const type = name.endsWith('.html') ? 'text/html' : name.endsWith('.js') ? 'text/javascript' : name.endsWith('.json') ? 'application/json' : 'application/octet-stream';
        return r.fulfill({ body: Buffer.from(body), contentType: type });
      });
      await fresh.route(`${SITE}tfjs-backend-webgpu.js`, (r) => r.fulfill({ body: TF_WEBGPU, contentType: 'text/javascript' }));
      await fresh.goto(`${SITE}index.html`);
      await fresh.waitForFunction(() => typeof (window as unknown as { translate?: unknown }).translate === 'function');

      const rgba = fixedImage();
      const page_ = await fresh.evaluate(async (data) => {
        const w = window as unknown as Record<string, (...a: unknown[]) => unknown> & { tf: typeof tf };
        const image = new ImageData(new Uint8ClampedArray(data), 40, 32);
        const model = (await w.loadGenerator('G_A_AtoB/model.json')) as tf.GraphModel;
        const x = w.toModelInput(image) as tf.Tensor;
        const y = model.predict(x) as tf.Tensor;
        const canvas = (await w.translate(model, image)) as HTMLCanvasElement;
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        return { backend: w.tf.getBackend(), shape: y.shape, y: Array.from(await y.data()), canvas: [canvas.width, canvas.height], px: Array.from(px) };
      }, Array.from(rgba));
      expect(page_.shape).toEqual([1, 32, 40, 3]);
      expect(page_.canvas).toEqual([40, 32]);

      // Node: the same model.json with plain tfjs, and our generator with the exported weights
      const x = tf.tidy(() => tf.tensor4d(Float32Array.from(rgba.filter((_, i) => i % 4 !== 3)), [1, 32, 40, 3]).div(127.5).sub(1)) as tf.Tensor4D;
      const model = await loadGraphModelFiles(strFromU8(files['G_A_AtoB/model.json']), files['G_A_AtoB/group1-shard1of1.bin']);
      const nodeY = model.predict(x) as tf.Tensor;
      const c = config.config;
      const gen = new ResnetGenerator({ inputNc: c.inputNc, outputNc: c.inputNc, ngf: c.ngf, nBlocks: c.nBlocks }, new Rng(0));
      const weights = tf.io.decodeWeights(files['G_A_AtoB/group1-shard1of1.bin'].slice().buffer, JSON.parse(strFromU8(files['G_A_AtoB/model.json'])).weightsManifest[0].weights);
      for (const [k, v] of gen.params) v.assign(weights[k]);
      const ours = gen.apply(x);
      const [nodeData, oursData] = [await nodeY.data(), await ours.data()];
      const dPage = maxDiff(page_.y, nodeData);
      const dOurs = maxDiff(nodeData, oursData);
      console.log(`export e2e: page backend ${page_.backend}; max |page − Node graph| ${dPage.toExponential(2)}, max |Node graph − ResnetGenerator| ${dOurs.toExponential(2)}`);
      expect(tf.moments(ours).variance.dataSync()[0]).toBeGreaterThan(1e-6); // a real picture, not a constant
      expect(dPage).toBeLessThan(1e-5);
      expect(dOurs).toBeLessThan(1e-5);
      // the studio trains on WebGPU first: the exported graph runs there too (tfjs-backend-webgpu, software adapter)
      const gpu = await fresh.evaluate(async (data) => {
        const w = window as unknown as Record<string, (...a: unknown[]) => unknown> & { tf: typeof tf };
        await new Promise((ok, fail) => document.head.append(Object.assign(document.createElement('script'), { src: 'tfjs-backend-webgpu.js', onload: ok, onerror: fail })));
        if (!(await w.tf.setBackend('webgpu'))) return null;
        const model = (await w.loadGenerator('G_A_AtoB/model.json')) as tf.GraphModel;
        const y = model.predict(w.toModelInput(new ImageData(new Uint8ClampedArray(data), 40, 32)) as tf.Tensor) as tf.Tensor;
        return { backend: w.tf.getBackend(), y: Array.from(await y.data()) };
      }, Array.from(rgba));
      expect(gpu?.backend).toBe('webgpu');
      const dGpu = maxDiff(gpu!.y, nodeData);
      console.log(`export e2e: max |page on WebGPU − Node graph| ${dGpu.toExponential(2)}`);
      expect(dGpu).toBeLessThan(1e-5);
      // the snippet's canvas: round((y + 1) · 127.5), opaque
      const want = Array.from(oursData, (v) => Math.min(255, Math.max(0, Math.round((v + 1) * 127.5))));
      const got = page_.px.filter((_, i) => i % 4 !== 3);
      expect(maxDiff(got, want)).toBeLessThanOrEqual(1);
      tf.dispose([x, nodeY, ours, ...Object.values(weights)]);
      disposeParams(gen.params);
      model.dispose();

      // and the page itself: pick a file, see the translation
      const png = new PNG({ width: 40, height: 32 });
      png.data.set(rgba);
      await fresh.locator('#file').setInputFiles({ name: 'in.png', mimeType: 'image/png', buffer: PNG.sync.write(png) });
      await expect.poll(() => fresh.locator('#status').textContent(), { timeout: 30_000 }).toMatch(/^40×32, apples → oranges$/);
      expect(await fresh.locator('#result canvas').count()).toBe(1);
      await fresh.screenshot({ path: join(ROOT, 'test-results', 'export-index-html.png') });
      expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
      await fresh.close();
    }));
});
