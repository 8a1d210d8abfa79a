import { describe, expect, it } from 'vitest';
import type { DomainSummary, Picture } from '../../src/protocol/messages';
import { connectEngine } from './bridge';
import { fieldErrors } from './config';
import { createStudioStore } from './index';
import { FakeEngine, point, status } from '../testing/doubles';

/** A store whose animation frames run when the test says so. */
function setup(trainer = new FakeEngine()) {
  const frames: (() => void)[] = [];
  const store = createStudioStore({ engine: () => trainer, scheduleFrame: (cb) => frames.push(cb) }, { backend: 'wasm' });
  const flush = () => frames.splice(0).forEach((f) => f());
  return { store, trainer, frames, flush, s: () => store.getState() };
}

const summary = (domain: 'A' | 'B', count = 3): DomainSummary => ({ domain, count, totalBytes: 1000, thumbs: [], skipped: [{ name: 'x.txt', reason: 'not an image' }], sharedWithOther: 0, source: 'folder' });
const pic: Picture = { width: 1, height: 1, rgba: new Uint8ClampedArray([1, 2, 3, 255]) };

describe('engine events', () => {
  it('appends loss batches to the buffer and bumps the React version once per frame', () => {
    const { s, frames, flush } = setup();
    s().applyEvent({ type: 'losses', points: [point(1), point(2)] });
    s().applyEvent({ type: 'losses', points: [point(3)] });
    expect(s().lossBuffer.length).toBe(3);
    expect(frames).toHaveLength(1); // two batches, one scheduled bump
    expect(s().losses.count).toBe(0);
    flush();
    expect(s().losses).toEqual({ version: 2, count: 3 });
    expect(s().run.status.iter).toBe(3);
  });

  it('starts a new history when iterations restart, and on a reset status', () => {
    const { s, flush } = setup();
    s().applyEvent({ type: 'losses', points: [point(1), point(2)] });
    s().applyEvent({ type: 'visuals', iter: 2, images: { real_A: pic } });
    s().applyEvent({ type: 'losses', points: [point(1)] });
    flush();
    expect(s().losses.count).toBe(1);
    s().applyEvent({ type: 'status', status: status({ state: 'ready', iter: 0 }) });
    flush();
    expect(s().losses.count).toBe(0);
    expect(s().visuals).toEqual({});
  });

  it('keeps a paused run’s history', () => {
    const { s, flush } = setup();
    s().applyEvent({ type: 'losses', points: [point(1)] });
    s().applyEvent({ type: 'status', status: status({ state: 'paused', iter: 1 }) });
    flush();
    expect(s().losses.count).toBe(1);
    expect(s().run.status.state).toBe('paused');
  });

  it('stores visuals with their iteration, merging partial updates', () => {
    const { s } = setup();
    s().applyEvent({ type: 'visuals', iter: 20, images: { real_A: pic, fake_B: pic } });
    s().applyEvent({ type: 'visuals', iter: 40, images: { fake_B: pic } });
    expect(s().visuals.real_A?.iter).toBe(20);
    expect(s().visuals.fake_B?.iter).toBe(40);
  });

  it('tracks load progress and the domain summary', () => {
    const { s } = setup();
    s().applyEvent({ type: 'loadProgress', domain: 'B', done: 5, total: 10 });
    expect(s().domains.B).toMatchObject({ loading: true, progress: { done: 5, total: 10 } });
    s().applyEvent({ type: 'domain', summary: summary('B') });
    expect(s().domains.B).toEqual({ summary: summary('B'), progress: null, loading: false });
  });

  it('shows engine errors and counts repeats instead of stacking them', () => {
    const { s } = setup();
    const error = { name: 'DeviceLost', message: 'The GPU device was lost.' };
    s().applyEvent({ type: 'error', error });
    s().applyEvent({ type: 'error', error });
    expect(s().errors).toHaveLength(1);
    expect(s().errors[0]).toMatchObject({ ...error, count: 2 });
    s().dismissError(s().errors[0].id);
    expect(s().errors).toEqual([]);
  });

  it('records the backend actually in use', () => {
    const { s } = setup();
    const info = { name: 'wasm' as const, requested: 'webgpu' as const, reason: 'WebGPU adapter is software: wasm is faster' };
    s().applyEvent({ type: 'backend', info });
    expect(s().run.backend).toEqual(info);
  });
});

describe('actions', () => {
  it('bridges events and inits the engine with the chosen backend', async () => {
    const t = new FakeEngine({ init: (r) => ({ name: 'wasm', requested: r.backend, reason: 'forced' }) });
    const { store, s } = setup(t);
    connectEngine(t, store, 'wasm');
    await Promise.resolve();
    await Promise.resolve();
    expect(t.calls[0]).toEqual({ kind: 'init', backend: 'wasm' });
    expect(s().run.engine).toBe('ready');
    expect(s().run.backend?.name).toBe('wasm');
    t.emit({ type: 'domain', summary: summary('A') });
    expect(s().domains.A.summary?.count).toBe(3);
  });

  it('train configures with the validated preset + overrides, then starts', async () => {
    const t = new FakeEngine({ configure: () => status(), start: () => status({ state: 'training' }) });
    const { s } = setup(t);
    s().setOverride('lambdaA', 5);
    await s().train();
    expect(t.calls.map((c) => c.kind)).toEqual(['configure', 'start']);
    const cfg = t.calls[0].kind === 'configure' ? t.calls[0].config : {};
    expect(cfg).toMatchObject({ lambdaA: 5, cropSize: 64, ngf: 32 }); // classroom preset
    expect(s().run.status.state).toBe('training');
    expect(s().run.pending).toEqual({});
  });

  it('refuses to train on an invalid field and names it', async () => {
    const t = new FakeEngine();
    const { s } = setup(t);
    s().setOverride('lr', -1);
    await s().train();
    expect(t.calls).toEqual([]);
    expect(s().errors[0].message).toMatch(/^lr:/);
  });

  it('turns a rejected request into a banner (never swallowed)', async () => {
    const { s } = setup(new FakeEngine());
    await s().pause();
    expect(s().errors).toHaveLength(1);
    expect(s().errors[0]).toMatchObject({ context: 'Could not pause', name: 'StateError' });
  });

  it('loads the demo into both domains', async () => {
    const t = new FakeEngine({ loadDemo: () => [summary('A', 40), summary('B', 40)] });
    const { s } = setup(t);
    expect(await s().loadDemo('apples2oranges')).toBe(true);
    expect(s().domains.A.summary?.count).toBe(40);
    expect(s().domains.B.loading).toBe(false);
  });

  it('step on a fresh run configures first; on a paused run it does not', async () => {
    const t = new FakeEngine({ configure: () => status(), step: () => status({ state: 'paused', iter: 1 }) });
    const { s } = setup(t);
    s().applyEvent({ type: 'status', status: status({ state: 'ready' }) });
    await s().step();
    await s().step();
    expect(t.calls.map((c) => c.kind)).toEqual(['configure', 'step', 'step']);
  });

  it('sends only the live knobs mid-run', async () => {
    const t = new FakeEngine({ configure: () => status({ state: 'training' }) });
    const { s } = setup(t);
    s().setOverride('lr', 0.001);
    s().setSampleEvery(5);
    await s().sendLive();
    expect(t.calls[0]).toEqual({ kind: 'configure', config: { lr: 0.001, lambdaA: 10, lambdaB: 10, lambdaIdentity: 0.5, nEpochs: 100, nEpochsDecay: 100 }, sampleEvery: 5 });
  });
});

describe('config validation', () => {
  it('names every invalid field, not just the first', () => {
    const errs = fieldErrors('classroom', { lr: -1, seed: 1.5 }, 20);
    expect(Object.keys(errs).sort()).toEqual(['lr', 'seed']);
    expect(errs.lr).toMatch(/^lr: must be ≥ 0/);
    expect(fieldErrors('classroom', {}, 0)).toHaveProperty('sampleEvery');
    expect(fieldErrors('paper', { lambdaA: 5 }, 20)).toEqual({});
  });
});
