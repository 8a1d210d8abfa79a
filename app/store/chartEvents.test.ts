import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config';
import { decayStartIter, liveEvent, statusEvent, type LiveValues } from './chartEvents';
import { createStudioStore } from './index';
import { FakeEngine, status } from '../testing/doubles';

const live: LiveValues = { lr: 0.0002, lambdaA: 10, lambdaB: 10, lambdaIdentity: 0.5, nEpochs: 100, nEpochsDecay: 100 };

describe('chart event derivation', () => {
  it('marks pauses and resumes, nothing else', () => {
    expect(statusEvent(status({ state: 'training' }), status({ state: 'paused', iter: 42 }))).toEqual({ iter: 42, kind: 'pause', label: 'paused' });
    expect(statusEvent(status({ state: 'paused' }), status({ state: 'training', iter: 42 }))).toEqual({ iter: 42, kind: 'resume', label: 'resumed' });
    expect(statusEvent(status({ state: 'training' }), status({ state: 'training', iter: 43 }))).toBeNull();
    expect(statusEvent(status({ state: 'training' }), status({ state: 'done' }))).toBeNull();
    expect(statusEvent(status({ state: 'ready' }), status({ state: 'training' }))).toBeNull();
  });

  it('names every live value that changed, and nothing when none did', () => {
    expect(liveEvent(null, live, 5)).toBeNull(); // the baseline
    expect(liveEvent(live, { ...live }, 5)).toBeNull();
    expect(liveEvent(live, { ...live, lr: 0.0005 }, 30)).toEqual({ iter: 30, kind: 'live', label: 'lr→5.00e−4' });
    expect(liveEvent(live, { ...live, lambdaA: 5, lambdaIdentity: 0 }, 7)?.label).toBe('λ_A→5, λ_id→0');
  });

  it('puts the decay’s start at the first iteration of epoch n_epochs + 1', () => {
    expect(decayStartIter({ nEpochs: 100, nEpochsDecay: 100, epochCount: 1 }, 40)).toBe(100 * 40 + 1);
    expect(decayStartIter({ nEpochs: 1, nEpochsDecay: 1, epochCount: 1 }, 10)).toBe(11);
    expect(decayStartIter({ nEpochs: 5, nEpochsDecay: 5, epochCount: 3 }, 10)).toBe(31); // resumed at epoch 3
    expect(decayStartIter({ nEpochs: 3, nEpochsDecay: 0, epochCount: 1 }, 10)).toBeNull();
    expect(decayStartIter({ nEpochs: 3, nEpochsDecay: 2, epochCount: 1 }, 0)).toBeNull();
  });
});

describe('chart events in the store', () => {
  it('records a live lr change sent while training, and pause/resume, and clears them on reset', async () => {
    let st = status({ state: 'ready' });
    const trainer = new FakeEngine({
      configure: () => st,
      start: () => (st = status({ state: 'training', iter: 0 })),
      pause: () => (st = status({ state: 'paused', iter: 12 })),
      resume: () => (st = status({ state: 'training', iter: 12 })),
      stop: () => (st = status({ state: 'ready', iter: 0 })),
    });
    const store = createStudioStore({ engine: () => trainer, scheduleFrame: (cb) => cb() });
    const s = () => store.getState();
    await s().train();
    expect(s().chartEvents.applied?.lr).toBe(DEFAULT_CONFIG.lr);
    expect(s().chartEvents.list).toEqual([]);
    st = status({ state: 'training', iter: 9 });
    s().setOverride('lr', 0.001);
    await s().sendLive();
    await s().pause();
    await s().resume();
    expect(s().chartEvents.list).toEqual([
      { iter: 9, kind: 'live', label: 'lr→1.00e−3' },
      { iter: 12, kind: 'pause', label: 'paused' },
      { iter: 12, kind: 'resume', label: 'resumed' },
    ]);
    await s().sendLive(); // nothing changed: no marker
    expect(s().chartEvents.list).toHaveLength(3);
    await s().stop();
    expect(s().chartEvents).toEqual({ list: [], applied: null });
  });
});

describe('marker labels', () => {
  it('stack when markers are close, reuse the top row when there is room, and give up beyond three rows', async () => {
    const { assignRows } = await import('../charts/markers');
    const m = (x: number, kind: 'live' | 'decay' | 'pause' = 'live') => ({ iter: x, x, kind, label: String(x) });
    const rows = assignRows([m(10), m(25), m(41, 'decay'), m(30, 'pause'), m(90), m(95), m(96), m(97)], 30);
    expect(rows.map((r) => [r.x, r.row])).toEqual([
      [10, 0], [25, 1], [30, 0], [41, 0], [90, 0], [95, 1], [96, 2], [97, null],
    ]);
  });
});
