/**
 * The store's side of the PyTorch round trip: an imported run's config becomes the settings (so Train sends the
 * same config and the engine keeps the imported networks), with what changed said in words; a loss_log.txt
 * becomes the PyTorch series; a file that holds no losses is a banner, not a series.
 */
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../src/config';
import { resolveConfig } from './config';
import { createStudioStore } from './index';
import { FakeEngine, status } from '../testing/doubles';

const make = (t: FakeEngine) => createStudioStore({ engine: () => t, scheduleFrame: (cb) => cb() }, { backend: 'wasm' });

describe('official slice', () => {
  it('adopts the imported run’s config as the settings and says what changed', async () => {
    const config = makeConfig({ ngf: 4, ndf: 4, nBlocks: 1, cropSize: 32, loadSize: 36 });
    const t = new FakeEngine({ importOfficialRun: () => ({ status: status({ state: 'paused' }), config, changed: ['ngf 64 → 4'] }) });
    const store = make(t);
    expect(await store.getState().importOfficialRun([new File([], 'latest_net_G_A.pth')])).toBe(true);
    const { preset, overrides, sampleEvery } = store.getState().settings;
    expect(resolveConfig(preset, overrides, sampleEvery).config).toEqual(config); // Train sends this: no rebuild
    expect(store.getState().officialImported).toMatch(/iteration 0.*ngf 64 → 4/);
    expect(store.getState().run.status.state).toBe('paused');
  });

  it('parses a loss_log.txt into the PyTorch series; a file without loss lines is an error banner', async () => {
    const store = make(new FakeEngine());
    const log = '================ Training Loss (Sun Dec  6 07:00:00 2026) ================\n(epoch: 2, iters: 5, time: 0.1, data: 0.0) D_A: 0.250 G_A: 0.300 cycle_A: 1.200 idt_A: 0.500 D_B: 0.2 G_B: 0.3 cycle_B: 1.1 idt_B: 0.48\n';
    expect(await store.getState().loadLossLog(new File([log], 'loss_log.txt'))).toBe(true);
    const py = store.getState().pytorchLosses!;
    expect(py.points).toHaveLength(1);
    expect(py.points[0]).toMatchObject({ iter: 6, values: { G_A: 0.3 } }); // (epoch 2 − 1) · 1 iteration per epoch (no images yet) + 5
    expect(await store.getState().loadLossLog(new File(['hello'], 'loss_log.txt'))).toBe(false);
    expect(store.getState().pytorchLosses).toBe(py); // kept
    expect(store.getState().errors.at(-1)).toMatchObject({ context: 'Could not read loss_log.txt' });
  });
});
