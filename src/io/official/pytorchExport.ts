/**
 * A run, packed for the official PyTorch trainer (junyanz/pytorch-CycleGAN-and-pix2pix) to continue it — the files
 * laid out as that repository expects them, so the zip unpacks into a clone of it:
 *
 *   checkpoints/NAME/latest_net_G_A.pth   … G_B, D_A, D_B   (our .pth writer, src/io/pth/writePth.ts)
 *   datasets/NAME/trainA/…  trainB/…       the images the run trained on (or datasets/NAME/NOTE.txt saying why not)
 *   README.md                              the command that continues the run, what restarts, the way back
 *
 * Pure: weights and image bytes in, file bytes out; the CLI (src/cli/exportPth.ts) and the engine both call it.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { CycleGANConfig } from '../../config';
import { NET_NAMES, netSpecs } from '../../model/cyclegan';
import type { NetWeights } from '../export/weights';
import { networkToPth } from '../pth/writePth';
import { pytorchReadme } from './readme';

/** One training image as a file: its path below trainA/ or trainB/ and its bytes (PNG or JPEG). */
export interface ImageFile {
  path: string;
  bytes: Uint8Array;
}

export interface PyTorchExportInput {
  /** The experiment's name (checkpoints/NAME, datasets/NAME); made safe with experimentName. */
  name: string;
  config: CycleGANConfig;
  iteration: number;
  /** max(|A|, |B|). */
  itersPerEpoch: number;
  /** All four networks, tfjs layout (readRunWeights for a live run, checkpointWeights for a checkpoint). */
  weights: NetWeights;
  /** The training images, or null with `imagesNote` saying why they are not included. */
  images: { A: ImageFile[]; B: ImageFile[] } | null;
  imagesNote?: string;
  /** Where the images came from (folders, a demo's name), for the README. */
  sources?: { A?: string; B?: string };
}

/** A name the official scripts take as a folder name: letters, digits, _ . - (e.g. "apples2oranges"). */
export function experimentName(s: string | undefined, fallback = 'cyclegan_studio'): string {
  const t = (s ?? '').replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[_.-]+|[_.-]+$/g, '').slice(0, 64);
  return t || fallback;
}

/** The official dataset reads only these extensions, case and all (data/image_folder.py IMG_EXTENSIONS); a file
 * named otherwise gets its own added. */
const OFFICIAL_EXTENSIONS = /\.(jpg|JPG|jpeg|JPEG|png|PNG|ppm|PPM|bmp|BMP|tif|TIF|tiff|TIFF)$/;

function officialPath(f: ImageFile): string {
  const path = f.path.replace(/\\/g, '/').replace(/^\/+/, '').split('/').filter((p) => p !== '..' && p !== '.').join('/');
  if (OFFICIAL_EXTENSIONS.test(path)) return path;
  return `${path}${f.bytes[0] === 0x89 && f.bytes[1] === 0x50 ? '.png' : '.jpg'}`; // PNG signature, else JPEG (what we decode)
}

/** Every file of the export by its path. */
export function pytorchExportFiles(input: PyTorchExportInput): Record<string, Uint8Array> {
  const name = experimentName(input.name);
  const files: Record<string, Uint8Array> = {};
  for (const net of NET_NAMES) files[`checkpoints/${name}/latest_net_${net}.pth`] = networkToPth(netSpecs(net, input.config), input.weights[net]);
  if (input.images) {
    for (const d of ['A', 'B'] as const) for (const f of input.images[d]) files[`datasets/${name}/train${d}/${officialPath(f)}`] = f.bytes;
  } else {
    files[`datasets/${name}/NOTE.txt`] = strToU8(
      `The training images are not in this export: ${input.imagesNote ?? 'they were not available'}.\n` +
        `Put the A images in datasets/${name}/trainA and the B images in datasets/${name}/trainB` +
        `${input.sources ? ` (the run trained on ${input.sources.A ?? 'A'} and ${input.sources.B ?? 'B'})` : ''}, then run the command in README.md.\n`,
    );
  }
  const count = input.images ? { A: input.images.A.length, B: input.images.B.length } : null;
  files['README.md'] = strToU8(pytorchReadme({ ...input, name, images: count }));
  return files;
}

export function pytorchExportFileName(input: Pick<PyTorchExportInput, 'name' | 'iteration'>): string {
  return `${experimentName(input.name)}-pytorch-iter${input.iteration}.zip`;
}

/** The export as one zip (weights and images stored: they do not compress; the README deflated). */
export function pytorchExportZip(input: PyTorchExportInput): { fileName: string; bytes: Uint8Array } {
  const entries: Zippable = {};
  for (const [path, bytes] of Object.entries(pytorchExportFiles(input))) entries[path] = path.endsWith('.md') || path.endsWith('.txt') ? bytes : [bytes, { level: 0 }];
  return { fileName: pytorchExportFileName(input), bytes: zipSync(entries, { level: 6 }) };
}
