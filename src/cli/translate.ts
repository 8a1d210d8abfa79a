/** `translate`: one image through G_A (AtoB) or G_B (BtoA) of a model written by `train --out`. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initNodeBackend } from '../backend/node';
import { loadNetWeights } from '../io/checkpoint';
import { decodeCheckpoint } from '../io/checkpointFile';
import { encodePng, loadImageFile } from '../io/decodeNode';
import { translateImage } from '../io/translate';
import { ResnetGenerator } from '../model/generator';
import { disposeParams } from '../model/params';
import { Rng } from '../rng';
import { backendFlag, strFlag, type Flags } from './args';
import { UsageError } from './errors';
import { CHECKPOINT_FILE } from './train';

export async function runTranslate(flags: Flags): Promise<number> {
  const dir = strFlag(flags, 'model', true)!;
  const direction = strFlag(flags, 'direction', true)!;
  if (direction !== 'AtoB' && direction !== 'BtoA') throw new UsageError(`--direction must be AtoB or BtoA; got '${direction}'`);
  const input = strFlag(flags, 'input', true)!;
  const output = strFlag(flags, 'output', true)!;
  await initNodeBackend(backendFlag(flags));

  const ck = decodeCheckpoint(new Uint8Array(await readFile(join(dir, CHECKPOINT_FILE))));
  const c = ck.manifest.config;
  const g = new ResnetGenerator({ inputNc: c.inputNc, outputNc: c.inputNc, ngf: c.ngf, nBlocks: c.nBlocks }, new Rng(0), c.initGain);
  try {
    loadNetWeights(ck, direction === 'AtoB' ? 'G_A' : 'G_B', g.params);
    const img = await loadImageFile(input);
    const out = await translateImage(g, img);
    await writeFile(output, encodePng(out));
    console.error(`wrote ${output} (${out.width}×${out.height}, ${direction})`);
  } finally {
    disposeParams(g.params);
  }
  return 0;
}
