/**
 * The snapshot timeline (classroom): the reconstructions the engine sends every sampleEvery iterations,
 * kept so a class can replay how the translation evolved. Memory is bounded twice: at most MAX_SNAPSHOTS, thinned
 * evenly when full (always keeping the first and the latest), and pictures shrunk to at most MAX_SIDE pixels.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { Picture } from '../../src/protocol/messages';
import type { VisualName } from '../constants';
import type { Studio } from './types';

export const MAX_SNAPSHOTS = 60;
/** 60 snapshots × 8 pictures × 128² × 4 bytes ≈ 31 MB at most, whatever the preset. */
export const MAX_SIDE = 128;

export interface Snapshot {
  iter: number;
  images: Partial<Record<VisualName, Picture>>;
}

export interface TimelineSlice {
  timeline: {
    snapshots: Snapshot[];
    /** The iteration the scrubber shows; null follows the latest snapshot. */
    cursor: number | null;
    playing: boolean;
  };
  recordSnapshot: (iter: number, images: Partial<Record<VisualName, Picture>>) => void;
  clearTimeline: () => void;
  setTimelineCursor: (iter: number | null) => void;
  setTimelinePlaying: (on: boolean) => void;
}

/**
 * Adds `snap` (a repeat of the last iteration replaces it). When over `max`, drops the interior snapshot whose
 * neighbours are closest together: the survivors stay as evenly spread over the run as they can be, and the
 * first and the latest always stay.
 */
export function keepSnapshot(list: readonly Snapshot[], snap: Snapshot, max = MAX_SNAPSHOTS): Snapshot[] {
  const out = list.slice();
  const last = out[out.length - 1];
  if (last && last.iter === snap.iter) out[out.length - 1] = { iter: snap.iter, images: { ...last.images, ...snap.images } };
  else out.push(snap);
  while (out.length > Math.max(2, max)) {
    let drop = 1;
    for (let i = 2; i < out.length - 1; i++) if (out[i + 1].iter - out[i - 1].iter < out[drop + 1].iter - out[drop - 1].iter) drop = i;
    out.splice(drop, 1);
  }
  return out;
}

/** `p` box-averaged by a whole factor so neither side exceeds `maxSide` (unchanged when already small). */
export function shrinkPicture(p: Picture, maxSide = MAX_SIDE): Picture {
  const f = Math.ceil(Math.max(p.width, p.height) / maxSide);
  if (f <= 1) return p;
  const width = Math.floor(p.width / f);
  const height = Math.floor(p.height / f);
  const rgba = new Uint8ClampedArray(width * height * 4);
  const n = f * f;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) sum += p.rgba[((y * f + dy) * p.width + x * f + dx) * 4 + c];
        rgba[(y * width + x) * 4 + c] = sum / n;
      }
  return { width, height, rgba };
}

/** The snapshot the scrubber shows: the last one at or before `cursor` (the latest when cursor is null). */
export function snapshotAt(list: readonly Snapshot[], cursor: number | null): Snapshot | undefined {
  if (cursor === null) return list[list.length - 1];
  let found = list[0];
  for (const s of list) if (s.iter <= cursor) found = s;
  return found;
}

export const createTimelineSlice: StateCreator<Studio, [], [], TimelineSlice> = (set) => ({
  timeline: { snapshots: [], cursor: null, playing: false },
  recordSnapshot: (iter, images) =>
    set((s) => {
      const small = Object.fromEntries(Object.entries(images).map(([k, p]) => [k, shrinkPicture(p as Picture)]));
      return { timeline: { ...s.timeline, snapshots: keepSnapshot(s.timeline.snapshots, { iter, images: small }) } };
    }),
  clearTimeline: () => set({ timeline: { snapshots: [], cursor: null, playing: false } }),
  setTimelineCursor: (cursor) => set((s) => ({ timeline: { ...s.timeline, cursor } })),
  setTimelinePlaying: (playing) => set((s) => ({ timeline: { ...s.timeline, playing } })),
});
