/** The checkpoints slice against a scripted engine: the resume offer, adopting a run's settings, save events. */
import { describe, expect, it } from 'vitest';
import { makeConfig, PRESETS } from '../../src/config';
import type { CheckpointSummary } from '../../src/protocol/messages';
import { createStudioStore } from './index';
import { FakeEngine, status } from '../testing/doubles';

const config = makeConfig({ ...PRESETS.classroom.config, ngf: 4, seed: 9 });
const summary = (p: Partial<CheckpointSummary> = {}): CheckpointSummary => ({
  id: 'run-1', iter: 40, epoch: 1, totalIters: 8000, savedAt: 1, reason: 'autosave', bytes: 100, model: 'm', config,
  domains: { A: { source: 'Demo: apples', count: 40, hash: 'a' }, B: { source: 'Demo: oranges', count: 40, hash: 'b' } },
  imagesStored: false, demo: { demo: 'apples2oranges' }, ...p,
});

function setup(t: FakeEngine) {
  return createStudioStore({ engine: () => t, scheduleFrame: (cb) => cb() }, { backend: 'wasm' });
}

describe('checkpoints slice', () => {
  it('offers the newest saved run; Resume adopts its configuration as overrides of the preset and clears the offer', async () => {
    const t = new FakeEngine({ listCheckpoints: () => [summary(), summary({ id: 'run-0', savedAt: 0 })], resumeCheckpoint: () => status({ state: 'paused', iter: 40 }) });
    const store = setup(t);
    await store.getState().offerResume();
    expect(store.getState().checkpoints.offer?.id).toBe('run-1');
    expect(await store.getState().resumeCheckpoint('run-1')).toBe(true);
    const s = store.getState();
    expect(s.checkpoints.offer).toBeNull();
    expect(s.settings.overrides).toEqual({ ngf: 4, seed: 9 }); // only what differs from the Classroom preset
    expect(s.run.status).toMatchObject({ state: 'paused', iter: 40 });
  });

  it('a run saved between Step G and Step D comes back half done: the classroom panel shows which half is next', async () => {
    const half = summary({ halfStep: { iter: 41, gUpdates: 1, dUpdates: 0 } });
    const t = new FakeEngine({ listCheckpoints: () => [half], resumeCheckpoint: () => status({ state: 'paused', iter: 40 }) });
    const store = setup(t);
    await store.getState().offerResume();
    expect(await store.getState().resumeCheckpoint('run-1')).toBe(true);
    expect(store.getState().classroom.progress).toEqual({ iter: 41, gUpdates: 1, dUpdates: 0 });
    store.getState().applyCheckpointEvent({ type: 'checkpoint', summary: summary({ reason: 'loaded' }) }); // a whole iteration's file
    expect(store.getState().classroom.progress).toBeNull(); // a whole iteration's run: nothing half done
  });

  it('a failed resume keeps the offer and shows the engine\'s message; a failed save is kept until the next good one', async () => {
    const t = new FakeEngine({
      listCheckpoints: () => [summary({ demo: null })],
      resumeCheckpoint: () => { throw Object.assign(new Error('Domain A is empty: drop “horses” into A'), { name: 'DomainMismatchError' }); },
    });
    const store = setup(t);
    await store.getState().offerResume();
    expect(await store.getState().resumeCheckpoint('run-1')).toBe(false);
    expect(store.getState().checkpoints.offer?.id).toBe('run-1');
    expect(store.getState().errors.at(-1)).toMatchObject({ name: 'DomainMismatchError', message: expect.stringMatching(/horses/) });

    store.getState().applyEvent({ type: 'checkpointError', iter: 12, error: { name: 'QuotaExceededError', message: 'Browser storage is full' } });
    expect(store.getState().checkpoints.failure).toMatchObject({ iter: 12, name: 'QuotaExceededError' });
    store.getState().applyEvent({ type: 'checkpoint', summary: summary({ id: 'run-2', iter: 15 }) });
    const c = store.getState().checkpoints;
    expect([c.failure, c.last?.iter, c.offer, c.saved.map((x) => x.id)]).toEqual([null, 15, null, ['run-2', 'run-1']]); // another run's save ends the offer
  });

  it('the autosave period goes to the engine once, without disabling the controls', async () => {
    const t = new FakeEngine({ configure: () => status() });
    const store = setup(t);
    const p = store.getState().setAutosaveEvery(5);
    expect(store.getState().run.pending).toEqual({});
    await p;
    await store.getState().setAutosaveEvery(5);
    expect(t.calls).toEqual([{ kind: 'configure', config: {}, autosaveEvery: 5 }]);
  });
});
