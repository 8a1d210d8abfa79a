/**
 * Checkpoints on the engine's side: where they are kept (the store), how often a run autosaves, writing in the
 * background, listing and deleting, and reading a saved run back (resume, load a file). What belongs to one run —
 * its id, its loss history, when it was last saved, who waits for its next capture — is ./saves.ts.
 *
 * - A checkpoint is captured only at an iteration boundary with nothing in flight, so weights, Adam moments,
 *   pools, RNG and the loss history all describe the same iteration k: resuming from it gives the same losses
 *   from k+1 on as the uninterrupted run.
 * - Capturing reads the tensors (the loop waits for that); encoding and writing go on in the background, one
 *   write at a time. While a write is still busy the next autosave is skipped, never queued up.
 * - A failed write (quota, storage off) is an event, never a silent loss: training goes on and the UI offers
 *   the download instead.
 * - Autosave period: N iterations, 0 (off), or 'auto' = about every AUTO_MS of training: time, not iterations,
 *   because one preset runs 13 it/s and another 0.6 it/s — "a couple of minutes of work" is what a crash loses.
 */
import type { CycleGANConfig } from '../config';
import { captureCheckpoint, CheckpointError, restoreTrainer, type Checkpoint, type CheckpointRunInfo } from '../io/checkpoint';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpointFile';
import type { AutosaveEvery, CheckpointSummary, Domain } from '../protocol/messages';
import { epochOf, totalIters } from '../train/schedule';
import type { CycleGANTrainer } from '../train/trainer';
import { imageBytes, type CheckpointStore } from '../io/checkpointStore';
import { describeDomain, domainMismatch } from './domainHash';
import { demoDomains, type DomainData } from './domains';
import { errorInfo } from './errors';
import type { Events } from './events';
import type { ImageDomains } from './imageDomains';
import { LossHistory } from './lossHistory';

export const AUTO_MS = 120_000;
/** Decoded images are stored with a run up to this size (both domains): ~400 full-size photos (≤ 327 kB each once
 * bounded). Larger sets are asked for again on resume — they would make every first save slow and crowd the quota. */
export const IMAGE_BUDGET = 128 * 2 ** 20;
/** Runs kept in storage (the oldest go first): a paper-size checkpoint is ~400 MB. */
export const MAX_RUNS = 3;

export class CheckpointNotFoundError extends Error {
  override name = 'CheckpointNotFoundError';
}
export class DomainMismatchError extends Error {
  override name = 'DomainMismatchError';
}

/** A saved run read back, checked against its images, not yet the engine's run. */
export interface SavedRun {
  id: string;
  trainer: CycleGANTrainer;
  domains: Record<Domain, DomainData>;
  history: LossHistory;
}

export const newRunId = (): string => `run-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
const modelWords = (c: CycleGANConfig): string => `${c.cropSize} px · ngf ${c.ngf} · ${c.nBlocks} block${c.nBlocks === 1 ? '' : 's'} · ndf ${c.ndf}`;

export class Checkpoints {
  private period: AutosaveEvery = 'auto';
  private imagesStoredFor = '';
  private writing: Promise<void> | null = null;

  constructor(private readonly store: CheckpointStore, private readonly domains: ImageDomains, private readonly events: Events) {}

  /** The autosave period. */
  get every(): AutosaveEvery {
    return this.period;
  }

  setEvery(v: AutosaveEvery | undefined): void {
    if (v === undefined) return;
    if (v !== 'auto' && !(Number.isInteger(v) && v >= 0)) throw new RangeError(`autosaveEvery: must be 'auto' or an integer ≥ 0 (0 = off); got ${String(v)}`);
    this.period = v;
  }

  /** A write is still going on (the next autosave is skipped). */
  get busy(): boolean {
    return this.writing !== null;
  }

  /** Resolves once the write in progress (if any) has ended, well or not. */
  async settle(): Promise<void> {
    await this.writing?.catch(() => undefined);
  }

  list(): Promise<CheckpointSummary[]> {
    return this.store.list();
  }

  async delete(id: string): Promise<void> {
    await this.store.delete(id);
    if (this.imagesStoredFor === id) this.imagesStoredFor = ''; // the images went with it: the next save stores them again
  }

  /** A saved run from this browser's storage. */
  async resume(id: string): Promise<SavedRun> {
    const rec = await this.store.get(id);
    if (!rec) throw new CheckpointNotFoundError(`No saved run ${id} in this browser's storage (it was deleted, or storage was cleared).`);
    return this.restore(decodeCheckpoint(rec.bytes), id);
  }

  /** A saved run from a checkpoint file. */
  async load(file: File): Promise<SavedRun> {
    let ck: Checkpoint;
    try {
      ck = decodeCheckpoint(new Uint8Array(await file.arrayBuffer()));
    } catch (e) {
      throw new CheckpointError(`${file.name}: ${errorInfo(e).message}. Nothing was changed.`);
    }
    return this.restore(ck, ck.manifest.run?.id ?? newRunId(), file.name);
  }

  /** The run's state at `t`'s iteration, its loss history and the images it trains on (by hash). */
  async capture(t: CycleGANTrainer, history: LossHistory, id: string): Promise<Checkpoint> {
    const ck = history.attachTo(await captureCheckpoint(t));
    const d = this.domains.data;
    const demo = d.A.demo && d.B.demo && d.A.demo.demo === d.B.demo.demo ? d.A.demo : null;
    const run: CheckpointRunInfo = { id, savedAt: Date.now(), domains: { A: await describeDomain(d.A), B: await describeDomain(d.B) }, demo };
    return { manifest: { ...ck.manifest, run }, data: ck.data };
  }

  /** Writes without waiting; a failure has been reported as an event already. */
  inBackground(ck: Checkpoint, reason: CheckpointSummary['reason'], saved: () => void): void {
    const w: Promise<void> = this.write(ck, reason, saved).then(() => undefined, () => undefined).finally(() => {
      if (this.writing === w) this.writing = null;
    });
    this.writing = w;
  }

  /**
   * Encodes and stores (`saved` is called once the store has it); reports success as a 'checkpoint' event and
   * failure as 'checkpointError' (then throws).
   */
  async write(ck: Checkpoint, reason: CheckpointSummary['reason'], saved: () => void): Promise<CheckpointSummary> {
    const m = ck.manifest, run = m.run!;
    const iter = m.iteration;
    try {
      const bytes = encodeCheckpoint(ck);
      const domains = this.domains.data;
      const images = run.demo ? 0 : imageBytes(domains);
      const storeImages = !run.demo && images <= IMAGE_BUDGET && this.imagesStoredFor !== run.id;
      await this.checkSpace(bytes.length + (storeImages ? images : 0));
      if (storeImages) {
        await this.store.putImages(run.id, domains);
        this.imagesStoredFor = run.id;
      }
      const perEpoch = Math.max(run.domains.A.count, run.domains.B.count);
      const summary: CheckpointSummary = {
        id: run.id, iter, epoch: epochOf(m.config, iter, perEpoch), totalIters: totalIters(m.config, perEpoch), savedAt: run.savedAt, reason,
        bytes: bytes.length, model: modelWords(m.config), config: { ...m.config }, domains: run.domains,
        imagesStored: !run.demo && (storeImages || this.imagesStoredFor === run.id), demo: run.demo,
        ...(m.partial ? { halfStep: { iter: m.partial.info.iter, gUpdates: m.partial.gUpdates, dUpdates: m.partial.dUpdates } } : {}),
      };
      await this.store.put(summary, bytes);
      saved();
      await this.prune(run.id);
      this.events.emit({ type: 'checkpoint', summary });
      return summary;
    } catch (e) {
      const info = errorInfo(e);
      const quota = info.name === 'QuotaExceededError';
      const message = quota
        ? `Browser storage is full: the checkpoint at iteration ${iter} was not saved (${info.message}). Training goes on — download the checkpoint to keep it, or delete old saved runs.`
        : `The checkpoint at iteration ${iter} could not be saved (${info.name}: ${info.message}). Training goes on — download the checkpoint to keep it.`;
      this.events.emit({ type: 'checkpointError', iter, error: { name: info.name, message } });
      throw Object.assign(new Error(message), { name: info.name });
    }
  }

  /** navigator.storage.estimate() before writing: a save that cannot fit is reported, not attempted. */
  private async checkSpace(bytes: number): Promise<void> {
    const est = await this.store.estimate().catch(() => null);
    if (!est) return;
    const free = est.quota - est.usage;
    if (bytes > free)
      throw Object.assign(new Error(`${mb(bytes)} needed, ${mb(Math.max(0, free))} free`), { name: 'QuotaExceededError' });
  }

  private async prune(keep: string): Promise<void> {
    const old = (await this.store.list()).filter((s) => s.id !== keep).slice(MAX_RUNS - 1);
    for (const s of old) await this.store.delete(s.id);
  }

  /** Builds the saved run, checking its images; the current run is not touched (a bad file disturbs nothing). */
  private async restore(ck: Checkpoint, id: string, fileName?: string): Promise<SavedRun> {
    const domains = await this.findDomains(ck, id);
    let trainer: CycleGANTrainer;
    try {
      trainer = restoreTrainer(ck, { A: domains.A.images, B: domains.B.images });
    } catch (e) {
      const msg = errorInfo(e).message;
      throw new CheckpointError(`${fileName ?? 'The saved run'} does not fit its own architecture (${msg}): the file is damaged. Nothing was changed.`);
    }
    this.imagesStoredFor = ''; // whether this browser holds its images is not known: the next save stores them
    return { id, trainer, domains, history: LossHistory.fromCheckpoint(ck) };
  }

  /** The run's images: stored with it, regenerated (demo), or the ones loaded now — always checked by hash. */
  private async findDomains(ck: Checkpoint, id: string): Promise<Record<Domain, DomainData>> {
    const info = ck.manifest.run;
    const current = this.domains.data;
    if (!info) {
      if (current.A.images.length === 0 || current.B.images.length === 0)
        throw new DomainMismatchError('This checkpoint (version 1) does not say which images it trained on: load the same two folders first, then load it again.');
      return current;
    }
    const candidates: Record<Domain, DomainData>[] = [];
    const stored = await this.store.getImages(id).catch(() => undefined);
    if (stored) candidates.push(stored);
    if (info.demo) candidates.push(demoDomains(info.demo.demo, info.demo.options));
    candidates.push(current);
    let why: string[] = [];
    for (const c of candidates) {
      why = (await Promise.all((['A', 'B'] as const).map((d) => domainMismatch(d, info.domains[d], c[d])))).filter((x): x is string => x !== null);
      if (why.length === 0) return c;
    }
    throw new DomainMismatchError(`${why.join(' ')} (The saved run is kept; nothing was changed.)`);
  }
}

const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;
