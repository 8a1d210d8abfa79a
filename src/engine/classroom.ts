/**
 * The classroom's requests (issue 6), on top of the engine: Step G / Step D / Step both with the loss terms
 * each changed, slow motion (one real iteration recorded stage by stage), the per-network digest, and the live
 * discriminator view sent with the visuals. The engine hands over what it owns through ClassroomHost.
 *
 * What a half-step does to the counter, the RNG and exactness: see src/train/halves.ts. In short, Step G then
 * Step D is exactly one iteration (the same as Step); the iteration counts when it has had both halves;
 * Train and Step finish an iteration a half-step began.
 */
import * as tf from '@tensorflow/tfjs';
import type { NetName } from '../model/cyclegan';
import { netDigest } from '../model/digest';
import type { LossChange, StagedIteration, StepPart, StepReport } from '../protocol/classroom';
import type { EngineEvent, Picture, RunStatus } from '../protocol/messages';
import type { VisualName } from '../train/step';
import { HALF_TERMS, stepHalf, type Half } from '../train/halves';
import type { CycleGANTrainer, PendingIteration } from '../train/trainer';
import { EngineBusyError } from './errors';
import { stagedRecord, verdictsOf } from './staged';

export interface ClassroomHost {
  /** The engine's serial queue (requests that change state run one at a time). */
  serial<T>(f: () => Promise<T>): Promise<T>;
  /** The training loop is running. */
  busy(): boolean;
  /** The run, created from the current data and configuration when there is none. */
  trainer(): Promise<CycleGANTrainer>;
  /** The run if there is one. */
  current(): CycleGANTrainer | null;
  /** Before a half-step or slow motion: the divergence guard's "last good" state, when one is due. */
  beforeIteration(t: CycleGANTrainer): Promise<void>;
  /** Records a finished iteration as Step does (loss point, images, D view, divergence check); disposes its tensors. */
  record(t: CycleGANTrainer, it: PendingIteration, startedAt: number): Promise<void>;
  emitStatus(): RunStatus;
  emit(e: EngineEvent): void;
  completeError(t: CycleGANTrainer): Error;
}

const NETS: Record<Half, NetName[]> = { G: ['G_A', 'G_B'], D: ['D_A', 'D_B'] };

export class Classroom {
  constructor(private readonly host: ClassroomHost) {}

  step(part: StepPart): Promise<StepReport> {
    return this.host.serial(() => this.runStep(part));
  }

  slowMotion(): Promise<StagedIteration> {
    return this.host.serial(() => this.runSlowMotion());
  }

  /** A checksum per network (null without a run): which networks did an update change? */
  digest(): Promise<Record<NetName, string> | null> {
    return this.host.serial(async () => {
      const t = this.host.current();
      return t ? netDigest(t.models) : null;
    });
  }

  /** The live D view of an iteration recorded with its visuals, and the pictures it judged (disposes the taps). */
  async publishVerdicts(t: CycleGANTrainer, it: PendingIteration, images: Partial<Record<VisualName, Picture>>): Promise<void> {
    const verdicts = await verdictsOf(it.iter, it.taps, t.config.ganMode, images);
    if (verdicts) this.host.emit({ type: 'verdicts', verdicts });
  }

  private async ready(what: string): Promise<CycleGANTrainer> {
    if (this.host.busy()) throw new EngineBusyError(`Pause training first: ${what} works on a paused run.`);
    const t = await this.host.trainer();
    if (t.done) throw this.host.completeError(t);
    return t;
  }

  private async runStep(part: StepPart): Promise<StepReport> {
    const t = await this.ready(part === 'both' ? 'Step both' : `Step ${part}`);
    await this.host.beforeIteration(t);
    const startedAt = performance.now();
    const p = t.partial;
    // Step both finishes an iteration in progress (the halves it lacks), or runs a whole one: G, then D
    const halves: Half[] = part !== 'both' ? [part] : p ? (['G', 'D'] as const).filter((h) => (h === 'G' ? p.gUpdates : p.dUpdates) === 0) : ['G', 'D'];
    const identity = t.config.lambdaIdentity > 0;
    const report: StepReport = { part, iter: t.iteration + 1, nets: [], changes: [], completed: false, progress: null, status: this.host.emitStatus() };
    for (const h of halves) {
      const r = await stepHalf(t, h);
      report.iter = r.info.iter;
      report.nets.push(...NETS[h]);
      const terms = HALF_TERMS[h].filter((n) => identity || !n.startsWith('idt'));
      report.changes.push(...terms.map((name): LossChange => ({ name, before: r.before[name]!, after: r.after[name]! })));
      report.progress = r.progress;
      if (r.completed) {
        report.completed = true;
        await this.host.record(t, r.completed, startedAt);
      }
    }
    report.status = this.host.emitStatus();
    return report;
  }

  private async runSlowMotion(): Promise<StagedIteration> {
    const t = await this.ready('slow motion');
    if (t.partial)
      throw new EngineBusyError(`Iteration ${t.partial.info.iter} is half done (a Step G or Step D): press Step both to finish it, then slow motion shows the next one.`);
    await this.host.beforeIteration(t);
    const startedAt = performance.now();
    const it = t.runIteration(true); // the real next iteration: it counts, as a Step would
    // the engine publishes (and disposes) the iteration's tensors; the record keeps its own copies
    const visuals = tf.tidy(() => Object.fromEntries(Object.entries(it.visuals).map(([k, v]) => [k, v!.clone()])));
    const taps = tf.tidy(() => Object.fromEntries(Object.entries(it.taps).map(([k, v]) => [k, v!.clone()])));
    try {
      await this.host.record(t, it, startedAt);
    } catch (e) {
      tf.dispose([...Object.values(visuals), ...Object.values(taps)]);
      throw e;
    }
    return stagedRecord(t, it, await it.losses, visuals, taps);
  }
}
