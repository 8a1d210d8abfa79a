/**
 * Bad input in real Chromium (wasm, TINY nets), through the real directory picker and the drop path: every
 * file of fixtures/bad is kept with PIL's convert('RGB') pixels or skipped with its reason in the domain panel,
 * training runs on the rest; big cases (10000×10000, 5,000 files) are written to a temp dir here.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, screenshot, waitForIter, withStudio, type Studio } from './studio';

const FIX = join(import.meta.dirname, '../fixtures/bad');
type Expected = { kept: true; width: number; height: number; corners: number[][]; cli: boolean } | { kept: false; reason: string; cliReason?: string };
const EXPECTED: Record<string, Expected> = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8'));
const KEPT = Object.keys(EXPECTED).filter((n) => EXPECTED[n].kept);
const SKIPPED = Object.keys(EXPECTED).filter((n) => !EXPECTED[n].kept);

/** Records, from page start: the engine's loadProgress events and the main thread's long tasks (> 50 ms). */
const RECORDER = `(() => {
  const rec = { progress: [], longtasks: [] };
  window.__bad = rec;
  document.addEventListener('change', () => rec.change = performance.now(), true);
  new PerformanceObserver((l) => { for (const e of l.getEntries()) rec.longtasks.push({ start: e.startTime, ms: e.duration }); }).observe({ type: 'longtask', buffered: true });
  const Base = window.Worker;
  window.Worker = class extends Base {
    postMessage(m, ...r) { const t = performance.now(); const out = super.postMessage(m, ...r); if (m && m.request && m.request.kind === 'loadFiles') (rec.posts = rec.posts || []).push([m.request.files.length, Math.round(performance.now() - t)]); return out; }
    constructor(url, opts) {
      super(url, opts);
      this.addEventListener('message', (e) => { const m = e.data; if (m && m.kind === 'event' && m.event.type === 'loadProgress') rec.progress.push({ t: performance.now(), done: m.event.done, total: m.event.total }); });
    }
  };
})();`;

let studio: Studio;
let root = '';
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cgs-bad-e2e-'));
  studio = await openStudio({ query: '?backend=wasm' });
  await studio.page.addInitScript(RECORDER);
  await studio.page.reload();
});
afterAll(async () => {
  await studio?.close();
  rmSync(root, { recursive: true, force: true });
});

const count = async (d: string) => Number((await studio.page.getByTestId(`count-${d}`).textContent())?.trim() || 0);
const waitCount = (d: string, n: number, timeout = 60_000) => expect.poll(() => count(d), { timeout, interval: 200 }).toBe(n);

function png(w: number, h: number, seed: number): Buffer {
  const p = new PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) p.data.set([(i * 7 + seed * 40) % 256, (i * 3) % 256, (seed * 90) % 256, 255], 4 * i);
  return PNG.sync.write(p);
}

/** A folder with a copy of the fixtures (without expected.json), and a folder of good images. */
function folders(): { mixed: string; good: string } {
  const mixed = join(root, 'mixed');
  cpSync(FIX, mixed, { recursive: true });
  rmSync(join(mixed, 'expected.json'));
  const good = join(root, 'zebras');
  mkdirSync(good, { recursive: true });
  for (let i = 0; i < 4; i++) writeFileSync(join(good, `z${i}.png`), png(40, 36, i));
  return { mixed, good };
}

/** RGB of the four corners of the thumbnail titled `name` (thumbnails ≤ 64 px are the decoded pixels 1:1). */
async function thumbCorners(domain: string, name: string): Promise<{ w: number; h: number; corners: number[][] }> {
  return studio.page.getByTestId(`thumbs-${domain}`).locator(`canvas[title="${name}"]`).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const at = (x: number, y: number) => Array.from(d.slice((y * c.width + x) * 4, (y * c.width + x) * 4 + 3));
    return { w: c.width, h: c.height, corners: [at(0, 0), at(c.width - 1, 0), at(0, c.height - 1), at(c.width - 1, c.height - 1)] };
  });
}

describe('bad input in the studio', () => {
  it('the directory picker keeps every decodable file, lists each bad one with its reason, and training runs on the rest', () =>
    withStudio(studio, async ({ page }) => {
      const { mixed, good } = folders();
      await page.getByTestId('pick-A').setInputFiles(mixed);
      await waitCount('A', KEPT.length);
      const panel = page.getByTestId('skipped-A');
      await expect.poll(() => panel.locator('li').count()).toBe(SKIPPED.length);
      await expect.poll(() => panel.locator('.skipped-head').textContent()).toContain(`Skipped ${SKIPPED.length} files — training uses the rest`);
      await panel.scrollIntoViewIfNeeded();
      await screenshot(page, 'badinput-skipped'); // the groups start closed: one line per reason
      for (const g of await panel.getByTestId('skipped-group').all()) if ((await g.getAttribute('open')) === null) await g.locator('summary').click();
      for (const name of SKIPPED) {
        const li = panel.locator('li', { hasText: new RegExp(`^mixed/${name.replace(/\./g, '\\.')}$`) });
        expect(await li.count(), name).toBe(1);
        expect(await li.getAttribute('title'), name).toMatch(new RegExp((EXPECTED[name] as { reason: string }).reason));
      }
      await screenshot(page, 'badinput-skipped-open');

      await page.getByTestId('pick-B').setInputFiles(good);
      await waitCount('B', 4);
      expect(await page.getByTestId('same-images-A').count()).toBe(0);
      await page.getByTestId('train').click();
      await waitForIter(page, 2);
      await page.getByTestId('stop').click();
    }));

  it('decodes like PIL: alpha dropped with its colour kept, 16-bit, CMYK, palette, gray, EXIF orientation, first GIF frame', () =>
    withStudio(studio, async ({ page }) => {
      const names = ['rgba.png', 'gray_alpha.png', 'rgb16.png', 'gray16.png', 'cmyk.jpg', 'palette.png', 'gray.png', 'palette_trns.png', 'rgb_trns.png', 'exif_orientation_3.jpg', 'exif_orientation_6.jpg', 'exif_orientation_8.jpg', 'animated.gif', 'picture.webp', 'picture.bmp'];
      // two folders: the panel draws the first 12 thumbnails, and thumbnails this small are the decoded pixels 1:1
      for (const [k, part] of [names.slice(0, 9), names.slice(9)].entries()) {
        const dir = join(root, `pixels${k}`);
        mkdirSync(dir, { recursive: true });
        for (const n of part) cpSync(join(FIX, n), join(dir, n));
        await page.getByTestId('pick-B').setInputFiles(dir);
        await expect.poll(() => page.getByTestId('domain-B').textContent(), { timeout: 60_000 }).toContain(`pixels${k}`);
        await waitCount('B', part.length);
        for (const n of part) {
          const e = EXPECTED[n] as { width: number; height: number; corners: number[][] };
          const got = await thumbCorners('B', `pixels${k}/${n}`);
          // soft: one run reports every file that decodes wrong, not only the first
          expect.soft([got.w, got.h], n).toEqual([e.width, e.height]);
          const tol = n.endsWith('.jpg') ? 4 : 0; // libjpeg builds differ by a rounding step
          expect.soft(got.corners.flat().every((v, i) => Math.abs(v - e.corners.flat()[i]) <= tol), `${n}: ${got.corners} vs ${e.corners.slice(0, 4)}`).toBe(true);
        }
        // what was not used as it is, the panel says: which GIF frame, and that alpha was dropped (not composited)
        const noted = await page.getByTestId('notes-B').locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('title')));
        const transparency = "transparency dropped: transparent pixels keep their stored colour, as the reference's convert('RGB')";
        expect.soft(noted.sort()).toEqual(
          k === 0
            ? [`pixels0/palette_trns.png — ${transparency}`, `pixels0/rgb_trns.png — ${transparency}`, `pixels0/rgba.png — ${transparency}`] // gray_alpha.png has an alpha channel, but every pixel is opaque: nothing dropped
            : ['pixels1/animated.gif — animated GIF (2 frames): only the first frame is used'],
        );
        if (noted.length) expect.soft(await page.getByTestId('notes-B').locator('.skipped-head').textContent()).toBe(`Kept ${noted.length} file${noted.length === 1 ? '' : 's'} with a note`);
        if (k === 1) {
          await page.getByTestId('notes-B').scrollIntoViewIfNeeded();
          await screenshot(page, 'badinput-notes-gif');
        }
      }
    }));

  it('the drop path: paths kept for same-named files, bad files listed, and the same folder in A and B is flagged in both panels', () =>
    withStudio(studio, async ({ page }) => {
      const files = ['rgb.png', 'sub/rgb.png', 'tiny_8x8.png', 'truncated.png', 'IMG_0001.HEIC', 'drawing.svg', 'empty.png', '.DS_Store'].map((n) => ({
        path: `/drop/${n}`, b64: readFileSync(join(FIX, n)).toString('base64'),
      }));
      await page.getByTestId('drop-A').evaluate(async (zone, files) => {
        // a synthetic drop has no directory entries: the same File objects a folder drop gives, named by path
        const dt = new DataTransfer();
        for (const f of files) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.path.slice(1)));
        for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      }, files);
      await waitCount('A', 3);
      const titles = await page.getByTestId('thumbs-A').locator('canvas').evaluateAll((cs) => cs.map((c) => c.getAttribute('title')));
      expect(titles).toEqual(['drop/rgb.png', 'drop/sub/rgb.png', 'drop/tiny_8x8.png']);
      const text = await page.getByTestId('skipped-A').textContent();
      for (const r of [/truncated or corrupt PNG/, /HEIC\/HEIF photos cannot be decoded/, /SVG is skipped/, /empty file \(0 bytes\)/, /operating system/]) expect(text).toMatch(r);

      // the same folder as both domains
      const { good } = folders();
      await page.getByTestId('pick-A').setInputFiles(good);
      await waitCount('A', 4);
      await page.getByTestId('pick-B').setInputFiles(good);
      await waitCount('B', 4);
      for (const d of ['A', 'B']) await expect.poll(() => page.getByTestId(`same-images-${d}`).textContent()).toMatch(new RegExp(`Same images as domain ${d === 'A' ? 'B' : 'A'}`));
      await screenshot(page, 'badinput-same-folder');
      await page.getByTestId('clear-B').click();
      await expect.poll(() => page.getByTestId('same-images-A').count()).toBe(0);
    }));

  it('an empty folder says so; a folder of only bad files shows 0 images and why', () =>
    withStudio(studio, async ({ page }) => {
      const empty = join(root, 'empty');
      mkdirSync(empty, { recursive: true });
      await page.getByTestId('pick-B').setInputFiles(empty);
      await expect.poll(() => page.getByTestId('error-banner').textContent()).toMatch(/Nothing to load into domain B.*holds no files/);
      const bad = join(root, 'allbad');
      mkdirSync(bad, { recursive: true });
      for (const n of ['notes.txt', 'truncated.jpg', 'fake.png']) cpSync(join(FIX, n), join(bad, n));
      await page.getByTestId('pick-B').setInputFiles(bad);
      await expect.poll(() => page.getByTestId('skipped-B').textContent()).toMatch(/Skipped 3 files — no usable image in this domain/);
      expect(await count('B')).toBe(0);
      expect(await page.getByTestId('train').isDisabled()).toBe(true);
    }));
});

/** An 8-bit gray PNG written directly (filter-0 rows, zlib level 1): left half 40, right half 200. */
function bigGrayPng(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (let i = 0; i < b.length; i++) c = crcTable[(c ^ b[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(td.length + 8);
    out.writeUInt32BE(data.length, 0);
    td.copy(out, 4);
    out.writeUInt32BE(crc(td), td.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const row = Buffer.alloc(w + 1);
  row.fill(40, 1, 1 + w / 2);
  row.fill(200, 1 + w / 2);
  const raw = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) row.copy(raw, y * (w + 1));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

describe('big input', () => {
  it('a 10000×10000 photo and a 20000×100 panorama are decoded downscaled (bounded) and kept', () =>
    withStudio(studio, async ({ page }) => {
      const dir = join(root, 'huge');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'big_10000.png'), bigGrayPng(10_000, 10_000));
      writeFileSync(join(dir, 'pano_20000x100.png'), bigGrayPng(20_000, 100));
      await page.getByTestId('pick-A').setInputFiles(dir);
      await waitCount('A', 2, 120_000);
      expect(await page.getByTestId('skipped-A').textContent()).not.toMatch(/Skipped/);
      const big = await page.getByTestId('thumbs-A').locator('canvas[title="huge/big_10000.png"]').evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        return { w: c.width, h: c.height, left: d[4 * (c.width * 5 + 2)], right: d[4 * (c.width * 5 + c.width - 3)] };
      });
      expect(big).toEqual({ w: 64, h: 64, left: 40, right: 200 });
      const pano = await page.getByTestId('thumbs-A').locator('canvas[title="huge/pano_20000x100.png"]').evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
      expect(pano).toEqual([64, 1]); // kept as 1144×6 (longer side ≤ 4 × 286); its thumbnail is 64 wide
    }));

  it('5,000 images: streamed in parts with progress, all counted, the page not blocked while loading (long tasks measured)', () =>
    withStudio(studio, async ({ page }) => {
      const dir = join(root, 'many');
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < 5000; i++) writeFileSync(join(dir, `img_${i}.png`), png(16, 16, i % 7));
      writeFileSync(join(dir, 'notes.txt'), 'not a picture');
      await page.evaluate(() => {
        const rec = (window as unknown as { __bad: { progress: unknown[]; longtasks: unknown[] } }).__bad;
        rec.progress.length = 0;
        rec.longtasks.length = 0;
      });
      await page.getByTestId('pick-B').setInputFiles(dir);
      await waitCount('B', 5000, 300_000);
      const rec = await page.evaluate(() => (window as unknown as { __bad: { progress: { done: number; total: number }[]; longtasks: { start: number; ms: number }[] } }).__bad);
      const progress = rec.progress;
      expect(progress.length).toBeGreaterThanOrEqual(5);
      expect(progress.at(-1)).toEqual({ ...progress.at(-1), done: 5001, total: 5001 });
      for (let i = 1; i < progress.length; i++) expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);
      expect(await page.getByTestId('skipped-B').textContent()).toMatch(/notes\.txt/);
      // What the page's own code blocks: every task from the change event on (Chromium builds the FileList of 5,000
      // files in one task before it, which no page can split). The budget is 50 ms; this 2-core machine is shared
      // by several test runs, which stretches any task's wall time (a 1-file post measured 20–30 ms there), so the bar here is 400 ms: posting the 5,000
      // Files in one message took 1.8–4.5 s on it, the parts take 16 ms of work each.
      const change = (rec as unknown as { change: number }).change;
      const blocked = rec.longtasks.filter((t) => t.start + t.ms > change).map((t) => Math.round(t.start + t.ms - Math.max(t.start, change)));
      console.log(`5,000 files: ${progress.length} progress events; main-thread tasks over 50 ms after the pick: ${blocked.length} (${blocked.join(', ')} ms); posts (files, ms): ${JSON.stringify((rec as unknown as { posts: number[][] }).posts.filter((p) => p[1] > 20))}`);
      expect(Math.max(0, ...blocked), `long tasks during the load: ${blocked.join(', ')} ms`).toBeLessThan(400);
    }));
});
