/**
 * The `exportModel` request: the run's four networks as tfjs graph models in one zip (src/io/export/), built in
 * the worker from one consistent weight snapshot — training may go on meanwhile. The page downloads the bytes
 * (a worker cannot trigger a download).
 */
import type { ReturnTypes } from '../protocol/messages';
import { transferable } from '../protocol/transfer';
import type { CycleGANTrainer } from '../train/trainer';
import { exportZip } from '../io/export/exportZip';
import { readRunWeights } from '../io/export/weights';

/** Export was asked for before there is a run (nothing trained yet, or the run was stopped). */
export class NoRunError extends Error {
  override name = 'NoRunError';
}

/** "Demo: apples" → "apples"; long folder lists are cut (they only name the domains in the README and page). */
const domainName = (source: string) => source.replace(/^Demo:\s*/, '').slice(0, 40);

export async function exportRun(t: CycleGANTrainer | null, sources: { A: string; B: string }): Promise<ReturnTypes['exportModel']> {
  if (!t) throw new NoRunError('Nothing to export yet: press Train (or Step) first. Stop discards the run, so export before stopping.');
  const iteration = t.iteration; // read in the same synchronous turn as the weights are pinned
  const p = t.partial; // between Step G and Step D the weights include a half of the next iteration: say so
  const halfStep = p ? { iter: p.info.iter, gUpdates: p.gUpdates, dUpdates: p.dUpdates } : undefined;
  const config = { ...t.config };
  const weights = await readRunWeights(t.models);
  const { fileName, bytes } = exportZip({ config, iteration, weights, halfStep, sources: { A: domainName(sources.A), B: domainName(sources.B) } });
  return { fileName, bytes: transferable(bytes) };
}
