/** What an export is made of: a run's config, iteration and weights (the worker's run, or a checkpoint in the CLI). */
import type { CycleGANConfig } from '../../config';
import type { NetName } from '../../model/cyclegan';

export interface ExportInput {
  config: CycleGANConfig;
  iteration: number;
  /** Each network's weights by state_dict key, tfjs layout. Discriminators are optional. */
  weights: Pick<Record<NetName, ReadonlyMap<string, Float32Array>>, 'G_A' | 'G_B'> & Partial<Record<'D_A' | 'D_B', ReadonlyMap<string, Float32Array>>>;
  /** Where the domains' images came from (folder names, a demo's name); shown in the README and the page. */
  sources?: { A?: string; B?: string };
  /** Exported between Step G and Step D (classroom): the half-done iteration the weights already include. */
  halfStep?: { iter: number; gUpdates: number; dUpdates: number };
}
