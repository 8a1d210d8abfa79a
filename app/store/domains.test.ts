import { describe, expect, it } from 'vitest';
import type { DomainSummary, Request } from '../../src/protocol/messages';
import { createStudioStore } from './index';
import { FakeEngine } from '../testing/doubles';

const summary = (count: number): DomainSummary => ({ domain: 'A', count, totalBytes: 0, thumbs: [], skipped: [], source: 'big', sharedWithOther: 0 });

describe('loadFiles', () => {
  it('posts a big folder in parts (each ≤ 64 files), in the engine\'s path order, with whole-folder offsets; loading ends after the last', async () => {
    let loaded = 0;
    const trainer = new FakeEngine({
      loadFiles: (r) => summary((loaded = (r.append ? loaded : 0) + r.files.length)),
    });
    const store = createStudioStore({ engine: () => trainer, scheduleFrame: () => undefined }, { backend: 'wasm' });
    const names = Array.from({ length: 300 }, (_, i) => `img_${i + 1}.png`).reverse();
    await store.getState().loadFiles('A', names.map((n) => new File(['x'], n)), 'big');

    const parts = trainer.calls.filter((c): c is Extract<Request, { kind: 'loadFiles' }> => c.kind === 'loadFiles');
    expect(parts.length).toBeGreaterThanOrEqual(5);
    let offset = 0;
    for (const [i, p] of parts.entries()) {
      expect(p.part).toEqual({ offset, total: 300 });
      expect(p.append).toBe(i > 0);
      expect(p.files.length).toBeLessThanOrEqual(64);
      offset += p.files.length;
    }
    expect(offset).toBe(300);
    // numbers compared as numbers, as the engine sorts: img_2 before img_10
    expect(parts.flatMap((p) => p.files.map((f) => f.name)).slice(0, 3)).toEqual(['img_1.png', 'img_2.png', 'img_3.png']);
    expect(store.getState().domains.A).toMatchObject({ loading: false, progress: null, summary: { count: 300 } });
  });
});
