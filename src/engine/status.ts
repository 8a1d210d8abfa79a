/**
 * The run's state and status, derived — never stored (the engine's first rule): what the status bar, the
 * controls and every `status` event show.
 */
import type { CycleGANConfig } from '../config';
import type { RunState, RunStatus } from '../protocol/messages';
import { iterationGflop } from '../train/flops';
import { epochOf, totalIters } from '../train/schedule';
import type { CycleGANTrainer } from '../train/trainer';

export interface RunFacts {
  trainer: CycleGANTrainer | null;
  /** The engine's config (the next run's, when there is no trainer). */
  config: CycleGANConfig;
  imageCounts: { A: number; B: number };
  /** The loop should keep going, or has not finished its iteration in flight yet. */
  training: boolean;
  completed: number; // iterations whose losses have been read
  msPerIter: number; // smoothed; 0 before the first
  sampleEvery: number;
  backend: string | null;
}

/**
 * Slow-machine throughput (GFLOP/s) for the estimate before the first iteration: wasm and cpu run an iteration
 * synchronously (the worker answers nothing until it ends), at ~20 and ~0.05 GFLOP/s on a 2-core laptop; GPU
 * backends hand their work to the device and stay responsive. A quarter of those, to be safe.
 */
const SLOW_GFLOPS: Record<string, number> = { wasm: 5, cpu: 0.0125 };

/** An iteration's expected length: the measured one, or the run's compute at SLOW_GFLOPS; 0 with no run, or where the worker stays responsive. */
export function expectedIterMs(f: Pick<RunFacts, 'trainer' | 'msPerIter' | 'backend'>): number {
  if (!f.trainer) return 0;
  if (f.msPerIter > 0) return f.msPerIter;
  const gflops = f.backend ? SLOW_GFLOPS[f.backend] : undefined;
  return gflops ? (iterationGflop(f.trainer.config) / gflops) * 1000 : 0;
}

/** no trainer → 'empty' | 'ready'; the loop running → 'training'; idle → 'paused', or 'done' once the schedule is complete. */
export function runState(f: RunFacts): RunState {
  if (!f.trainer) return f.imageCounts.A > 0 && f.imageCounts.B > 0 ? 'ready' : 'empty';
  if (f.training) return 'training';
  return f.trainer.done ? 'done' : 'paused';
}

export function runStatus(f: RunFacts): RunStatus {
  const t = f.trainer;
  const perEpoch = t ? t.itersPerEpoch : Math.max(f.imageCounts.A, f.imageCounts.B);
  const c = t ? t.config : f.config;
  return {
    state: runState(f),
    iter: f.completed,
    epoch: t ? epochOf(c, f.completed, perEpoch) : c.epochCount,
    lr: t ? t.lr : c.lr,
    totalIters: t ? t.totalIters : totalIters(c, perEpoch),
    itersPerEpoch: perEpoch,
    itsPerSec: f.msPerIter > 0 ? 1000 / f.msPerIter : 0,
    sampleEvery: f.sampleEvery,
    expectedIterMs: expectedIterMs(f),
  };
}
