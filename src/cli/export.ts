/**
 * `export`: a training checkpoint → the studio's Export (src/io/export/): both generators and both
 * discriminators as tfjs graph models, config.json, README with the snippet, index.html, node-example.mjs —
 * as one zip (--out X.zip) or as a folder (--out DIR). Pure JS: no backend, no tensors.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodeCheckpoint } from '../io/checkpointFile';
import { exportFiles, exportZip, type ExportInput } from '../io/export/exportZip';
import { checkpointWeights } from '../io/export/weights';
import { strFlag, type Flags } from './args';
import { UsageError } from './errors';
import { CHECKPOINT_FILE } from './trainStart';

export async function runExport(flags: Flags): Promise<number> {
  const from = strFlag(flags, 'checkpoint', true)!;
  const out = strFlag(flags, 'out', true)!;
  const file = existsSync(from) && statSync(from).isDirectory() ? join(from, CHECKPOINT_FILE) : from;
  if (!existsSync(file)) throw new UsageError(`no checkpoint at ${file} (train --out DIR writes DIR/${CHECKPOINT_FILE})`);

  const ck = decodeCheckpoint(new Uint8Array(await readFile(file)));
  const config = ck.manifest.config;
  const input: ExportInput = { config, iteration: ck.manifest.iteration, weights: checkpointWeights(ck, config) };
  if (out.toLowerCase().endsWith('.zip')) {
    const { bytes } = exportZip(input);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, bytes);
    console.error(`wrote ${out} (${(bytes.byteLength / 1e6).toFixed(2)} MB, iteration ${input.iteration})`);
  } else {
    const files = exportFiles(input);
    for (const [path, bytes] of Object.entries(files)) {
      await mkdir(dirname(join(out, path)), { recursive: true });
      await writeFile(join(out, path), bytes);
    }
    console.error(`wrote ${Object.keys(files).length} files to ${out} (iteration ${input.iteration}); see ${join(out, 'README.md')}`);
    console.error(`  use: npm run cli -- translate --model ${out} --direction AtoB|BtoA --input IMG --output OUT.png`);
  }
  return 0;
}
