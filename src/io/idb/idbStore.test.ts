/** The IndexedDB store against fake-indexeddb (the same IDB API the worker has). */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { CheckpointSummary } from '../../protocol/messages';
import { IdbCheckpointStore } from './idbStore';

const summary = (id: string, savedAt: number): CheckpointSummary => ({
  id, iter: 3, epoch: 1, totalIters: 10, savedAt, reason: 'autosave', bytes: 4, model: 'm', config: {} as CheckpointSummary['config'],
  domains: { A: { source: 'a', count: 1, hash: 'x' }, B: { source: 'b', count: 1, hash: 'y' } }, imagesStored: true, demo: null,
});

describe('IdbCheckpointStore', () => {
  it('keeps summaries, bytes and images per run; lists newest first; delete removes all three', async () => {
    const store = new IdbCheckpointStore('test-db');
    await store.put(summary('r1', 1), new Uint8Array([1, 2, 3, 4]));
    await store.put(summary('r2', 2), new Uint8Array([5, 6, 7, 8]));
    await store.put({ ...summary('r1', 3), iter: 6 }, new Uint8Array([9, 9, 9, 9])); // a later save overwrites the run
    const img = { name: 'p.png', width: 1, height: 1, channels: 3 as const, data: new Uint8Array([1, 2, 3]) };
    const dom = { images: [img], totalBytes: 3, skipped: [], source: 's' };
    await store.putImages('r1', { A: dom, B: dom });
    expect((await store.list()).map((s) => [s.id, s.iter])).toEqual([['r1', 6], ['r2', 3]]);
    expect([...(await store.get('r1'))!.bytes]).toEqual([9, 9, 9, 9]);
    expect([...(await store.getImages('r1'))!.A.images[0].data]).toEqual([1, 2, 3]);
    await store.delete('r1');
    expect(await store.get('r1')).toBeUndefined();
    expect(await store.getImages('r1')).toBeUndefined();
    expect((await store.list()).map((s) => s.id)).toEqual(['r2']);
  });
});
