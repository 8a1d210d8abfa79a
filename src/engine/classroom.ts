/**
 * The classroom's requests, on top of the engine: Step G / Step D / Step both with the loss terms each changed,
 * slow motion (one real iteration recorded stage by stage) and the per-network digest. Each works on the run the
 * engine hands over, recording a finished iteration the way Step does (the loop's `recordOne`).
 *
 * What a half-step does to the counter, the RNG and exactness: see src/train/halves.ts. In short, Step G then
 * Step D is exactly one iteration (the same as Step); the iteration counts when it has had both halves;
 * Train and Step finish an iteration a half-step began.
 */
import * as tf from '@tensorflow/tfjs';
import type { NetName } from '../model/cyclegan';
import { netDigest } from '../model/digest';
import type { LossChange, StagedIteration, StepPart, StepReport } from '../protocol/messages';
import { HALF_TERMS, type Half } from '../train/halves';
import type { PendingIteration } from '../train/trainer';
import { EngineBusyError, scheduleComplete } from './errors';
import { watchWeights } from './guard';
import type { TrainingLoop } from './loop';
import type { Run } from './run';
import { stagedRecord } from './staged';

/** What the classroom needs of the engine. */
export interface ClassroomHost {
  readonly loop: TrainingLoop;
  /** The engine's serial queue (requests that change state run one at a time). */
  serial<T>(f: () => Promise<T>): Promise<T>;
  /** The run, created from the current data and configuration when there is none. */
  run(): Promise<Run>;
  /** The run if there is one. */
  current(): Run | null;
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
      const run = this.host.current();
      return run ? netDigest(run.trainer.models) : null;
    });
  }

  /** The run, paused and not done, with the guard's last good state taken when one is due. */
  private async ready(what: string): Promise<Run> {
    if (this.host.loop.looping) throw new EngineBusyError(`Pause training first: ${what} works on a paused run.`);
    const run = await this.host.run();
    const t = run.trainer;
    if (t.done) throw scheduleComplete(t.totalIters);
    if (!t.partial && run.guard.due(t.iteration)) await run.guard.capture(t); // as Step, at an iteration's start
    return run;
  }

  /** Records a finished iteration as Step does (loss point, images, D view, divergence check); disposes its tensors. */
  private record(run: Run, it: PendingIteration, startedAt: number): Promise<void> {
    run.recorder.mark(startedAt);
    return this.host.loop.recordOne(run, { it, withVisuals: true, weights: watchWeights(run.trainer) });
  }

  private async runStep(part: StepPart): Promise<StepReport> {
    const run = await this.ready(part === 'both' ? 'Step both' : `Step ${part}`);
    const t = run.trainer;
    const startedAt = performance.now();
    const p = t.partial;
    // Step both finishes an iteration in progress (the halves it lacks), or runs a whole one: G, then D
    const halves: Half[] = part !== 'both' ? [part] : p ? (['G', 'D'] as const).filter((h) => (h === 'G' ? p.gUpdates : p.dUpdates) === 0) : ['G', 'D'];
    const identity = t.config.lambdaIdentity > 0;
    const report: StepReport = { part, iter: t.iteration + 1, nets: [], changes: [], completed: false, progress: null, status: run.events.status() };
    for (const h of halves) {
      const r = await t.stepHalf(h);
      report.iter = r.info.iter;
      report.nets.push(...NETS[h]);
      const terms = HALF_TERMS[h].filter((n) => identity || !n.startsWith('idt'));
      report.changes.push(...terms.map((name): LossChange => ({ name, before: r.before[name]!, after: r.after[name]! })));
      report.progress = r.progress;
      if (r.completed) {
        report.completed = true;
        await this.record(run, r.completed, startedAt);
      }
    }
    report.status = run.events.status();
    return report;
  }

  private async runSlowMotion(): Promise<StagedIteration> {
    const run = await this.ready('slow motion');
    const t = run.trainer;
    if (t.partial)
      throw new EngineBusyError(`Iteration ${t.partial.info.iter} is half done (a Step G or Step D): press Step both to finish it, then slow motion shows the next one.`);
    const startedAt = performance.now();
    const it = t.runIteration(true); // the real next iteration: it counts, as a Step would
    // the engine publishes (and disposes) the iteration's tensors; the record keeps its own copies
    const visuals = tf.tidy(() => Object.fromEntries(Object.entries(it.visuals).map(([k, v]) => [k, v!.clone()])));
    const taps = tf.tidy(() => Object.fromEntries(Object.entries(it.taps).map(([k, v]) => [k, v!.clone()])));
    try {
      await this.record(run, it, startedAt);
    } catch (e) {
      tf.dispose([...Object.values(visuals), ...Object.values(taps)]);
      throw e;
    }
    return stagedRecord(t, it, await it.losses, visuals, taps);
  }
}
