import { describe, expect, it } from 'vitest';
import type { ImportedModelInfo, Picture, Request, TranslateResult } from '../../src/protocol/messages';
import { Supervisor } from '../../src/worker/supervisor';
import { createStudioStore } from './index';
import { directionFor } from './translate';
import { FakeEngine, status } from '../testing/doubles';

const pic: Picture = { width: 4, height: 4, rgba: new Uint8ClampedArray(64) };
const result = (generator: string): TranslateResult => ({ input: pic, output: pic, original: { width: 5, height: 3 }, generator, ms: 1 });
const model = (id: string, direction: 'AtoB' | 'BtoA' = 'BtoA'): ImportedModelInfo => ({
  id, name: `latest_net_G_${direction === 'AtoB' ? 'A' : 'B'}.pth`, format: 'pth', inputNc: 3, outputNc: 3, ngf: 4, nBlocks: 2, params: 13379, direction, directionFrom: 'file name', bytes: 100,
});
const file = (name: string) => new File(['x'], name, { type: 'image/png' });

function setup(trainer: FakeEngine) {
  const store = createStudioStore({ engine: () => trainer, scheduleFrame: (cb) => cb() }, { backend: 'wasm' });
  return { s: () => store.getState() };
}

describe('translate slice', () => {
  it("translates dropped images one by one with the run's chosen direction; failures stay inline", async () => {
    const trainer = new FakeEngine({
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
    const trainer = new FakeEngine({ translate: (r) => result(r.file.name) });
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
    const trainer = new FakeEngine({
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

  it('after a worker restart (a crash) the imported generators are imported again from their files; the one in use stays in use', async () => {
    let worker = 1, next = 1;
    let held: ImportedModelInfo[] = []; // what the current worker holds
    const trainer = new (class extends FakeEngine {
      restart() {
        worker++;
        next = 1; // a fresh worker holds nothing and numbers its models from m1 again
        held = [];
        this.calls.push({ kind: 'restart' } as unknown as Request);
      }
    })({
      init: (r) => ({ name: 'wasm', requested: r.backend, reason: 'test' }),
      configure: () => status(),
      takeLastGood: () => null,
      importGenerator: (r) => {
        if (r.files[0].name === 'gone.pth' && worker > 1) throw Object.assign(new Error('the file could not be read'), { name: 'NotReadableError' });
        const info = { ...model(`m${next++}`, r.files[0].name.includes('G_A') ? 'AtoB' : 'BtoA'), name: r.files[0].name };
        held = [...held, info];
        trainer.emit({ type: 'importedModels', models: held }); // the engine's own event, before the answer
        return info;
      },
      dropImportedModel: (r) => (held = held.filter((m) => m.id !== r.id)),
      translate: (r) => result(`worker ${worker} ${JSON.stringify(r.source)} ${r.direction}`),
    });
    const engine = new Supervisor(trainer); // the page's engine, which sets a restarted worker up again
    const store = createStudioStore({ engine: () => engine, scheduleFrame: (cb) => cb() }, { backend: 'wasm' });
    engine.onEvent((e) => store.getState().applyEvent(e));
    const s = () => store.getState();
    const gA = new File(['x'], 'latest_net_G_A.pth'), gB = new File(['x'], 'latest_net_G_B.pth');
    await s().importModel([new File(['x'], 'gone.pth')]); // m1
    await s().importModel([gA]); // m2
    await s().importModel([gB]); // m3
    s().setTranslateSource('m3');
    trainer.calls.length = 0;

    await s().onFault({ kind: 'crash', message: 'The worker crashed.', wasTraining: false, backend: 'wasm', lastGood: null });
    const imports = trainer.calls.filter((c): c is Extract<Request, { kind: 'importGenerator' }> => c.kind === 'importGenerator');
    expect(imports.map((c) => c.files)).toEqual([[expect.objectContaining({ name: 'gone.pth' })], [gA], [gB]]); // the very same files
    expect(trainer.calls.findIndex((c) => c.kind === 'importGenerator')).toBeGreaterThan(trainer.calls.findIndex((c) => (c.kind as string) === 'restart'));
    // the page's ids stay (the new worker's are m1 for G_A, m2 for G_B); the old m1 could not be read again and is gone, with the reason
    expect(s().translation.models.map((m) => [m.id, m.name])).toEqual([['m2', 'latest_net_G_A.pth'], ['m3', 'latest_net_G_B.pth']]);
    expect(s().translation.source).toBe('m3'); // still G_B
    expect(s().translation.notice).toMatch(/restarted; these imported generators could not be loaded again and were removed: gone\.pth \(the file could not be read\)/);
    await s().translateFiles([file('a.png')]);
    expect(s().translation.items[0].result?.generator).toBe('worker 2 {"model":"m2"} BtoA'); // G_B is m2 in the new worker
    // a new import: the worker's m3 is the page's G_B already, so the page gets another id for it
    await s().importModel([new File(['x'], 'latest_net_G_B.pth')]);
    expect(s().translation.models.map((m) => m.id)).toEqual(['m2', 'm3', 'm3-2']);
    expect(s().translation.source).toBe('m3-2');
    await s().retranslateAll();
    expect(s().translation.items[0].result?.generator).toBe('worker 2 {"model":"m3"} BtoA');
    await s().dropModel('m3-2');
    expect(trainer.calls.at(-1)).toEqual({ kind: 'dropImportedModel', id: 'm3' });

    // a second restart: the files are still kept under the new ids
    await s().onFault({ kind: 'crash', message: 'The worker crashed again.', wasTraining: false, backend: 'wasm', lastGood: null });
    expect(s().translation.models.map((m) => [m.id, m.name])).toEqual([['m2', 'latest_net_G_A.pth'], ['m3', 'latest_net_G_B.pth']]);
    expect(s().translation.notice).toBe('The training worker was restarted; the imported generators were loaded into it again.');
  });

  it('an exported pair (.zip) translates in the direction chosen; a single generator only in its own', async () => {
    const pair: ImportedModelInfo = { ...model('m1', 'AtoB'), name: 'cyclegan-apples-oranges-iter40.zip', format: 'export.zip', directionFrom: 'export.zip', pair: true };
    const trainer = new FakeEngine({ importGenerator: () => pair, translate: (r) => result(`${JSON.stringify(r.source)} ${r.direction}`) });
    const { s } = setup(trainer);
    await s().importModel([new File(['x'], 'cyclegan-apples-oranges-iter40.zip')]);
    s().setTranslateDirection('BtoA');
    await s().translateFiles([file('a.png')]);
    expect(s().translation.items[0]).toMatchObject({ direction: 'BtoA', result: { generator: '{"model":"m1"} BtoA' } });
    expect(directionFor(pair, 'BtoA')).toBe('BtoA');
    expect(directionFor(model('m2', 'AtoB'), 'BtoA')).toBe('AtoB');
    expect(directionFor(undefined, 'BtoA')).toBe('BtoA');
  });
});
