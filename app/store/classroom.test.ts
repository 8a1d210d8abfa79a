import { describe, expect, it } from 'vitest';
import type { StepReport, Verdicts } from '../../src/protocol/messages';
import { createStudioStore } from './index';
import { FakeEngine, point, status } from '../testing/doubles';

const report = (p: Partial<StepReport>): StepReport => ({
  part: 'G', iter: 1, nets: ['G_A', 'G_B'], changes: [{ name: 'G_A', before: 1, after: 0.9 }], completed: false,
  progress: { iter: 1, gUpdates: 1, dUpdates: 0 }, status: status({ state: 'paused', iter: 0 }), ...p,
});
const map = { rows: 1, cols: 1, raw: [0.5], realness: [0.5] };
const pic = { width: 1, height: 1, rgba: new Uint8ClampedArray(4) };
const verdicts: Verdicts = {
  iter: 1, ganMode: 'lsgan',
  maps: { D_A_real_B: map, D_A_fake_B: map, D_B_real_A: map, D_B_fake_A: map },
  images: { real_A: pic, fake_A: pic, real_B: pic, fake_B: pic },
};

function setup(trainer: FakeEngine) {
  const store = createStudioStore({ engine: () => trainer, scheduleFrame: (cb) => cb() }, { backend: 'wasm' });
  return () => store.getState();
}

describe('classroom slice', () => {
  it('a step on a fresh run sends the configuration first, then keeps the report and the iteration in progress', async () => {
    const trainer = new FakeEngine({ configure: () => status({ state: 'ready' }), stepPart: () => report({}) });
    const s = setup(trainer);
    await s().stepPart('G');
    expect(trainer.calls.map((c) => c.kind)).toEqual(['configure', 'stepPart']);
    expect(s().classroom.progress).toEqual({ iter: 1, gUpdates: 1, dUpdates: 0 });
    expect(s().classroom.lastStep).toMatchObject({ part: 'G', seq: 1 });
    expect(s().run.status.state).toBe('paused');

    trainer.handlers.stepPart = () => report({ part: 'D', completed: true, progress: null, status: status({ state: 'paused', iter: 1 }) });
    await s().stepPart('D');
    expect(trainer.calls.map((c) => c.kind)).toEqual(['configure', 'stepPart', 'stepPart']); // paused: no reconfigure
    expect(s().classroom).toMatchObject({ progress: null, lastStep: { part: 'D', seq: 2 } });
  });

  it('a refused step shows its reason and changes nothing', async () => {
    const trainer = new FakeEngine({ configure: () => status({ state: 'ready' }) });
    const s = setup(trainer);
    await s().stepPart('D');
    expect(s().errors.at(-1)).toMatchObject({ context: 'Could not run Step D' });
    expect(s().classroom.lastStep).toBeNull();
  });

  it('Train finishing the iteration clears the progress; verdicts arrive as events; a reset clears everything', async () => {
    const s = setup(new FakeEngine({ configure: () => status({ state: 'ready' }), stepPart: () => report({}) }));
    await s().stepPart('G');
    s().applyEvent({ type: 'verdicts', verdicts });
    expect(s().classroom.verdicts?.iter).toBe(1);
    s().applyEvent({ type: 'losses', points: [point(1)] }); // iteration 1 finished by Train / Step
    expect(s().classroom.progress).toBeNull();
    expect(s().classroom.lastStep).not.toBeNull(); // what the step changed stays on screen
    s().setSlowStage(5); // no slow-motion record: stays at 0
    expect(s().classroom.stage).toBe(0);
    s().applyEvent({ type: 'status', status: status({ state: 'ready', iter: 0 }) }); // Stop: a new run
    expect(s().classroom).toMatchObject({ progress: null, verdicts: null, staged: null, lastStep: null });
  });
});
