/**
 * The round trip with the official PyTorch trainer, on the real Engine (cpu): exportPytorch packs the run's four
 * networks, its images as PNG and the README; importOfficialRun takes the four .pth back into a new run whose
 * networks are bit-identical (netDigest), adopting the files' ngf/ndf where the config differs, and refusing
 * without images or with a file missing.
 */
import { strFromU8, unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { fromRGBA } from '../data/image';
import { Engine } from './engine';
import { pngImages, runName } from './official';
import { emptyDomain } from './domains';
import { trackEngines } from '../testing/engines';

const tiny = { loadSize: 18, cropSize: 16, ngf: 4, nBlocks: 1, ndf: 4, nLayersD: 2, nEpochs: 1, nEpochsDecay: 1, poolSize: 2 };
const demo = { kind: 'loadDemo', demo: 'apples2oranges', options: { count: 3, size: 24 } } as const;

const track = trackEngines({ leaks: true });
const make = () => track(new Engine({ decode: async (f) => { const p = PNG.sync.read(Buffer.from(await f.arrayBuffer())); return fromRGBA(f.name, p.width, p.height, p.data); } }));

/** An engine on the demo with a run of two iterations. */
async function trained(): Promise<Engine> {
  const e = make();
  await e.call({ kind: 'configure', config: tiny });
  await e.call(demo);
  await e.call({ kind: 'step' });
  await e.call({ kind: 'step' });
  return e;
}

const unzip = (bytes: Uint8Array) => Object.fromEntries(Object.entries(unzipSync(bytes)).filter(([n]) => !n.endsWith('/')));
const pthFiles = (files: Record<string, Uint8Array>) =>
  Object.entries(files).filter(([n]) => n.endsWith('.pth')).map(([n, b]) => new File([b as Uint8Array<ArrayBuffer>], n.slice(n.lastIndexOf('/') + 1)));

describe('exportPytorch', () => {
  it('is refused before a run; then holds the four networks, the demo images as PNG and the train.py command', async () => {
    const e = make();
    await e.call({ kind: 'configure', config: tiny });
    await e.call(demo);
    await expect(e.call({ kind: 'exportPytorch' })).rejects.toMatchObject({ name: 'NoRunError', message: expect.stringMatching(/Train \(or Step\)/) });
    await e.call({ kind: 'step' });
    await e.call({ kind: 'step' });
    const { fileName, bytes, imagesNote } = await e.call({ kind: 'exportPytorch' });
    expect(fileName).toBe('apples2oranges-pytorch-iter2.zip');
    expect(imagesNote).toBeUndefined();
    const files = unzip(bytes);
    for (const net of ['G_A', 'G_B', 'D_A', 'D_B']) expect(files[`checkpoints/apples2oranges/latest_net_${net}.pth`]?.length).toBeGreaterThan(1000);
    for (const d of ['A', 'B']) {
      const pngs = Object.keys(files).filter((n) => n.startsWith(`datasets/apples2oranges/train${d}/`) && n.endsWith('.png'));
      expect(pngs).toHaveLength(3);
      expect(PNG.sync.read(Buffer.from(files[pngs[0]]))).toMatchObject({ width: 24, height: 24 });
    }
    expect(strFromU8(files['README.md'])).toMatch(/train\.py[\s\S]*--name apples2oranges[\s\S]*--continue_train/);
  });

  it('writes folder images as PNG under their names, pixel for pixel; too many bytes give null (a NOTE)', async () => {
    const img = fromRGBA('horses/h1.jpg', 2, 1, new Uint8Array([10, 20, 30, 255, 40, 50, 60, 255]));
    const data = { A: { ...emptyDomain(), images: [img], source: 'horses' }, B: { ...emptyDomain(), images: [img], source: 'zebras, more' } };
    expect(runName(data)).toBe('horses2zebras');
    const out = (await pngImages(data))!;
    expect(out.A[0].path).toBe('horses/h1.png');
    expect([...PNG.sync.read(Buffer.from(out.A[0].bytes)).data]).toEqual([10, 20, 30, 255, 40, 50, 60, 255]);
    expect(await pngImages(data, 10)).toBeNull();
  });
});

describe('importOfficialRun', () => {
  it('continues from the exported networks bit for bit, adopting the ngf and ndf of the files', async () => {
    const a = await trained();
    const digest = await a.call({ kind: 'netDigest' });
    const pth = pthFiles(unzip((await a.call({ kind: 'exportPytorch' })).bytes));
    expect(pth.map((f) => f.name).sort()).toEqual(['latest_net_D_A.pth', 'latest_net_D_B.pth', 'latest_net_G_A.pth', 'latest_net_G_B.pth']);

    const b = make();
    await b.call({ kind: 'configure', config: { ...tiny, ngf: 8, ndf: 6 } }); // not the files' networks
    await b.call(demo);
    const r = await b.call({ kind: 'importOfficialRun', files: pth });
    expect(r.changed).toEqual(['ngf 8 → 4', 'ndf 6 → 4']);
    expect(r.config).toMatchObject({ ngf: 4, ndf: 4, nBlocks: 1 });
    expect(r.status).toMatchObject({ state: 'paused', iter: 0 });
    expect(await b.call({ kind: 'netDigest' })).toEqual(digest);
    expect((await b.call({ kind: 'step' })).iter).toBe(1); // and it trains on
  });

  it('refuses without images, and names the missing file, changing nothing', async () => {
    const a = await trained();
    const pth = pthFiles(unzip((await a.call({ kind: 'exportPytorch' })).bytes));
    const b = make();
    await expect(b.call({ kind: 'importOfficialRun', files: pth })).rejects.toMatchObject({ name: 'EmptyDomainError', message: expect.stringMatching(/load the images to train on/) });
    await b.call({ kind: 'configure', config: tiny });
    await b.call(demo);
    await expect(b.call({ kind: 'importOfficialRun', files: pth.filter((f) => !f.name.includes('D_B')) })).rejects.toMatchObject({ name: 'PthError', message: expect.stringMatching(/no latest_net_D_B\.pth/) });
    expect(await b.call({ kind: 'netDigest' })).toBeNull(); // still no run
  });
});
