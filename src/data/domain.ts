/**
 * A domain's images as they are kept once decoded, and the bound they are kept under.
 *
 * Size bound: an image is kept with its SHORTER side ≤ max(286, loadSize) and its longer side ≤ 4× that.
 * 286 is the largest preset's load_size. Bounding the shorter side (not the longer) means the run's
 * load_size × load_size resize (aspect ignored, as the reference) only ever downsamples, in both directions,
 * as the reference does from the full file; a 4000×3000 photo is kept as 381×286 (327 kB), not 12 MP.
 */
import type { DemoName, DemoOptions } from '../names';
import type { RGBImage } from './image';

export const DECODE_SHORT_SIDE = 286;

/** Target size for an image of w×h under the bound (unchanged when it already fits). */
export function boundedSize(w: number, h: number, shortSide: number): { width: number; height: number } {
  const k = Math.min(1, shortSide / Math.min(w, h), (4 * shortSide) / Math.max(w, h));
  if (k >= 1) return { width: w, height: h };
  return { width: Math.max(1, Math.round(w * k)), height: Math.max(1, Math.round(h * k)) };
}

/** A file a domain could not use, and why. */
export interface SkippedFile {
  name: string;
  reason: string;
}

export interface DomainData {
  images: RGBImage[];
  totalBytes: number;
  skipped: SkippedFile[];
  source: string;
  /** Set when the images are a procedural demo: a checkpoint regenerates them from this instead of storing them. */
  demo?: { demo: DemoName; options?: DemoOptions };
  /** One key per image (file name + byte size): finds the same files loaded into both domains. Absent: unknown (demo, restored). */
  keys?: string[];
}

/**
 * The same image file (same name, same size in bytes, wherever its folder) in both domains. Name + size, not a
 * content hash: it needs no second read of 5,000 files, and catches what happens in practice — the same
 * folder (or a copy of it) picked for A and for B. Demo images have no keys.
 */
export const fileKey = (name: string, size: number): string => `${name.slice(name.lastIndexOf('/') + 1)}\u0000${size}`;
