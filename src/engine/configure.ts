/**
 * A configure request, by what it means for a run. lr, the λ weights and the schedule length are live: a
 * running trainer takes them between iterations. Anything else rebuilds the networks: refused while training,
 * and an idle run is reset (the next start trains from the seed).
 */
import { checkSampleEvery, LIVE_KEYS, makeConfig, type CycleGANConfig } from '../config';
import type { CycleGANTrainer } from '../train/trainer';
import { EngineBusyError } from './errors';

const live = new Set<keyof CycleGANConfig>(LIVE_KEYS);

export interface ConfigPlan {
  next: CycleGANConfig;
  changed: (keyof CycleGANConfig)[];
  /** The run must be rebuilt (a change to a knob that is not live, while a run exists). */
  rebuild: boolean;
  /** lr or a λ changed: a change that can make a run diverge (the guard keeps the state from before it). */
  risky: boolean;
}

/** Validates the request against the current config; throws ConfigError / EngineBusyError with what to do. */
export function planConfigure(current: CycleGANConfig, partial: Partial<CycleGANConfig>, sampleEvery: number | undefined, run: { exists: boolean; training: boolean }): ConfigPlan {
  const next = makeConfig({ ...current, ...partial });
  if (sampleEvery !== undefined) checkSampleEvery(sampleEvery);
  const changed = (Object.keys(next) as (keyof CycleGANConfig)[]).filter((k) => next[k] !== current[k]);
  const structural = changed.filter((k) => !live.has(k));
  if (run.exists && structural.length > 0 && run.training)
    throw new EngineBusyError(`Pause or stop training to change ${structural.join(', ')}: it rebuilds the networks and restarts the run. Live while training: ${LIVE_KEYS.join(', ')}.`);
  return { next, changed, rebuild: run.exists && structural.length > 0, risky: changed.some((k) => k === 'lr' || k.startsWith('lambda')) };
}

/** Gives a live trainer the new live knobs (from its next iteration). */
export function applyLive(t: CycleGANTrainer, next: CycleGANConfig): void {
  t.setHyper({ lr: next.lr, lambdaA: next.lambdaA, lambdaB: next.lambdaB, lambdaIdentity: next.lambdaIdentity });
  // the schedule length is read from the config every iteration (totalIters, lr factor)
  Object.assign(t.config, { nEpochs: next.nEpochs, nEpochsDecay: next.nEpochsDecay });
}
