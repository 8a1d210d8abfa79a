/**
 * The checkpoint store in IndexedDB (works in the dedicated worker), through `idb` (promise wrapper).
 * Three object stores keyed by run id: `summaries` (listed without touching the weights), `files` (the one-file
 * checkpoint bytes) and `images` (the run's decoded domains). A save writes summary and file in one transaction:
 * a crash mid-save leaves the previous save whole.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { CheckpointStorageError, newestFirst, type CheckpointStore, type StoredImages } from '../checkpointStore';
import type { CheckpointSummary } from '../../protocol/messages';

interface Schema extends DBSchema {
  summaries: { key: string; value: CheckpointSummary };
  files: { key: string; value: Uint8Array };
  images: { key: string; value: StoredImages };
}

export const DB_NAME = 'cyclegan-studio-checkpoints';

export class IdbCheckpointStore implements CheckpointStore {
  private db: Promise<IDBPDatabase<Schema>> | null = null;

  constructor(private readonly name = DB_NAME) {}

  private open(): Promise<IDBPDatabase<Schema>> {
    if (typeof indexedDB === 'undefined') return Promise.reject(new CheckpointStorageError('this browser context has no IndexedDB: checkpoints cannot be kept (download them instead)'));
    this.db ??= openDB<Schema>(this.name, 1, {
      upgrade(db) {
        db.createObjectStore('summaries');
        db.createObjectStore('files');
        db.createObjectStore('images');
      },
    }).catch((e) => {
      this.db = null; // a later call may succeed (e.g. after the user freed space)
      throw e;
    });
    return this.db;
  }

  async list(): Promise<CheckpointSummary[]> {
    return (await (await this.open()).getAll('summaries')).sort(newestFirst);
  }

  async get(id: string) {
    const db = await this.open();
    const tx = db.transaction(['summaries', 'files']);
    const [summary, bytes] = await Promise.all([tx.objectStore('summaries').get(id), tx.objectStore('files').get(id), tx.done]);
    return summary && bytes ? { summary, bytes } : undefined;
  }

  async put(summary: CheckpointSummary, bytes: Uint8Array): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(['summaries', 'files'], 'readwrite');
    await Promise.all([tx.objectStore('files').put(bytes, summary.id), tx.objectStore('summaries').put(summary, summary.id), tx.done]);
  }

  async delete(id: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(['summaries', 'files', 'images'], 'readwrite');
    await Promise.all([tx.objectStore('summaries').delete(id), tx.objectStore('files').delete(id), tx.objectStore('images').delete(id), tx.done]);
  }

  async getImages(id: string) {
    return (await this.open()).get('images', id);
  }

  async putImages(id: string, images: StoredImages): Promise<void> {
    await (await this.open()).put('images', images, id);
  }

  async estimate() {
    // Test-only hook (e2e/resume.test.ts): a worker named "…;quota=N" reports N bytes of quota. CDP's
    // Storage.overrideQuotaForOrigin does not reach navigator.storage.estimate() in the Chromium the e2e runs.
    const forced = /;quota=(\d+)$/.exec((globalThis as { name?: unknown }).name as string ?? '');
    if (forced) return { usage: 0, quota: Number(forced[1]) };
    const storage = (globalThis.navigator as Navigator | undefined)?.storage;
    if (!storage?.estimate) return null;
    const e = await storage.estimate();
    return e.quota === undefined ? null : { usage: e.usage ?? 0, quota: e.quota };
  }
}
