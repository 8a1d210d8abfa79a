import { describe, expect, it } from 'vitest';
import type { Picture } from '../../src/protocol/messages';
import { createStudioStore } from './index';
import { FakeEngine, status } from '../testing/doubles';
import { MAX_SNAPSHOTS, keepSnapshot, shrinkPicture, snapshotAt, type Snapshot } from './timeline';

const pic = (side: number, fill = 7): Picture => ({ width: side, height: side, rgba: new Uint8ClampedArray(side * side * 4).fill(fill) });
const snap = (iter: number): Snapshot => ({ iter, images: {} });

/** Iterations the engine sends visuals at: 1, then every `every`. */
function run(n: number, every = 20, max = MAX_SNAPSHOTS): Snapshot[] {
  let list: Snapshot[] = [];
  for (let k = 0; k < n; k++) list = keepSnapshot(list, snap(k === 0 ? 1 : k * every), max);
  return list;
}

describe('timeline bound and thinning', () => {
  it('keeps everything until full', () => {
    expect(run(MAX_SNAPSHOTS).map((s) => s.iter)).toEqual([1, ...Array.from({ length: MAX_SNAPSHOTS - 1 }, (_, k) => (k + 1) * 20)]);
  });

  it('never holds more than the bound, keeps the first and the latest, and stays evenly spread', () => {
    for (const n of [61, 97, 500, 2000]) {
      const list = run(n);
      expect(list).toHaveLength(MAX_SNAPSHOTS);
      expect(list[0].iter).toBe(1);
      expect(list[list.length - 1].iter).toBe((n - 1) * 20);
      const gaps = list.slice(1).map((s, i) => s.iter - list[i].iter);
      expect(gaps.every((g) => g > 0)).toBe(true); // in order, no repeats
      // even: spread over the whole run, no gap much wider than another (the last may be short: the latest always stays)
      const inner = gaps.slice(0, -1);
      expect(Math.max(...inner)).toBeLessThanOrEqual(2.5 * Math.min(...inner));
      const span = list[list.length - 1].iter - list[0].iter;
      expect(Math.max(...gaps)).toBeLessThan((span / (MAX_SNAPSHOTS - 1)) * 2);
    }
  });

  it('replaces a repeat of the latest iteration instead of adding it (merging partial images)', () => {
    const a = pic(2, 1);
    const b = pic(2, 2);
    let list = keepSnapshot([], { iter: 5, images: { real_A: a } });
    list = keepSnapshot(list, { iter: 5, images: { fake_B: b } });
    expect(list).toHaveLength(1);
    expect(list[0].images).toEqual({ real_A: a, fake_B: b });
  });

  it('finds the snapshot at or before a scrubbed iteration', () => {
    const list = run(5); // 1, 20, 40, 60, 80
    expect(snapshotAt(list, null)?.iter).toBe(80);
    expect(snapshotAt(list, 45)?.iter).toBe(40);
    expect(snapshotAt(list, 0)?.iter).toBe(1);
    expect(snapshotAt([], null)).toBeUndefined();
  });

  it('shrinks large pictures by box averaging and leaves small ones alone', () => {
    const small = pic(64);
    expect(shrinkPicture(small)).toBe(small);
    const big: Picture = { width: 256, height: 256, rgba: new Uint8ClampedArray(256 * 256 * 4) };
    for (let i = 0; i < 256 * 256; i++) big.rgba[i * 4] = i % 2 === 0 ? 200 : 100; // alternating columns
    const s = shrinkPicture(big);
    expect([s.width, s.height]).toEqual([128, 128]);
    expect(s.rgba[0]).toBe(150);
    expect(s.rgba.length).toBe(128 * 128 * 4);
  });
});

describe('timeline in the store', () => {
  it('records visuals events (shrunk), and forgets them when the run is reset', () => {
    const store = createStudioStore({ engine: () => new FakeEngine(), scheduleFrame: (cb) => cb() });
    const s = () => store.getState();
    for (let k = 0; k < 130; k++) s().applyEvent({ type: 'visuals', iter: k === 0 ? 1 : k * 10, images: { real_A: pic(256), fake_B: pic(64) } });
    expect(s().timeline.snapshots).toHaveLength(MAX_SNAPSHOTS);
    expect(s().timeline.snapshots[0].images.real_A?.width).toBe(128);
    expect(s().timeline.snapshots[0].images.fake_B?.width).toBe(64);
    s().setTimelineCursor(300);
    expect(snapshotAt(s().timeline.snapshots, s().timeline.cursor)!.iter).toBeLessThanOrEqual(300);
    s().setTimelinePlaying(true); // the composed store's action is the timeline's (no other slice shadows it)
    expect(s().timeline.playing).toBe(true);
    s().applyEvent({ type: 'status', status: status({ state: 'ready', iter: 0 }) });
    expect(s().timeline).toEqual({ snapshots: [], cursor: null, playing: false });
  });
});

describe('contact sheet layout', () => {
  it('fits every snapshot in a near-square grid of crisp (whole-multiple) images', async () => {
    const { sheetLayout } = await import('../timeline/sheet');
    for (const [n, side] of [[1, 64], [7, 32], [60, 32], [60, 128], [13, 256]] as const) {
      const L = sheetLayout(n, side);
      expect(L.cols * L.rows).toBeGreaterThanOrEqual(n);
      expect((L.cols - 1) * L.rows).toBeLessThan(n); // no empty column
      expect(L.side % side).toBe(0);
      expect(L.side).toBeGreaterThanOrEqual(Math.min(side, 96));
      expect(L.width).toBeGreaterThanOrEqual(L.cols * L.cellW);
      expect(L.height).toBeGreaterThanOrEqual(L.rows * L.cellH);
      if (n < 7) continue;
      expect(L.width / L.height).toBeGreaterThan(0.5);
      expect(L.width / L.height).toBeLessThan(2.5);
    }
  });
});
