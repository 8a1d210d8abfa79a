import { describe, expect, it } from 'vitest';
import { createStudioStore, type Studio } from './index';
import { FakeEngine } from '../testing/doubles';

function setup(trainer: FakeEngine) {
  const store = createStudioStore({ engine: () => trainer, scheduleFrame: (cb) => cb() }, { backend: 'wasm' });
  return () => store.getState();
}

describe('export slice', () => {
  it('returns the engine\'s file, records it for the panel, and counts the request as pending meanwhile', async () => {
    let pendingSeen = 0;
    let s!: () => Studio;
    const trainer = new FakeEngine({
      exportModel: () => {
        pendingSeen = s().run.pending.exportModel ?? 0;
        return { fileName: 'cyclegan-apples-oranges-iter12.zip', bytes: new Uint8Array(2500) };
      },
    });
    s = setup(trainer);
    const file = await s().exportModel();
    expect(file?.fileName).toBe('cyclegan-apples-oranges-iter12.zip');
    expect(pendingSeen).toBe(1);
    expect(s().run.pending.exportModel).toBeUndefined();
    expect(s().exported).toEqual({ fileName: 'cyclegan-apples-oranges-iter12.zip', size: 2500, iter: 12 });
  });

  it('a refusal becomes a banner with its name and message, and nothing is saved', async () => {
    const trainer = new FakeEngine({
      exportModel: () => {
        throw Object.assign(new Error('Nothing to export yet: press Train (or Step) first.'), { name: 'NoRunError' });
      },
    });
    const s = setup(trainer);
    expect(await s().exportModel()).toBeNull();
    expect(s().exported).toBeNull();
    expect(s().errors).toMatchObject([{ context: 'Could not export the model', name: 'NoRunError', message: expect.stringContaining('press Train') }]);
  });
});
