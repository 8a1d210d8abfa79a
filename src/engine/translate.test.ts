/** The engine's Translate requests: same pixels as the generator run directly, and the run is never disturbed. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { makeDemo } from '../data/demo';
import { encodeGeneratorFiles } from '../io/pth/generatorFile';
import { importGenerator, importPthGenerator } from '../io/pth/pth';
import { translate } from '../io/translate';
import { disposeParams } from '../model/params';
import type { EngineEvent, LossPoint, Picture } from '../protocol/messages';
import { transfersOf } from '../protocol/transfer';
import { syntheticImage } from '../testing/synthetic';
import { CycleGANTrainer } from '../train/trainer';
import { Engine } from './engine';
import { trackEngines } from '../testing/engines';
import { decodePng, pngOf } from '../testing/png';

const PTH = fileURLToPath(new URL('../../fixtures/pth/', import.meta.url));
const tiny = { loadSize: 18, cropSize: 16, ngf: 4, nBlocks: 1, ndf: 4, nLayersD: 2, nEpochs: 1, nEpochsDecay: 1, poolSize: 2 };
const demoOptions = { count: 3, size: 24 };

const fixture = (name: string, as = `${name}.pth`) => new File([readFileSync(`${PTH}/${name}.pth`)], as);

/** The RGB bytes of a Picture (RGBA, alpha 255). */
const rgbOf = (p: Picture) => Uint8Array.from(p.rgba.filter((_, i) => i % 4 !== 3));

const track = trackEngines();
async function readyEngine(): Promise<{ e: Engine; events: EngineEvent[] }> {
  const e = new Engine({ decode: decodePng, lossFlushMs: 0 });
  track(e);
  const events: EngineEvent[] = [];
  e.onEvent((ev) => events.push(ev));
  await e.call({ kind: 'loadDemo', demo: 'apples2oranges', options: demoOptions });
  await e.call({ kind: 'configure', config: tiny, sampleEvery: 1000 });
  return { e, events };
}
const lossesOf = (events: EngineEvent[]): LossPoint[] =>
  events.flatMap((ev) => (ev.type === 'losses' ? ev.points : [])).map((p) => ({ ...p, ms: 0 }));

const image = syntheticImage('photo.png', 37, 22, 5); // non-square, sides not multiples of 4

describe('Translate in the engine', () => {
  it("translates with the run's G_A / G_B exactly as the generator does when run directly", async () => {
    const { e } = await readyEngine();
    await expect(e.call({ kind: 'translate', source: 'run', direction: 'AtoB', file: pngOf(image) })).rejects.toMatchObject({ name: 'TranslateError', message: expect.stringMatching(/no run to translate with yet/) });
    await e.call({ kind: 'step' });
    await e.call({ kind: 'step' });
    const ab = await e.call({ kind: 'translate', source: 'run', direction: 'AtoB', file: pngOf(image) });
    const ba = await e.call({ kind: 'translate', source: 'run', direction: 'BtoA', file: pngOf(image) });
    expect(ab.original).toEqual({ width: 37, height: 22 });
    expect([ab.output.width, ab.output.height, ab.input.width, ab.input.height]).toEqual([36, 24, 36, 24]); // rounded to multiples of 4
    expect(ab.generator).toBe('G_A of the run, iteration 2');
    expect(ba.generator).toBe('G_B of the run, iteration 2');
    expect(transfersOf(ab)).toEqual([ab.input.rgba.buffer, ab.output.rgba.buffer]); // the worker moves the pixels, no copy

    // the same run, outside the engine: same seed, same data, two iterations
    const d = makeDemo('apples2oranges', demoOptions);
    const t = new CycleGANTrainer(tiny, { A: d.A, B: d.B });
    try {
      await t.step();
      await t.step();
      const wantAB = await translate(t.models.G_A, image);
      const wantBA = await translate(t.models.G_B, image);
      expect(rgbOf(ab.output)).toEqual(wantAB.output.data);
      expect(rgbOf(ab.input)).toEqual(wantAB.input.data);
      expect(rgbOf(ba.output)).toEqual(wantBA.output.data);
      expect(rgbOf(ab.output)).not.toEqual(rgbOf(ba.output)); // two different generators
    } finally {
      t.dispose();
    }
  });

  it('leaves training untouched: the same losses with translations between iterations, and while it trains', async () => {
    const plain = await readyEngine();
    for (let i = 0; i < 6; i++) await plain.e.call({ kind: 'step' }); // the whole schedule: 2 epochs × 3
    const want = lossesOf(plain.events);
    expect(want.map((p) => p.iter)).toEqual([1, 2, 3, 4, 5, 6]);

    const stepped = await readyEngine();
    await stepped.e.call({ kind: 'importGenerator', files: [fixture('g_zip')] });
    for (let i = 0; i < 6; i++) {
      await stepped.e.call({ kind: 'step' });
      await stepped.e.call({ kind: 'translate', source: 'run', direction: i % 2 ? 'AtoB' : 'BtoA', file: pngOf(image) });
      await stepped.e.call({ kind: 'translate', source: { model: 'm1' }, direction: 'AtoB', file: pngOf(image) });
    }
    expect(lossesOf(stepped.events)).toEqual(want);

    const live = await readyEngine();
    await live.e.call({ kind: 'step' }); // a run exists before the loop starts
    await live.e.call({ kind: 'start' });
    const during: Promise<unknown>[] = [];
    for (let i = 0; i < 4; i++) during.push(live.e.call({ kind: 'translate', source: 'run', direction: 'AtoB', file: pngOf(image) }));
    await Promise.all(during);
    await live.e.idle();
    expect((await live.e.call({ kind: 'pause' })).state).toBe('done');
    expect(lossesOf(live.events)).toEqual(want);
  });

  it('imports a PyTorch .pth and our generator.json + .bin; translates like the generator; drops free every tensor', async () => {
    const { e, events } = await readyEngine();
    const before = tf.memory().numTensors;
    const info = await e.call({ kind: 'importGenerator', files: [fixture('g_legacy', 'latest_net_G_B.pth')] });
    expect(info).toMatchObject({ id: 'm1', name: 'latest_net_G_B.pth', format: 'pth', ngf: 4, nBlocks: 2, inputNc: 3, outputNc: 3, params: 13_379, direction: 'BtoA', directionFrom: 'file name' });
    const r = await e.call({ kind: 'translate', source: { model: info.id }, direction: 'BtoA', file: pngOf(image) });
    expect(r.generator).toBe('latest_net_G_B.pth');
    const { generator } = importPthGenerator(new Uint8Array(readFileSync(`${PTH}/g_legacy.pth`)));
    try {
      expect(rgbOf(r.output)).toEqual((await translate(generator, image)).output.data);
    } finally {
      disposeParams(generator.params);
    }

    const { json, bin } = encodeGeneratorFiles(importGenerator(new Uint8Array(readFileSync(`${PTH}/g_zip.pth`))), 'AtoB', 'latest_net_G_A.pth');
    const ours = await e.call({ kind: 'importGenerator', files: [new File([json], 'generator.json'), new File([new Uint8Array(bin)], 'generator.bin')] });
    expect(ours).toMatchObject({ id: 'm2', format: 'generator.json', direction: 'AtoB', directionFrom: 'generator.json', params: 13_379 });
    const viaJson = await e.call({ kind: 'translate', source: { model: 'm2' }, direction: 'AtoB', file: pngOf(image) });
    const viaPth = await e.call({ kind: 'importGenerator', files: [fixture('g_zip')] });
    expect(viaPth.directionFrom).toBe('default');
    const direct = await e.call({ kind: 'translate', source: { model: viaPth.id }, direction: 'AtoB', file: pngOf(image) });
    expect(rgbOf(viaJson.output)).toEqual(rgbOf(direct.output));

    const models = events.filter((ev) => ev.type === 'importedModels');
    expect(models.at(-1)).toMatchObject({ models: [{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }] });
    for (const id of ['m1', 'm2', 'm3']) await e.call({ kind: 'dropImportedModel', id });
    expect(tf.memory().numTensors).toBe(before);
    await expect(e.call({ kind: 'translate', source: { model: 'm1' }, direction: 'AtoB', file: pngOf(image) })).rejects.toMatchObject({ name: 'TranslateError', message: expect.stringMatching(/dropped/) });
  });

  it('refuses bad model files with a specific message, and keeps everything else working', async () => {
    const { e } = await readyEngine();
    await e.call({ kind: 'importGenerator', files: [fixture('g_zip')] });
    const zip = readFileSync(`${PTH}/g_zip.pth`);
    const { json, bin } = encodeGeneratorFiles(importGenerator(new Uint8Array(zip)), 'AtoB');
    const pair = (j: string, b: Uint8Array) => [new File([j], 'generator.json'), new File([new Uint8Array(b)], 'generator.bin')];
    const bad: [File[], RegExp][] = [
      [[fixture('hostile')], /forbidden global 'posix\.system'.*nothing was executed/],
      [[new File([zip.subarray(0, zip.length - 100)], 'cut.pth')], /corrupt or truncated/],
      [[fixture('g_wrong_shape')], /model\.10\.conv_block\.5\.weight has shape \[16,16,1,1\]/],
      [[fixture('d')], /NLayerDiscriminator/],
      [[new File([], 'empty.pth')], /empty/],
      [pair('{"format": "cyclegan-studio-generator", ', bin), /not valid JSON/],
      [pair(json.replace('"ngf": 4', '"ngf": -4'), bin), /options\.ngf must be an integer/],
      [pair(json, bin.subarray(0, bin.length - 8)), /generator\.bin has 53,508 bytes, but .* needs 53,516/],
      [pair(json, new Uint8Array(bin.length + 4)), /needs 53,516/],
      [[new File(['x'], 'notes.txt')], /expected one PyTorch generator/],
    ];
    for (const [files, msg] of bad)
      await expect(e.call({ kind: 'importGenerator', files }), files[0].name).rejects.toMatchObject({ name: 'PthError', message: expect.stringMatching(msg) });
    await expect(e.call({ kind: 'translate', source: 'run', direction: 'AtoB', file: new File(['hi'], 'a.txt', { type: 'text/plain' }) })).rejects.toMatchObject({ name: 'NotAnImageError' });
    // still working: the earlier import translates, and training steps
    expect((await e.call({ kind: 'translate', source: { model: 'm1' }, direction: 'AtoB', file: pngOf(image) })).output.width).toBe(36);
    expect((await e.call({ kind: 'step' })).iter).toBe(1);
  });

  it("imports a generator folder of the studio's Export (model.json + .bin): the same pixels as the run's", async () => {
    const { e } = await readyEngine();
    await e.call({ kind: 'step' });
    const zip = unzipSync((await e.call({ kind: 'exportModel' })).bytes);
    const folder = (dir: string) => {
      const json = Object.keys(zip).find((k) => k.endsWith(`${dir}/model.json`))!;
      const bin = Object.keys(zip).find((k) => k.startsWith(json.replace('model.json', '')) && k.endsWith('.bin'))!;
      return { json: strFromU8(zip[json]), bin: zip[bin] };
    };
    const gb = folder('G_B_BtoA');
    const files = (json: string, bin: Uint8Array) => [new File([json], 'model.json'), new File([new Uint8Array(bin)], 'group1-shard1of1.bin')];
    const info = await e.call({ kind: 'importGenerator', files: files(gb.json, gb.bin) });
    expect(info).toMatchObject({ format: 'model.json', direction: 'BtoA', directionFrom: 'model.json', ngf: 4, nBlocks: 1 });
    const viaExport = await e.call({ kind: 'translate', source: { model: info.id }, direction: 'BtoA', file: pngOf(image) });
    const viaRun = await e.call({ kind: 'translate', source: 'run', direction: 'BtoA', file: pngOf(image) });
    expect(rgbOf(viaExport.output)).toEqual(rgbOf(viaRun.output));

    const huge = gb.json.replace(/"ngf":\s*4/, '"ngf": 1000');
    expect(huge).not.toBe(gb.json);
    await expect(e.call({ kind: 'importGenerator', files: files(huge, gb.bin) })).rejects.toMatchObject({ name: 'GraphModelError', message: expect.stringMatching(/group1-shard1of1\.bin has [\d,]+ bytes, but model\.json lists [\d,]+ bytes of weights and its generator needs/) });
    await expect(e.call({ kind: 'importGenerator', files: files(gb.json.replace(/"ngf":\s*4/, '"ngf": "4"'), gb.bin) })).rejects.toMatchObject({ message: expect.stringMatching(/options\.ngf must be an integer/) });
    await expect(e.call({ kind: 'importGenerator', files: files(gb.json, gb.bin.subarray(4)) })).rejects.toMatchObject({ name: 'GraphModelError' });
    // a malformed model.json: named, and nothing else disturbed (the import above still translates)
    await expect(e.call({ kind: 'importGenerator', files: files(gb.json.slice(0, 40), gb.bin) })).rejects.toMatchObject({ name: 'PthError', message: 'model.json is not valid JSON' });
    expect((await e.call({ kind: 'translate', source: { model: info.id }, direction: 'BtoA', file: pngOf(image) })).output.width).toBe(viaRun.output.width);
  });

  it('imports the whole Export .zip as one model with both directions, each translating as the run does', async () => {
    const { e } = await readyEngine();
    await e.call({ kind: 'step' });
    const exported = await e.call({ kind: 'exportModel' });
    const tensors = tf.memory().numTensors;
    const info = await e.call({ kind: 'importGenerator', files: [new File([exported.bytes.slice()], exported.fileName)] });
    expect(info).toMatchObject({ name: exported.fileName, format: 'export.zip', pair: true, directionFrom: 'export.zip', ngf: 4, nBlocks: 1, domains: { A: expect.any(String), B: expect.any(String) } });
    for (const direction of ['AtoB', 'BtoA'] as const) {
      const viaZip = await e.call({ kind: 'translate', source: { model: info.id }, direction, file: pngOf(image) });
      const viaRun = await e.call({ kind: 'translate', source: 'run', direction, file: pngOf(image) });
      expect(viaZip.generator).toBe(`${exported.fileName}: ${direction === 'AtoB' ? 'G_A (A → B)' : 'G_B (B → A)'}`);
      expect(rgbOf(viaZip.output)).toEqual(rgbOf(viaRun.output));
    }
    await e.call({ kind: 'dropImportedModel', id: info.id });
    expect(tf.memory().numTensors).toBe(tensors); // both generators freed

    // unzipped and zipped again under a folder, only G_B kept: one generator, B → A
    const entries = unzipSync(exported.bytes);
    const onlyB = zipSync(Object.fromEntries(Object.entries(entries).filter(([k]) => k.startsWith('G_B_BtoA/')).map(([k, v]) => [`my run/${k}`, v])));
    expect(await e.call({ kind: 'importGenerator', files: [new File([onlyB], 'g_b.zip')] })).toMatchObject({ direction: 'BtoA', name: 'g_b.zip (my run/G_B_BtoA/model.json)' });
    const pngs = zipSync({ 'a_fake_B.png': new Uint8Array(PNG.sync.write(new PNG({ width: 2, height: 2 }))) });
    await expect(e.call({ kind: 'importGenerator', files: [new File([pngs], 'translations.zip')] })).rejects.toMatchObject({ name: 'PthError', message: expect.stringMatching(/translations\.zip holds no exported generator .* it holds a_fake_B\.png/) });
    await expect(e.call({ kind: 'importGenerator', files: [new File([exported.bytes.slice(0, 5000)], 'cut.zip')] })).rejects.toMatchObject({ message: expect.stringMatching(/cut\.zip is not a readable zip/) });
    const mixed = zipSync({ ...entries, 'G_A_AtoB/model.json': strToU8(strFromU8(entries['G_A_AtoB/model.json']).replace(/"ngf":\s*4/, '"ngf": 2')) });
    await expect(e.call({ kind: 'importGenerator', files: [new File([mixed], 'mixed.zip')] })).rejects.toMatchObject({ name: 'GraphModelError' });
  });

  it('a backend switch rebuilds the imported generators on the new backend (same output)', async () => {
    const { e, events } = await readyEngine();
    await e.call({ kind: 'init', backend: 'cpu' });
    await e.call({ kind: 'importGenerator', files: [fixture('g_zip')] });
    const first = await e.call({ kind: 'translate', source: { model: 'm1' }, direction: 'AtoB', file: pngOf(image) });
    const tensors = tf.memory().numTensors;
    await e.call({ kind: 'init', backend: 'auto' });
    expect(events.filter((ev) => ev.type === 'importedModels').at(-1)).toMatchObject({ models: [{ id: 'm1' }], notice: expect.stringMatching(/reloaded on cpu/) });
    expect(tf.memory().numTensors).toBe(tensors); // the old copies were freed
    const again = await e.call({ kind: 'translate', source: { model: 'm1' }, direction: 'AtoB', file: pngOf(image) });
    expect(rgbOf(again.output)).toEqual(rgbOf(first.output));
  });
});
