/**
 * The studio's side of the round trip with the official PyTorch trainer (src/io/official does the files):
 *
 *   exportPytorch       the current run → checkpoints/NAME/latest_net_*.pth, its training images as PNG
 *                        (the engine keeps decoded images, not the files), the README with the train.py command
 *   importOfficialRun   the four latest_net_{G_A,G_B,D_A,D_B}.pth → a trainer on the loaded images with them;
 *                        settings the files need (ngf, ndf, blocks…) are adopted and reported
 *
 * The imported run starts at iteration 0 of the current schedule: the official files record no iteration, and
 * their Adam moments and pools are not saved by the official trainer either (its --continue_train also starts
 * both afresh), so the studio counts a new run from the loaded weights.
 */
import { makeConfig, type CycleGANConfig } from '../config';
import type { DomainData } from '../data/domain';
import type { RGBImage } from '../data/image';
import { readRunWeights } from '../io/export/weights';
import { officialFileName, PthMismatchError, readOfficialNetworks, type OfficialNetworks } from '../io/official/fromPth';
import { experimentName, pytorchExportZip, type ImageFile } from '../io/official/pytorchExport';
import { PthError } from '../io/pth/pickle';
import { encodePngBytes } from '../io/pngEncode';
import { NET_NAMES, type NetName } from '../model/cyclegan';
import type { Domain, ReturnTypes } from '../protocol/messages';
import { transferable } from '../protocol/transfer';
import { CycleGANTrainer } from '../train/trainer';
import { NoRunError } from './export';

/** More PNG bytes than this and the export holds a NOTE instead of the images (a zip is built in memory). */
export const MAX_IMAGE_BYTES = 200 * 2 ** 20;

/** The experiment's folder name: the demo's name (apples2oranges), else "A2B" from the folders' names. */
export function runName(data: Record<Domain, DomainData>): string {
  if (data.A.demo) return experimentName(data.A.demo.demo);
  const first = (source: string) => source.split(', ')[0].replace(/^.*[\\/]/, '');
  return experimentName(`${first(data.A.source)}2${first(data.B.source)}`);
}

/**
 * Each domain's images as PNG files, or null once they pass `limit` bytes. It yields to the event loop every few
 * images, so the worker still answers the page's watchdog while a big folder is encoded.
 */
export async function pngImages(data: Record<Domain, DomainData>, limit = MAX_IMAGE_BYTES): Promise<{ A: ImageFile[]; B: ImageFile[] } | null> {
  const out: { A: ImageFile[]; B: ImageFile[] } = { A: [], B: [] };
  let total = 0;
  for (const d of ['A', 'B'] as const)
    for (const [i, img] of data[d].images.entries()) {
      if (i % 16 === 15) await new Promise((r) => setTimeout(r, 0));
      const bytes = encodePngBytes(img);
      if ((total += bytes.length) > limit) return null;
      out[d].push({ path: pngPath(img, i), bytes });
    }
  return out;
}

/** "horses/n02381460_2.jpg" → "horses/n02381460_2.png"; a demo's nameless image → its number. */
const pngPath = (img: RGBImage, i: number) => `${(img.name || String(i + 1).padStart(4, '0')).replace(/\.[^./]*$/, '')}.png`;

export async function exportPytorch(t: CycleGANTrainer | null, data: Record<Domain, DomainData>): Promise<ReturnTypes['exportPytorch']> {
  if (!t) throw new NoRunError('Nothing to continue on PyTorch yet: press Train (or Step) first. Stop discards the run, so export before stopping.');
  const iteration = t.iteration; // read in the same synchronous turn as the weights are pinned
  const config = { ...t.config };
  const itersPerEpoch = t.itersPerEpoch;
  const domains = { A: data.A, B: data.B }; // as they are now: new images loaded meanwhile replace these records
  const weights = await readRunWeights(t.models);
  const images = await pngImages(domains);
  const imagesNote = images ? undefined : `as PNG they would take more than ${MAX_IMAGE_BYTES / 2 ** 20} MB, too much for a zip built in the browser`;
  const { fileName, bytes } = pytorchExportZip({
    name: runName(domains), config, iteration, itersPerEpoch, weights, images, imagesNote, sources: { A: domains.A.source, B: domains.B.source },
  });
  return { fileName, bytes: transferable(bytes), ...(imagesNote ? { imagesNote } : {}) };
}

/** The file for each network: latest_net_X.pth, else the one *_net_X.pth or X.pth among `files`. */
export function officialFiles(files: File[]): Record<NetName, File> {
  const base = (f: File) => f.name.replace(/^.*[\\/]/, '');
  const out = {} as Record<NetName, File>;
  for (const net of NET_NAMES) {
    const exact = files.filter((f) => base(f) === officialFileName(net));
    const found = exact.length ? exact : files.filter((f) => base(f).endsWith(`_net_${net}.pth`) || base(f) === `${net}.pth`);
    if (found.length !== 1)
      throw new PthError(`${found.length ? `several files for ${net} (${found.map(base).join(', ')})` : `no ${officialFileName(net)}`}: continuing a PyTorch run needs latest_net_G_A.pth, latest_net_G_B.pth, latest_net_D_A.pth and latest_net_D_B.pth (the official trainer's checkpoints/NAME folder)`);
    out[net] = found[0];
  }
  return out;
}

/** The networks read and checked against `config`, whose shape settings follow the files where they differ. */
export async function readOfficialRun(files: File[], config: CycleGANConfig): Promise<{ nets: OfficialNetworks; config: CycleGANConfig; changed: string[] }> {
  const chosen = officialFiles(files);
  const bytes = Object.fromEntries(await Promise.all(NET_NAMES.map(async (n) => [n, new Uint8Array(await chosen[n].arrayBuffer())] as const))) as Record<NetName, Uint8Array>;
  const names = Object.fromEntries(NET_NAMES.map((n) => [n, chosen[n].name])) as Record<NetName, string>;
  try {
    return { nets: readOfficialNetworks(bytes, config, names), config, changed: [] };
  } catch (e) {
    if (!(e instanceof PthMismatchError)) throw e;
    const next = makeConfig({ ...config, ...e.need });
    const changed = (Object.keys(e.need) as (keyof CycleGANConfig)[]).map((k) => `${k} ${config[k]} → ${next[k]}`);
    return { nets: readOfficialNetworks(bytes, next, names), config: next, changed };
  }
}
