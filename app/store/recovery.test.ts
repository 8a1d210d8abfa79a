/** The recovery slice against a scripted worker behind the real supervisor: rollback truncation, and the whole restart sequence per fault. */
import { describe, expect, it } from 'vitest';
import type { BackendChoice, CheckpointSummary, DomainSummary, FatalFault, LastGoodState, Request } from '../../src/protocol/messages';
import { Supervisor } from '../../src/worker/supervisor';
import { createStudioStore } from './index';
import { backendReason } from './recovery';
import { FakeEngine, point, status } from '../testing/doubles';

const summary = (domain: 'A' | 'B'): DomainSummary => ({ domain, count: 3, totalBytes: 1, thumbs: [], skipped: [], source: 'demo', sharedWithOther: 0 });
const lastGood = { iteration: 40, checkpoint: { manifest: {}, data: new Float32Array(1) } } as unknown as LastGoodState;

class RestartableFake extends FakeEngine {
  restarts = 0;
  restart(): void {
    this.restarts++;
    this.calls.push({ kind: 'restart' } as unknown as Request);
  }
}

function setup(backend: BackendChoice = 'auto') {
  const worker = new RestartableFake({
    init: (r) => ({ name: r.backend === 'auto' ? 'webgpu' : (r.backend as 'wasm'), requested: r.backend, reason: 'test' }),
    loadDemo: () => [summary('A'), summary('B')],
    loadFiles: (r) => summary(r.domain),
    clearDomain: () => undefined,
    configure: () => status({ state: 'ready' }),
    takeLastGood: () => lastGood,
    restoreLastGood: (r) => status({ state: 'paused', iter: r.lastGood.iteration }),
    start: () => status({ state: 'training', iter: 40 }),
  });
  const engine = new Supervisor(worker);
  const store = createStudioStore({ engine: () => engine, scheduleFrame: (cb) => cb() }, { backend });
  engine.onEvent((e) => store.getState().applyEvent(e)); // as the page connects it (bridge.ts)
  return { worker, s: () => store.getState(), kinds: () => worker.calls.map((c) => c.kind) };
}

const fault = (p: Partial<FatalFault>): FatalFault => ({ kind: 'crash', message: 'It broke.', wasTraining: true, backend: 'webgpu', lastGood: null, ...p });

describe('recovery', () => {
  it('a rollback cuts the charts back to the good iteration and says so', () => {
    const { s } = setup();
    s().applyEvent({ type: 'losses', points: [1, 2, 3, 4, 5, 6].map((i) => point(i)) });
    s().applyEvent({ type: 'rolledBack', rollback: { iter: 4, divergedAt: 6, what: 'loss D_A is NaN', message: 'Training diverged at iteration 6 …' } });
    expect(Array.from(s().lossBuffer.iterations())).toEqual([1, 2, 3, 4]);
    expect(s().losses.count).toBe(4);
    expect(s().recovery.notice).toMatchObject({ kind: 'diverged', title: 'Training diverged at iteration 6 — paused, rolled back to iteration 4' });
    s().applyEvent({ type: 'losses', points: [point(5)] }); // the run goes on from there
    expect(Array.from(s().lossBuffer.iterations())).toEqual([1, 2, 3, 4, 5]);
  });

  it('device lost on WebGPU: takes the last good state, restarts on wasm, reloads the demo, restores and resumes', async () => {
    const { s, kinds, worker } = setup();
    await s().init('auto');
    await s().loadDemo('apples2oranges');
    await s().train();
    s().applyEvent({ type: 'losses', points: Array.from({ length: 45 }, (_, i) => point(i + 1)) });
    worker.calls.length = 0;
    await s().onFault(fault({ kind: 'deviceLost', message: 'The GPU device was lost (destroyed).' }));
    expect(kinds()).toEqual(['takeLastGood', 'restart', 'init', 'loadDemo', 'configure', 'restoreLastGood', 'start']);
    expect(worker.calls[2]).toEqual({ kind: 'init', backend: 'wasm' });
    expect(s().lossBuffer.lastIter()).toBe(40);
    expect(s().run.status).toMatchObject({ state: 'training', iter: 40 });
    expect(s().recovery.notice).toMatchObject({ kind: 'deviceLost', phase: 'done', title: 'The GPU stopped working (device lost) — restarted, training resumed' });
    expect(s().recovery.notice!.message).toMatch(/restarted the training worker on WebAssembly \(wasm\) — the GPU is what failed.*training resumed from iteration 40/);
    // the badge says why it runs on wasm now, not the restarted worker's "as requested"
    expect(s().run.backend).toMatchObject({ name: 'wasm', reason: 'test' });
    expect(backendReason(s().run.backend!, s().recovery)).toBe('WebAssembly — moved here after the WebGPU device was lost (reload the page to try the GPU again).');
    worker.emit({ type: 'losses', points: [point(41)] }); // healthy again (the supervisor hears it too)
    worker.calls.length = 0;
    await s().onFault(fault({ kind: 'crash', backend: 'wasm' }));
    expect(worker.calls.find((c) => c.kind === 'init')).toEqual({ kind: 'init', backend: 'wasm' }); // not back to the GPU that died
    expect(kinds()).toContain('start'); // an iteration completed in between: not a failure "again"
    expect(s().settings.backend).toBe('auto'); // the setting is untouched (changing it reloads the page)
    expect(backendReason(s().run.backend!, s().recovery)).toMatch(/^WebAssembly — moved here after the WebGPU device was lost/); // still, after a later restart
  });

  it('a crash: no state to take; the same backend, the same files, a fresh run started', async () => {
    const { s, kinds, worker } = setup('wasm');
    const files = [new File(['x'], 'a.png')];
    await s().init('wasm');
    await s().loadFiles('A', files, 'folder A');
    await s().loadFiles('B', files, 'folder B');
    await s().train();
    worker.handlers.start = () => status({ state: 'training', iter: 0 });
    worker.handlers.takeLastGood = () => null; // e.g. it crashed before its first capture
    worker.calls.length = 0;
    await s().onFault(fault({ kind: 'crash', backend: 'wasm' }));
    expect(kinds()).toEqual(['takeLastGood', 'restart', 'init', 'loadFiles', 'loadFiles', 'configure', 'start']);
    expect(worker.calls[2]).toEqual({ kind: 'init', backend: 'wasm' });
    expect(worker.calls[3]).toMatchObject({ domain: 'A', files, source: 'folder A' });
    expect(s().recovery.notice!.message).toMatch(/training started again from iteration 0/);
  });

  it('a stuck worker (no state to hand over): resumes from the run\'s last autosave in IndexedDB', async () => {
    const { s, kinds, worker } = setup('wasm');
    await s().init('wasm');
    await s().loadDemo('apples2oranges');
    await s().train();
    const summary = { id: 'run-1', iter: 30, config: {} } as unknown as CheckpointSummary;
    worker.emit({ type: 'checkpoint', summary });
    worker.handlers.resumeCheckpoint = () => status({ state: 'paused', iter: 30 });
    worker.handlers.start = () => status({ state: 'training', iter: 30 });
    worker.calls.length = 0;
    await s().onFault(fault({ kind: 'hang', backend: 'wasm' }));
    expect(kinds()).toEqual(['restart', 'init', 'loadDemo', 'configure', 'resumeCheckpoint', 'start']);
    expect(worker.calls[4]).toEqual({ kind: 'resumeCheckpoint', id: 'run-1' });
    expect(s().recovery.notice!.message).toMatch(/training resumed from iteration 30, the last autosave/);
  });

  it('out of memory: restored but paused, and a smaller preset offered; a second failure is not auto-resumed', async () => {
    const { s, kinds, worker } = setup();
    s().setPreset('standard');
    await s().loadDemo('summer2winter');
    worker.calls.length = 0;
    await s().onFault(fault({ kind: 'oom', backend: 'webgpu', lastGood: 40 }));
    expect(kinds()).not.toContain('start');
    expect(s().recovery.notice).toMatchObject({ kind: 'oom', smallerPreset: 'classroom' });
    expect(s().recovery.notice!.message).toMatch(/paused at iteration 40.*smaller preset/);
    worker.calls.length = 0;
    await s().onFault(fault({ kind: 'hang' })); // before any iteration completed again
    expect(kinds()).not.toContain('start');
    expect(s().recovery.notice!.message).toMatch(/failed again right after a restart/);
  });

  it('out of memory with nothing trained yet: nothing taken or restored; the largest preset that fits is one click away', async () => {
    const { s, kinds, worker } = setup('wasm');
    await s().init('wasm');
    await s().loadDemo('apples2oranges');
    s().setPreset('paper');
    s().setOverride('cropSize', 1024); // e.g. a loaded checkpoint's sizes
    s().setOverride('loadSize', 1144);
    await s().train(); // sent to the worker: what runs out of memory
    worker.calls.length = 0;
    await s().onFault(fault({ kind: 'oom', backend: 'wasm', wasTraining: true, lastGood: 0, message: 'The wasm backend ran out of memory training 1024 px, ngf 64, 9 blocks, ndf 64 (RuntimeError: Aborted()).' }));
    expect(kinds()).toEqual(['restart', 'init', 'loadDemo', 'configure']);
    expect(s().recovery.notice).toMatchObject({ kind: 'oom', phase: 'done', smallerPreset: 'paper', title: 'Out of memory — restarted' });
    expect(s().recovery.notice!.message).toMatch(/nothing had been trained yet.*would run out of memory again/);
    expect(s().errors).toEqual([]);
    worker.calls.length = 0;
    await s().useSmallerPreset();
    expect(kinds()).toEqual(['stop', 'configure', 'start']);
    expect(worker.calls[1]).toMatchObject({ kind: 'configure', config: { cropSize: 256, loadSize: 286, ngf: 64 } });
    expect(s().settings.overrides).toEqual({});
  });

  it('a fresh worker that cannot be set up: the notice says which step failed', async () => {
    const { s, worker } = setup('wasm');
    await s().init('wasm');
    worker.handlers.init = () => {
      throw new Error('no wasm here');
    };
    await s().onFault(fault({ kind: 'crash', backend: 'wasm' }));
    expect(s().recovery.notice).toMatchObject({ kind: 'crash', phase: 'failed' });
    expect(s().recovery.notice!.message).toBe('It broke. The worker was restarted, but the WebAssembly (wasm) backend did not start. Reload the page to start over.');
    expect(s().run.engine).toBe('failed');
  });
});
