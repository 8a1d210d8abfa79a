/**
 * `export-pth`: a training checkpoint → what the official PyTorch trainer needs to continue the run on GPUs
 * (src/io/official/pytorchExport.ts builds the files): the four networks as checkpoints/NAME/latest_net_*.pth,
 * the training images as datasets/NAME/trainA|trainB, and a README with the command. As a zip (--out X.zip) or
 * a folder (--out DIR). The images are the files the run loaded, read again from the folders its checkpoint
 * records (or --a / --b), and only if they still decode to the same pictures; otherwise a NOTE says why not.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { CycleGANConfig } from '../config';
import { domainHash } from '../engine/domainHash';
import { DECODE_SHORT_SIDE, emptyDomain } from '../engine/domains';
import type { CheckpointManifest } from '../io/checkpoint';
import { decodeCheckpoint } from '../io/checkpointFile';
import { loadFolder } from '../io/decodeNode';
import { checkpointWeights } from '../io/export/weights';
import { experimentName, pytorchExportFiles, pytorchExportZip, type ImageFile, type PyTorchExportInput } from '../io/official/pytorchExport';
import { strFlag, type Flags } from './args';
import { UsageError } from './errors';
import { CHECKPOINT_FILE } from './trainStart';

type Images = Pick<PyTorchExportInput, 'images' | 'imagesNote'>;

/** The run's image files, as loaded for training, from `dirs` — when they still hold the pictures it trained on. */
async function trainingImages(m: CheckpointManifest, dirs: Partial<Record<'A' | 'B', string>>): Promise<Images> {
  const recorded = m.run?.domains;
  const out: Record<'A' | 'B', ImageFile[]> = { A: [], B: [] };
  for (const d of ['A', 'B'] as const) {
    const dir = dirs[d] ?? recorded?.[d].source;
    if (!dir) return { images: null, imagesNote: 'the checkpoint does not record its image folders (pass them with --a and --b)' };
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      return { images: null, imagesNote: `the run's ${d} images came from “${dir}”, which is not a folder on the machine that exported it` };
    const loaded = await loadFolder(dir, Math.max(DECODE_SHORT_SIDE, m.config.loadSize));
    const want = recorded?.[d];
    if (want && (await domainHash({ ...emptyDomain(), images: loaded.images })) !== want.hash)
      return { images: null, imagesNote: `${dir} no longer holds the ${want.count} ${d} images the run trained on (${loaded.images.length} image${loaded.images.length === 1 ? '' : 's'} there now, other pictures)` };
    for (const img of loaded.images) out[d].push({ path: img.name, bytes: new Uint8Array(await readFile(join(dir, img.name))) });
  }
  return { images: out };
}

/** Iterations per epoch: max(|A|, |B|) as recorded, else the length of the epoch order the checkpoint holds. */
function itersPerEpoch(m: CheckpointManifest): number {
  const d = m.run?.domains;
  if (d) return Math.max(d.A.count, d.B.count);
  if (m.order.length > 0) return m.order.length;
  if (m.iteration === 0) return 1; // nothing trained yet: any epoch length says "0 epochs done"
  throw new UsageError('the checkpoint records neither its image counts nor its epoch order, so its epoch is unknown');
}

function defaultName(m: CheckpointManifest, file: string, config: CycleGANConfig): string {
  const d = m.run?.domains;
  if (d) return experimentName(`${basename(d.A.source)}2${basename(d.B.source)}`);
  return experimentName(basename(dirname(resolve(file))), `cyclegan_${config.cropSize}px`);
}

export async function runExportPth(flags: Flags): Promise<number> {
  const from = strFlag(flags, 'checkpoint', true)!;
  const out = strFlag(flags, 'out', true)!;
  const file = existsSync(from) && statSync(from).isDirectory() ? join(from, CHECKPOINT_FILE) : from;
  if (!existsSync(file)) throw new UsageError(`no checkpoint at ${file} (train --out DIR writes DIR/${CHECKPOINT_FILE})`);

  const ck = decodeCheckpoint(new Uint8Array(await readFile(file)));
  const m = ck.manifest;
  const name = experimentName(strFlag(flags, 'name') ?? defaultName(m, file, m.config));
  const images = await trainingImages(m, { A: strFlag(flags, 'a'), B: strFlag(flags, 'b') });
  const input: PyTorchExportInput = {
    name, config: m.config, iteration: m.iteration, itersPerEpoch: itersPerEpoch(m), weights: checkpointWeights(ck, m.config), ...images,
    sources: m.run ? { A: m.run.domains.A.source, B: m.run.domains.B.source } : undefined,
  };
  if (!images.images) console.error(`note: ${images.imagesNote}; the export holds datasets/${name}/NOTE.txt instead of the images`);
  if (out.toLowerCase().endsWith('.zip')) {
    const { bytes } = pytorchExportZip(input);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, bytes);
    console.error(`wrote ${out} (${(bytes.byteLength / 1e6).toFixed(2)} MB, iteration ${m.iteration}); see README.md in it`);
  } else {
    const files = pytorchExportFiles(input);
    for (const [path, bytes] of Object.entries(files)) {
      await mkdir(dirname(join(out, path)), { recursive: true });
      await writeFile(join(out, path), bytes);
    }
    console.error(`wrote ${Object.keys(files).length} files to ${out} (iteration ${m.iteration}); see ${join(out, 'README.md')}`);
  }
  return 0;
}
