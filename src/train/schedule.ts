/**
 * lr_policy 'linear' (models/networks.py get_scheduler): keep the initial lr for n_epochs, then decay it
 * linearly over n_epochs_decay. The reference's rule is lr·(1 − max(0, c + epoch_count − n_epochs)/(n_epochs_decay + 1))
 * with c the number of epochs completed in this run, so during (1-based) epoch e = epoch_count + c the factor is
 * 1 − max(0, e − n_epochs)/(n_epochs_decay + 1): epoch n_epochs still trains at full lr, the last at lr/(decay + 1).
 */
import type { CycleGANConfig } from '../config';

export function lrFactor(epoch: number, cfg: Pick<CycleGANConfig, 'nEpochs' | 'nEpochsDecay'>): number {
  return 1 - Math.max(0, epoch - cfg.nEpochs) / (cfg.nEpochsDecay + 1);
}

/** The last epoch of the schedule (the reference loops epoch_count … n_epochs + n_epochs_decay). */
export function lastEpoch(cfg: Pick<CycleGANConfig, 'nEpochs' | 'nEpochsDecay'>): number {
  return cfg.nEpochs + cfg.nEpochsDecay;
}

type Schedule = Pick<CycleGANConfig, 'nEpochs' | 'nEpochsDecay' | 'epochCount'>;

/** Iterations in the whole schedule at `perEpoch` iterations an epoch (max(|A|, |B|), as the reference's unaligned dataset). */
export function totalIters(cfg: Schedule, perEpoch: number): number {
  return Math.max(0, lastEpoch(cfg) - cfg.epochCount + 1) * perEpoch;
}

/** The epoch iteration `iter` (1-based) belongs to; iteration 0, before any, counts in the first. */
export function epochOf(cfg: Schedule, iter: number, perEpoch: number): number {
  return cfg.epochCount + Math.floor(Math.max(0, iter - 1) / perEpoch);
}
