import { describe, expect, it } from 'vitest';
import type { ImportedModelInfo, Picture, TranslateResult } from '../../src/protocol/messages';
import { createStudioStore } from './index';
import { FakeTrainer } from './testDoubles';

const pic: Picture = { width: 4, height: 4, rgba: new Uint8ClampedArray(64) };
const result = (generator: string): TranslateResult => ({ input: pic, output: pic, original: { width: 5, height: 3 }, generator, ms: 1 });
const model = (id: string, direction: 'AtoB' | 'BtoA' = 'BtoA'): ImportedModelInfo => ({
  id, name: `latest_net_G_${direction === 'AtoB' ? 'A' : 'B'}.pth`, format: 'pth', inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 2, params: 13379, direction, directionFrom: 'file name', bytes: 100,
});
const file = (name: string) => new File(['x'], name, { type: 'image/png' });

function setup(trainer: FakeTrainer) {
  const store = createStudioStore({ trainer: () => trainer, scheduleFrame: (cb) => cb() }, { backend: 'wasm' });
  return { s: () => store.getState() };
}

describe('translate slice', () => {
  it("translates dropped images one by one with the run's chosen direction; failures stay inline", async () => {
    const trainer = new FakeTrainer({
      translate: (r) => {
        if (r.file.name === 'bad.png') throw Object.assign(new Error('could not be decoded'), { name: 'ImageDecodeError' });
        return result(`${r.direction} ${r.file.name}`);
      },
    });
    const { s } = setup(trainer);
    s().setTranslateDirection('BtoA');
    await s().translateFiles([file('a.png'), file('bad.png')]);
    expect(trainer.calls).toEqual([
      { kind: 'translate', source: 'run', direction: 'BtoA', file: expect.objectContaining({ name: 'a.png' }) },
      { kind: 'translate', source: 'run', direction: 'BtoA', file: expect.objectContaining({ name: 'bad.png' }) },
    ]);
    const [a, bad] = s().translation.items;
    expect(a).toMatchObject({ status: 'done', direction: 'BtoA', result: { generator: 'BtoA a.png' } });
    expect(bad).toMatchObject({ status: 'error', error: 'could not be decoded' });
    expect(s().errors).toEqual([]); // not the global banner
    s().clearTranslations();
    expect(s().translation.items).toEqual([]);
  });

  it('follows the run: new visuals translate every image again, only when asked and only for the run', async () => {
    const trainer = new FakeTrainer({ translate: (r) => result(r.file.name) });
    const { s } = setup(trainer);
    await s().translateFiles([file('a.png'), file('b.png')]);
    expect(trainer.calls).toHaveLength(2);
    s().applyEvent({ type: 'visuals', iter: 20, images: { fake_B: pic } });
    expect(trainer.calls).toHaveLength(2); // off by default
    s().setFollow(true);
    s().applyEvent({ type: 'visuals', iter: 40, images: { fake_B: pic } });
    await new Promise((r) => setTimeout(r, 0));
    expect(trainer.calls).toHaveLength(4);
    expect(s().translation.items.map((it) => it.status)).toEqual(['done', 'done']);
    s().setImportedModels([model('m1')]);
    s().setTranslateSource('m1');
    s().applyEvent({ type: 'visuals', iter: 60, images: { fake_B: pic } });
    expect(trainer.calls).toHaveLength(4); // an imported generator does not change with the run
  });

  it('an import becomes the source and fixes the direction; dropping it (or losing it) falls back to the run', async () => {
    const trainer = new FakeTrainer({
      importGenerator: (r) => {
        if (r.files[0].name === 'hostile.pth') throw Object.assign(new Error("forbidden global 'posix.system'"), { name: 'PthError' });
        return model('m1');
      },
      translate: (r) => result(JSON.stringify(r.source) + r.direction),
      dropImportedModel: () => [],
    });
    const { s } = setup(trainer);
    expect(await s().importModel([new File(['x'], 'latest_net_G_B.pth')])).toBe(true);
    expect(s().translation).toMatchObject({ source: 'm1', models: [{ id: 'm1' }], importError: null });
    await s().translateFiles([file('a.png')]);
    expect(s().translation.items[0].result?.generator).toBe('{"model":"m1"}BtoA'); // the model's own direction

    expect(await s().importModel([new File(['x'], 'hostile.pth')])).toBe(false);
    expect(s().translation.importError).toBe("hostile.pth: forbidden global 'posix.system'");
    expect(s().translation.source).toBe('m1'); // nothing else changed

    await s().dropModel('m1');
    expect(s().translation).toMatchObject({ source: 'run', models: [] });

    s().applyEvent({ type: 'importedModels', models: [model('m2', 'AtoB')], notice: 'Imported generators reloaded on webgpu.' });
    expect(s().translation).toMatchObject({ models: [{ id: 'm2' }], notice: 'Imported generators reloaded on webgpu.', source: 'run' });
  });
});
