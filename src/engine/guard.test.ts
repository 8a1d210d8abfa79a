/** The divergence guard and fatal faults, through the in-process engine (cpu backend, tiny nets). */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { EngineEvent, LossPoint } from '../protocol/messages';
import { Engine, type EngineOptions } from './engine';
import { Guard, nonFinite } from './guard';
import { trackEngines } from '../testing/engines';

const tiny = { loadSize: 18, cropSize: 16, ngf: 2, nBlocks: 1, ndf: 2, nLayersD: 2, nEpochs: 50, nEpochsDecay: 1, poolSize: 2 };
const demo = { kind: 'loadDemo', demo: 'apples2oranges', options: { count: 3, size: 24 } } as const;

function record(engine: Engine) {
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  const of = <T extends EngineEvent['type']>(t: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === t);
  return { events, of, points: (): LossPoint[] => of('losses').flatMap((e) => e.points) };
}

const waitFor = async (cond: () => boolean, ms = 60_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

const track = trackEngines({ leaks: true });
async function make(opts: Partial<EngineOptions> = {}) {
  const e = new Engine({ decode: async () => { throw new Error('no files in this test'); }, faults: { enabled: true }, ...opts });
  track(e);
  await e.call(demo);
  await e.call({ kind: 'configure', config: tiny, sampleEvery: 1000 });
  return e;
}
const steps = async (e: Engine, n: number) => {
  for (let i = 0; i < n; i++) await e.call({ kind: 'step' });
};

describe('divergence guard', () => {
  it('describes what is not finite, by loss and by network', () => {
    const ok = { D_A: 1, G_A: 1, cycle_A: 1, idt_A: 1, D_B: 1, G_B: 1, cycle_B: 1, idt_B: 1 };
    expect(nonFinite(ok, new Float32Array([1.5, -2, 0, 3e4]))).toBeNull();
    expect(nonFinite({ ...ok, D_A: NaN, G_B: Infinity }, new Float32Array([0, 0, NaN, -Infinity]))).toBe(
      'loss D_A is NaN, loss G_B is Infinity; D_A, D_B have non-finite weights',
    );
    expect(nonFinite(ok, new Float32Array([Infinity, 0, 0, 0]))).toBe('G_A has non-finite weights'); // losses alone would miss it this iteration
  });

  it('a NaN weight while training pauses, rolls back to the last good iteration exactly, and the run goes on', async () => {
    const ref = await make({ guardEvery: 4 });
    const refRec = record(ref);
    await steps(ref, 12);
    const expected = refRec.points().map((p) => p.values);

    const e = await make({ guardEvery: 4 });
    const rec = record(e);
    await e.call({ kind: 'start' });
    await waitFor(() => rec.points().length >= 6);
    await e.call({ kind: 'injectFault', fault: 'nan' });
    await waitFor(() => rec.of('rolledBack').length > 0);
    await e.idle();
    const [rb] = rec.of('rolledBack').map((r) => r.rollback);
    expect(rb.iter % 4).toBe(0); // a capture point
    expect(rb.divergedAt).toBeGreaterThan(rb.iter);
    expect(rb.what).toMatch(/^loss D_A is NaN.*D_A.* non-finite weights$/);
    expect(rb.message).toMatch(new RegExp(`diverged at iteration ${rb.divergedAt} .*rolled back to iteration ${rb.iter}.*lower the learning rate`));
    expect(rec.of('status').at(-1)!.status).toMatchObject({ state: 'paused', iter: rb.iter });
    expect(rec.points().every((p) => Object.values(p.values).every(Number.isFinite))).toBe(true); // no bad point was sent
    expect(rec.of('visuals').at(-1)!.iter).toBe(rb.iter); // the gallery shows the restored weights

    // the restored state is the exact one: the next iterations are the reference run's
    const s = await e.call({ kind: 'step' });
    expect(s.iter).toBe(rb.iter + 1);
    await steps(e, 2);
    expect(rec.points().slice(-3).map((p) => p.values)).toEqual(expected.slice(rb.iter, rb.iter + 3));
  });

  it('Step on a poisoned run rolls back too (and answers with the paused status)', async () => {
    const e = await make({ guardEvery: 3 });
    const rec = record(e);
    await steps(e, 4);
    await e.call({ kind: 'injectFault', fault: 'nan' });
    const s = await e.call({ kind: 'step' });
    expect(s).toMatchObject({ state: 'paused', iter: 3 });
    expect(rec.of('rolledBack').map((r) => [r.rollback.iter, r.rollback.divergedAt])).toEqual([[3, 5]]);
  });

  it('a live lr change keeps the state from just before it as the last good one', async () => {
    const e = await make({ guardEvery: 1000 });
    const rec = record(e);
    await steps(e, 5);
    await e.call({ kind: 'configure', config: { lr: 4e-4 } });
    await steps(e, 2);
    await e.call({ kind: 'injectFault', fault: 'nan' });
    await e.call({ kind: 'step' });
    expect(rec.of('rolledBack').at(-1)!.rollback.iter).toBe(5); // not 0: the capture before the change
    expect((await e.call({ kind: 'configure', config: {} })).lr).toBe(4e-4); // the user's lr stays
  });

  it('a state with a non-finite value never becomes the last good one (the previous one is kept)', async () => {
    const e = await make({ guardEvery: 1000 });
    await steps(e, 2); // iteration 0 was captured when the run was created
    const t = (e as unknown as { run: { trainer: { iteration: number; models: { params(n: string): Map<string, tf.Variable> } } } }).run.trainer;
    const guard = (e as unknown as { run: { guard: Guard } }).run.guard;
    expect(guard.lastGood!.iteration).toBe(0);
    expect(await guard.capture(t as never)).toBe(true);
    expect(guard.lastGood!.iteration).toBe(2);
    await steps(e, 1);
    const [, w] = [...t.models.params('G_B')][0];
    const saved = w.clone();
    tf.tidy(() => w.assign(tf.mul(w, Infinity)));
    expect(await guard.capture(t as never)).toBe(false);
    expect(guard.lastGood!.iteration).toBe(2);
    w.assign(saved);
    saved.dispose();
  });

  it('refuses fault injection unless enabled, naming the flag', async () => {
    const e = await make({ faults: undefined });
    await expect(e.call({ kind: 'injectFault', fault: 'nan' })).rejects.toMatchObject({ name: 'FaultsDisabledError', message: expect.stringMatching(/\?faults=1/) });
    await expect((await make()).call({ kind: 'injectFault', fault: 'crash' })).rejects.toMatchObject({ name: 'FaultsDisabledError' });
  });
});

describe('fatal faults', () => {
  it('out of memory while training: a fault event, requests refused, the last good state survives a restart exactly', async () => {
    const ref = await make({ guardEvery: 4 });
    const refRec = record(ref);
    await steps(ref, 10);

    const e = await make({ guardEvery: 4 });
    const rec = record(e);
    await e.call({ kind: 'start' });
    await waitFor(() => rec.points().length >= 5);
    await e.call({ kind: 'injectFault', fault: 'oom' });
    await waitFor(() => rec.of('fault').length > 0);
    await e.idle();
    const [f] = rec.of('fault').map((x) => x.fault);
    expect(f).toMatchObject({ kind: 'oom', wasTraining: true, backend: 'cpu', message: expect.stringMatching(/ran out of memory/) });
    expect(f.lastGood! % 4).toBe(0);
    await expect(e.call({ kind: 'step' })).rejects.toMatchObject({ name: 'EngineFaultError', message: expect.stringMatching(/restarts the engine/) });
    expect(await e.call({ kind: 'ping' })).toBe(true);
    const lg = await e.call({ kind: 'takeLastGood' });
    expect(lg!.iteration).toBe(f.lastGood);

    // a fresh engine (what the restarted worker is) continues exactly
    const fresh = await make();
    const freshRec = record(fresh);
    expect(await fresh.call({ kind: 'restoreLastGood', lastGood: lg! })).toMatchObject({ state: 'paused', iter: lg!.iteration });
    await steps(fresh, 2);
    expect(freshRec.points().map((p) => p.values)).toEqual(refRec.points().slice(lg!.iteration, lg!.iteration + 2).map((p) => p.values));
  });

  it('a lost device (reported by the backend watcher) ends the run with a deviceLost fault', async () => {
    const e = await make();
    const rec = record(e);
    await steps(e, 2);
    await e.call({ kind: 'injectFault', fault: 'deviceLost' });
    expect(rec.of('fault').map((x) => x.fault)).toEqual([
      { kind: 'deviceLost', wasTraining: false, backend: 'cpu', lastGood: 0, message: expect.stringMatching(/^The GPU device was lost \(/) },
    ]);
    await expect(e.call({ kind: 'start' })).rejects.toMatchObject({ name: 'EngineFaultError' });
  });
});
