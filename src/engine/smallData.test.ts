/**
 * The smallest data a person can give: one image per domain, and an 8×8 image (smaller than the crop). Both train:
 * the 8×8 image is upscaled by the load-size resize (the reference's Resize(load_size) before RandomCrop), so every
 * crop is inside real pixels and every loss is finite.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImageBytes } from '../io/decodeNode';
import type { EngineEvent } from '../protocol/messages';
import { Engine } from './engine';

const FIX = join(import.meta.dirname, '../../fixtures/bad');
const file = (name: string) => new File([readFileSync(join(FIX, name))], name);
const tiny = { loadSize: 18, cropSize: 16, ngf: 2, nBlocks: 1, ndf: 2, nLayersD: 2, nEpochs: 50, nEpochsDecay: 1, poolSize: 2 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('small data', () => {
  it('one 8×8 image in A and one image in B: loaded, upscaled to the load size, and trained on (finite losses, one iteration per epoch)', async () => {
    const e = new Engine({ decode: async (f, shortSide) => decodeImageBytes(f.name, new Uint8Array(await f.arrayBuffer()), shortSide) });
    const events: EngineEvent[] = [];
    e.onEvent((ev) => events.push(ev));
    const a = await e.call({ kind: 'loadFiles', domain: 'A', files: [file('tiny_8x8.png')], source: 'tiny' });
    const b = await e.call({ kind: 'loadFiles', domain: 'B', files: [file('rgb.png')], source: 'one' });
    expect([a.count, a.skipped, a.thumbs[0].width, a.thumbs[0].height]).toEqual([1, [], 8, 8]); // kept as it is, not skipped
    expect(b.count).toBe(1);
    await e.call({ kind: 'configure', config: tiny, sampleEvery: 1 });
    for (let i = 0; i < 3; i++) await e.call({ kind: 'step' });
    const s = await e.call({ kind: 'stop' }).then(() => events.filter((x) => x.type === 'losses').flatMap((x) => (x.type === 'losses' ? x.points : [])));
    expect(s.map((p) => [p.iter, p.epoch])).toEqual([[1, 1], [2, 2], [3, 3]]);
    for (const p of s) expect(Object.values(p.values).every(Number.isFinite), JSON.stringify(p.values)).toBe(true);
    expect(events.some((x) => x.type === 'rolledBack' || x.type === 'error')).toBe(false);
    // the pictures of the run are crop-sized: the 8×8 image was upscaled before cropping
    const v = events.filter((x) => x.type === 'visuals').at(-1);
    expect(v?.type === 'visuals' && [v.images.real_A?.width, v.images.real_A?.height]).toEqual([16, 16]);
    e.dispose();
    await e.idle();
  });
});
