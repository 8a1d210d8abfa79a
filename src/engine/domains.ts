/**
 * The two domains' images as the engine keeps them (src/data/domain.ts: decoded RGB, bounded in size), with what
 * the UI shows (count, bytes, thumbnails, skipped files and why).
 */
import { DEMOS, makeDemo } from '../data/demo';
import { boundedSize, fileKey, type DomainData, type SkippedFile } from '../data/domain';
import type { DemoName, DemoOptions, Domain, DomainSummary, Picture } from '../protocol/messages';
import { toRGBA, type RGBImage } from '../data/image';
import { resizeBicubic } from '../data/resize';
import { errorInfo } from './errors';

export { boundedSize, DECODE_SHORT_SIDE, fileKey, type DomainData } from '../data/domain';
export const THUMB_SIDE = 64;
export const THUMB_COUNT = 12;

/** Decodes one file; downscales (keeping aspect) so the shorter side is ≤ `shortSide`, the longer ≤ 4×. */
export type Decoder = (file: File, shortSide: number) => Promise<RGBImage>;


export const emptyDomain = (): DomainData => ({ images: [], totalBytes: 0, skipped: [], source: '', keys: [] });

export function appendDomain(old: DomainData, more: DomainData): DomainData {
  return {
    images: [...old.images, ...more.images],
    skipped: [...old.skipped, ...more.skipped],
    totalBytes: old.totalBytes + more.totalBytes,
    source: !old.source ? more.source : old.source.split(', ').includes(more.source) ? old.source : `${old.source}, ${more.source}`, // parts of one folder: named once
    keys: [...(old.keys ?? []), ...(more.keys ?? [])],
  };
}


export function sharedCount(d: DomainData, other: DomainData | undefined): number {
  if (!d.keys?.length || !other?.keys?.length) return 0;
  const theirs = new Set(other.keys);
  return d.keys.reduce((n, k) => n + (theirs.has(k) ? 1 : 0), 0);
}

/** Both domains of a procedural demo (their size is the bytes they hold: there are no files). */
export function demoDomains(demo: DemoName, options?: DemoOptions): Record<Domain, DomainData> {
  const d = makeDemo(demo, options);
  const one = (images: RGBImage[], what: string): DomainData => ({
    images, skipped: [], keys: [], totalBytes: images.reduce((s, i) => s + i.data.length, 0), source: `Demo: ${what}`,
    demo: { demo, ...(options ? { options: { ...options } } : {}) },
  });
  return { A: one(d.A, DEMOS[demo].A), B: one(d.B, DEMOS[demo].B) };
}

export function thumbnail(img: RGBImage): Picture & { name: string } {
  const k = Math.min(1, THUMB_SIDE / Math.max(img.width, img.height));
  const small = k < 1 ? resizeBicubic(img, Math.max(1, Math.round(img.width * k)), Math.max(1, Math.round(img.height * k))) : img;
  return { name: img.name, width: small.width, height: small.height, rgba: toRGBA(small) };
}

/** `other` is the other domain, for the same-images warning. */
export function summarize(domain: Domain, d: DomainData, other?: DomainData): DomainSummary {
  const notes = d.images.flatMap((i) => (i.note ? [{ name: i.name, note: i.note }] : []));
  return {
    domain,
    count: d.images.length,
    totalBytes: d.totalBytes,
    thumbs: d.images.slice(0, THUMB_COUNT).map(thumbnail),
    skipped: d.skipped.slice(),
    ...(notes.length ? { notes } : {}),
    source: d.source,
    sharedWithOther: sharedCount(d, other),
  };
}

/** File order: by path, numbers compared as numbers ("2.png" before "10.png"). One collator: localeCompare with options rebuilds it per call. */
export const byPath = new Intl.Collator(undefined, { numeric: true });

/** Path-like name of a file: the folder-relative path when the picker or a drop gave one. */
export function fileLabel(f: File): string {
  const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath;
  return rel || f.name;
}

/**
 * Decodes files with a few in flight at once (decoding is mostly off the JS thread), in a stable order
 * (by path, numbers compared as numbers). Failures become skipped entries with the decoder's reason.
 */
export async function decodeAll(
  files: File[],
  decode: Decoder,
  shortSide: number,
  onProgress: (done: number, total: number) => void,
  concurrency = 4,
): Promise<Omit<DomainData, 'source'>> {
  const sorted = files.slice().sort((a, b) => byPath.compare(fileLabel(a), fileLabel(b)));
  const results: (RGBImage | SkippedFile)[] = new Array(sorted.length);
  let next = 0, done = 0;
  const worker = async () => {
    while (next < sorted.length) {
      const i = next++;
      const f = sorted[i];
      try {
        let img = await decode(f, shortSide);
        const t = boundedSize(img.width, img.height, shortSide);
        if (t.width !== img.width || t.height !== img.height) img = resizeBicubic(img, t.width, t.height); // decoder did not bound it
        results[i] = { ...img, name: fileLabel(f) };
      } catch (e) {
        results[i] = { name: fileLabel(f), reason: errorInfo(e).message };
      }
      onProgress(++done, sorted.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, sorted.length) }, worker));
  const images: RGBImage[] = [], skipped: SkippedFile[] = [], keys: string[] = [];
  let totalBytes = 0;
  results.forEach((r, i) => {
    if ('reason' in r) skipped.push(r);
    else {
      images.push(r);
      keys.push(fileKey(sorted[i].name, sorted[i].size));
      totalBytes += sorted[i].size;
    }
  });
  return { images, skipped, totalBytes, keys };
}
