/**
 * Checkpoints on the engine side: autosave, save now, download, load a file, list, resume, delete.
 *
 * - A checkpoint is captured only at an iteration boundary with nothing in flight (the loop calls `atBarrier`
 *   when `due`), so weights, Adam moments, pools, RNG and the loss history all describe the same iteration k:
 *   resuming from it gives the same losses from k+1 on as the uninterrupted run.
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
import type { AutosaveEvery, CheckpointSummary, Domain, EngineEvent, LossPoint, RunStatus } from '../protocol/messages';
import { lastEpoch } from '../train/schedule';
import type { CycleGANTrainer } from '../train/trainer';
import { imageBytes, type CheckpointStore } from './checkpointStore';
import { describeDomain, domainMismatch } from './domainHash';
import { demoDomains, type DomainData } from './domains';
import { EngineBusyError, errorInfo } from './errors';
import { LossHistory } from './lossHistory';

export const AUTO_MS = 120_000;
/** Decoded images are stored with a run up to this size (both domains): ~400 full-size photos (≤ 327 kB each once
 * bounded). Larger sets are asked for again on resume — they would make every first save slow and crowd the quota. */
export const IMAGE_BUDGET = 128 * 2 ** 20;
/** Runs kept in storage (the oldest go first): a paper-size checkpoint is ~400 MB. */
export const MAX_RUNS = 3;

/** What the checkpoints need from the engine (accessors, so engine.ts keeps its fields). */
export interface RunAccess {
  trainer(): CycleGANTrainer | null;
  domains(): Record<Domain, DomainData>;
  looping(): boolean;
  emit(e: EngineEvent): void;
  /** Replaces the current run with a restored trainer on these images (disposes the old run); calls `restored`
   * before any status shows the restored iteration, so the UI has the loss history by then. */
  adopt(t: CycleGANTrainer, domains: Record<Domain, DomainData>, restored: () => void): Promise<RunStatus>;
}

export class CheckpointNotFoundError extends Error {
  override name = 'CheckpointNotFoundError';
}
export class DomainMismatchError extends Error {
  override name = 'DomainMismatchError';
}

const newId = (): string => `run-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
const modelWords = (c: CycleGANConfig): string => `${c.cropSize} px · ngf ${c.ngf} · ${c.nBlocks} block${c.nBlocks === 1 ? '' : 's'} · ndf ${c.ndf}`;

export class Checkpoints {
  readonly history = new LossHistory();
  private runId = '';
  private every: AutosaveEvery = 'auto';
  private lastSavedIter = 0;
  private lastSavedAt = 0; // performance.now() of the last capture (or the run's start)
  private imagesStoredFor = '';
  private writing: Promise<void> | null = null;
  private waiters: { resolve: (ck: Checkpoint) => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly store: CheckpointStore, private readonly run: RunAccess) {}

  setEvery(v: AutosaveEvery | undefined): void {
    if (v === undefined) return;
    if (v !== 'auto' && !(Number.isInteger(v) && v >= 0)) throw new RangeError(`autosaveEvery: must be 'auto' or an integer ≥ 0 (0 = off); got ${String(v)}`);
    this.every = v;
  }

  /** A new run from the seed. */
  newRun(): void {
    this.runId = newId();
    this.history.clear();
    this.lastSavedIter = 0;
    this.lastSavedAt = performance.now();
  }

  /** The run was disposed. */
  reset(): void {
    this.runId = '';
    this.history.clear();
  }

  record(p: LossPoint): void {
    this.history.push(p);
  }

  // ------------------------------------------------------------------------------------------- loop hooks

  /** Should the loop stop enqueueing and call atBarrier now? (`iter`: the trainer's iteration, in flight included) */
  due(iter: number): boolean {
    if (this.waiters.length > 0) return true;
    if (this.writing || this.every === 0 || iter <= this.lastSavedIter) return false;
    if (this.every === 'auto') return performance.now() - this.lastSavedAt >= AUTO_MS;
    return iter - this.lastSavedIter >= this.every;
  }

  /** Called by the loop with nothing in flight: capture, hand to waiters, autosave in the background. */
  async atBarrier(t: CycleGANTrainer, reason: CheckpointSummary['reason'] = 'autosave'): Promise<void> {
    const ck = await this.capture(t);
    for (const w of this.waiters.splice(0)) w.resolve(ck);
    if (t.iteration > this.lastSavedIter && this.healthy(t)) this.writeInBackground(ck, reason);
  }

  /** The loop ended (pause, schedule done, error, stop): save a healthy unsaved state, answer any waiter. */
  async atLoopEnd(t: CycleGANTrainer, failed: boolean): Promise<void> {
    if (this.run.trainer() !== t) {
      for (const w of this.waiters.splice(0)) w.reject(new EngineBusyError('The run was stopped before it could be saved.'));
      return;
    }
    if (this.waiters.length > 0 || (!failed && this.every !== 0 && t.iteration > this.lastSavedIter && this.healthy(t)))
      await this.atBarrier(t, 'pause');
  }

  /** Only finite, complete states are saved (a NaN run is what a rollback goes back from, not to). */
  private healthy(t: CycleGANTrainer): boolean {
    if (this.history.lastIter !== t.iteration) return false;
    if (this.history.length === 0) return true;
    const last = this.history.points(this.history.length - 1)[0];
    return Object.values(last.values).every(Number.isFinite);
  }

  // ------------------------------------------------------------------------------------------- requests

  list(): Promise<CheckpointSummary[]> {
    return this.store.list();
  }

  async delete(id: string): Promise<void> {
    await this.store.delete(id);
    if (this.imagesStoredFor === id) this.imagesStoredFor = ''; // the images went with it: the next save stores them again
  }

  /** Save now: waits for the next iteration boundary when training. */
  async saveNow(): Promise<CheckpointSummary> {
    const ck = await this.captureCurrent();
    await this.writing?.catch(() => undefined);
    return this.write(ck, 'manual');
  }

  async download(): Promise<{ fileName: string; bytes: Uint8Array }> {
    const ck = await this.captureCurrent();
    const c = ck.manifest.config;
    return { fileName: `cyclegan-${c.cropSize}px-iter${ck.manifest.iteration}.ckpt`, bytes: encodeCheckpoint(ck) };
  }

  async resume(id: string): Promise<RunStatus> {
    this.refuseWhileTraining('resume a saved run');
    const rec = await this.store.get(id);
    if (!rec) throw new CheckpointNotFoundError(`No saved run ${id} in this browser's storage (it was deleted, or storage was cleared).`);
    return this.restore(decodeCheckpoint(rec.bytes), id);
  }

  async load(file: File): Promise<RunStatus> {
    this.refuseWhileTraining('load a checkpoint');
    let ck: Checkpoint;
    try {
      ck = decodeCheckpoint(new Uint8Array(await file.arrayBuffer()));
    } catch (e) {
      throw new CheckpointError(`${file.name}: ${errorInfo(e).message}. Nothing was changed.`);
    }
    const status = await this.restore(ck, ck.manifest.run?.id ?? newId(), file.name);
    await this.writing?.catch(() => undefined);
    const t = this.run.trainer();
    if (t) this.writeInBackground(await this.capture(t), 'loaded'); // kept in this browser too; a failure is an event
    return status;
  }

  // ------------------------------------------------------------------------------------------- internals

  private refuseWhileTraining(what: string): void {
    if (this.run.looping()) throw new EngineBusyError(`Pause or stop training to ${what}: the current run would be replaced.`);
  }

  private async captureCurrent(): Promise<Checkpoint> {
    const t = this.run.trainer();
    if (!t) throw new CheckpointNotFoundError('There is no run to save yet: train (or step) at least once.');
    if (!this.run.looping()) return this.capture(t);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject })); // the loop's next boundary
  }

  private async capture(t: CycleGANTrainer): Promise<Checkpoint> {
    this.lastSavedAt = performance.now();
    const ck = this.history.attachTo(await captureCheckpoint(t));
    const d = this.run.domains();
    const demo = d.A.demo && d.B.demo && d.A.demo.demo === d.B.demo.demo ? d.A.demo : null;
    const run: CheckpointRunInfo = { id: this.runId || (this.runId = newId()), savedAt: Date.now(), domains: { A: await describeDomain(d.A), B: await describeDomain(d.B) }, demo };
    return { manifest: { ...ck.manifest, run }, data: ck.data };
  }

  private writeInBackground(ck: Checkpoint, reason: CheckpointSummary['reason']): void {
    this.lastSavedIter = ck.manifest.iteration;
    const w: Promise<void> = this.write(ck, reason).then(() => undefined, () => undefined).finally(() => {
      if (this.writing === w) this.writing = null;
    });
    this.writing = w;
  }

  /** Encodes and stores; reports success as a 'checkpoint' event and failure as 'checkpointError' (then throws). */
  private async write(ck: Checkpoint, reason: CheckpointSummary['reason']): Promise<CheckpointSummary> {
    const m = ck.manifest, run = m.run!;
    const iter = m.iteration;
    try {
      const bytes = encodeCheckpoint(ck);
      const domains = this.run.domains();
      const images = run.demo ? 0 : imageBytes(domains);
      const storeImages = !run.demo && images <= IMAGE_BUDGET && this.imagesStoredFor !== run.id;
      await this.checkSpace(bytes.length + (storeImages ? images : 0));
      if (storeImages) {
        await this.store.putImages(run.id, domains);
        this.imagesStoredFor = run.id;
      }
      const summary: CheckpointSummary = {
        id: run.id, iter, ...schedule(m.config, iter, Math.max(run.domains.A.count, run.domains.B.count)), savedAt: run.savedAt, reason,
        bytes: bytes.length, model: modelWords(m.config), config: { ...m.config }, domains: run.domains,
        imagesStored: !run.demo && (storeImages || this.imagesStoredFor === run.id), demo: run.demo,
        ...(m.partial ? { halfStep: { iter: m.partial.info.iter, gUpdates: m.partial.gUpdates, dUpdates: m.partial.dUpdates } } : {}),
      };
      await this.store.put(summary, bytes);
      this.lastSavedIter = Math.max(this.lastSavedIter, iter);
      await this.prune(run.id);
      this.run.emit({ type: 'checkpoint', summary });
      return summary;
    } catch (e) {
      const info = errorInfo(e);
      const quota = info.name === 'QuotaExceededError';
      const message = quota
        ? `Browser storage is full: the checkpoint at iteration ${iter} was not saved (${info.message}). Training goes on — download the checkpoint to keep it, or delete old saved runs.`
        : `The checkpoint at iteration ${iter} could not be saved (${info.name}: ${info.message}). Training goes on — download the checkpoint to keep it.`;
      this.run.emit({ type: 'checkpointError', iter, error: { name: info.name, message } });
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

  /** Builds the saved run (checking its images) and only then replaces the current one: a bad file disturbs nothing. */
  private async restore(ck: Checkpoint, id: string, fileName?: string): Promise<RunStatus> {
    const domains = await this.findDomains(ck, id);
    let t: CycleGANTrainer;
    try {
      t = restoreTrainer(ck, { A: domains.A.images, B: domains.B.images });
    } catch (e) {
      const msg = errorInfo(e).message;
      throw new CheckpointError(`${fileName ?? 'The saved run'} does not fit its own architecture (${msg}): the file is damaged. Nothing was changed.`);
    }
    const history = LossHistory.fromCheckpoint(ck);
    const status = await this.run.adopt(t, domains, () => {
      this.runId = id;
      this.history.clear(history.start);
      for (let i = 0; i < history.length; i += 5000) {
        const points = history.points(i, i + 5000);
        for (const p of points) this.history.push(p);
        this.run.emit({ type: 'losses', points });
      }
      this.lastSavedIter = ck.manifest.iteration;
      this.lastSavedAt = performance.now();
      this.imagesStoredFor = '';
    });
    return { ...status, iter: t.iteration };
  }

  /** The run's images: stored with it, regenerated (demo), or the ones loaded now — always checked by hash. */
  private async findDomains(ck: Checkpoint, id: string): Promise<Record<Domain, DomainData>> {
    const info = ck.manifest.run;
    const current = this.run.domains();
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

/** Epoch and schedule length at iteration `iter` (as RunStatus counts them). */
function schedule(c: CycleGANConfig, iter: number, perEpoch: number): { epoch: number; totalIters: number } {
  return { epoch: c.epochCount + Math.floor(Math.max(0, iter - 1) / perEpoch), totalIters: Math.max(0, lastEpoch(c) - c.epochCount + 1) * perEpoch };
}

const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;
