/**
 * Where checkpoints live: a small interface with two implementations — IndexedDB in the browser's worker
 * (src/io/idb/idbStore.ts) and memory for Node tests and tools (here). One record per run, overwritten by each
 * save: the summary (listed without reading the weights), the one-file checkpoint bytes, and — once per run,
 * when they fit the budget — the decoded images, so a resume after a reload needs no folders.
 */
import type { CheckpointSummary, Domain } from '../protocol/messages';
import type { DomainData } from '../data/domain';

export type StoredImages = Record<Domain, DomainData>;

export interface CheckpointStore {
  list(): Promise<CheckpointSummary[]>; // newest first
  get(id: string): Promise<{ summary: CheckpointSummary; bytes: Uint8Array } | undefined>;
  put(summary: CheckpointSummary, bytes: Uint8Array): Promise<void>;
  delete(id: string): Promise<void>; // the run's checkpoint and images
  getImages(id: string): Promise<StoredImages | undefined>;
  putImages(id: string, images: StoredImages): Promise<void>;
  /** What the browser says about space (navigator.storage.estimate()); null when unknown. */
  estimate(): Promise<{ usage: number; quota: number } | null>;
}

/** The studio cannot keep checkpoints here (quota, private mode, storage disabled). */
export class CheckpointStorageError extends Error {
  override name = 'CheckpointStorageError';
}

export const newestFirst = (a: CheckpointSummary, b: CheckpointSummary): number => b.savedAt - a.savedAt;

export class MemoryCheckpointStore implements CheckpointStore {
  readonly records = new Map<string, { summary: CheckpointSummary; bytes: Uint8Array }>();
  readonly images = new Map<string, StoredImages>();
  /** Tests: a quota to simulate a full disk (bytes), and a switch that makes every write fail like a dead tab. */
  quota: number | null = null;
  frozen = false;

  async list(): Promise<CheckpointSummary[]> {
    return [...this.records.values()].map((r) => r.summary).sort(newestFirst);
  }
  async get(id: string) {
    return this.records.get(id);
  }
  async put(summary: CheckpointSummary, bytes: Uint8Array): Promise<void> {
    this.check(bytes.length - (this.records.get(summary.id)?.bytes.length ?? 0));
    this.records.set(summary.id, { summary, bytes: bytes.slice() });
  }
  async delete(id: string): Promise<void> {
    this.records.delete(id);
    this.images.delete(id);
  }
  async getImages(id: string) {
    return this.images.get(id);
  }
  async putImages(id: string, images: StoredImages): Promise<void> {
    this.check(imageBytes(images));
    this.images.set(id, images);
  }
  async estimate() {
    return this.quota === null ? null : { usage: this.usage(), quota: this.quota };
  }
  private usage(): number {
    let n = 0;
    for (const r of this.records.values()) n += r.bytes.length;
    for (const i of this.images.values()) n += imageBytes(i);
    return n;
  }
  private check(more: number): void {
    if (this.frozen) throw new CheckpointStorageError('storage is frozen (test)');
    if (this.quota !== null && this.usage() + more > this.quota) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  }
}

/** Decoded pixel bytes of both domains. */
export function imageBytes(d: StoredImages): number {
  return (['A', 'B'] as const).reduce((s, k) => s + d[k].images.reduce((t, i) => t + i.data.length, 0), 0);
}
