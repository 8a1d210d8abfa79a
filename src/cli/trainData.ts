/**
 * A run's two image folders, loaded as the studio keeps them (shorter side ≤ max(286, load size): a folder of
 * 12 MP photos fits), with what a checkpoint records of them: the folder, the image count and a hash of the
 * decoded images (src/engine/domainHash.ts), so `train --resume` finds the folders again and knows they still
 * hold the same pictures, and `export-pth` can copy the files.
 */
import { resolve } from 'node:path';
import type { CycleGANConfig } from '../config';
import { domainHash } from '../engine/domainHash';
import { DECODE_SHORT_SIDE, emptyDomain, sharedCount } from '../engine/domains';
import { loadFolder, type FolderLoad } from '../io/decodeNode';
import type { CheckpointDomain } from '../protocol/messages';
import type { Domains } from '../train/trainer';

export interface TrainingData {
  domains: Domains;
  record: Record<'A' | 'B', CheckpointDomain>;
}

export async function loadTrainingData(dirs: Record<'A' | 'B', string>, config: CycleGANConfig): Promise<TrainingData> {
  const shortSide = Math.max(DECODE_SHORT_SIDE, config.loadSize);
  const loaded = { A: await loadFolder(dirs.A, shortSide), B: await loadFolder(dirs.B, shortSide) };
  for (const d of ['A', 'B'] as const) {
    for (const s of loaded[d].skipped) console.error(`skipped ${d}: ${s.name} — ${s.reason}`);
    if (loaded[d].images.length === 0) {
      const n = loaded[d].skipped.length;
      throw new Error(`domain ${d} (${dirs[d]}) has no usable image: ${n === 0 ? 'the folder is empty' : `all ${n} file(s) were skipped (reasons above)`}. Put PNG or JPEG images in it.`);
    }
  }
  const shared = sharedCount({ ...emptyDomain(), keys: loaded.A.keys }, { ...emptyDomain(), keys: loaded.B.keys });
  if (shared > 0)
    console.error(`warning: ${shared} of the ${loaded.A.images.length} A images are also in B (same name and size): a CycleGAN learns nothing from two copies of one domain. Check --a and --b.`);
  const record = async (d: 'A' | 'B', f: FolderLoad): Promise<CheckpointDomain> =>
    ({ source: resolve(dirs[d]), count: f.images.length, hash: await domainHash({ ...emptyDomain(), images: f.images, source: dirs[d] }) });
  return { domains: { A: loaded.A.images, B: loaded.B.images }, record: { A: await record('A', loaded.A), B: await record('B', loaded.B) } };
}
