/**
 * The "Export" zip: both generators (and the discriminators) as standard tfjs graph models, the training
 * configuration, a README with the snippet, a ready page and a Node example. Pure: runs in Node, the worker
 * and the page. Layout:
 *   README.md  index.html  translate.js  node-example.mjs  config.json
 *   G_A_AtoB/model.json + group1-shard1of1.bin     A → B (the paper's G)
 *   G_B_BtoA/…                                     B → A (the paper's F)
 *   D_A/…  D_B/…                                   PatchGAN discriminators (D_A judges B images, D_B judges A)
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { NetName } from '../../model/cyclegan';
import { WEIGHTS_FILE } from './graphDef';
import { discriminatorGraph, generatorGraph, type GraphModelFiles } from './networkGraphs';
import { exportReadme } from './readme';
import type { ExportInput } from './input';
import { indexHtml, MODEL_DIRS, nodeExample, translateJs, type SnippetInfo } from './snippet';

export type { ExportInput } from './input';

export interface ExportFile {
  fileName: string;
  bytes: Uint8Array;
}

/** Every network in the export as graph-model files, by directory name. */
export function exportGraphs(input: ExportInput): Partial<Record<NetName, GraphModelFiles>> {
  const c = input.config;
  const g = { inputNc: c.inputNc, outputNc: c.inputNc, ngf: c.ngf, nBlocks: c.nBlocks };
  const d = { inputNc: c.inputNc, ndf: c.ndf, nLayers: c.nLayersD };
  const meta = (net: NetName, role: string) => ({ net, role, iteration: input.iteration, exportedBy: 'CycleGAN Studio' });
  const out: Partial<Record<NetName, GraphModelFiles>> = {
    G_A: generatorGraph(g, input.weights.G_A, meta('G_A', 'generator A → B')),
    G_B: generatorGraph(g, input.weights.G_B, meta('G_B', 'generator B → A')),
  };
  if (input.weights.D_A) out.D_A = discriminatorGraph(d, input.weights.D_A, meta('D_A', 'discriminator of B images'));
  if (input.weights.D_B) out.D_B = discriminatorGraph(d, input.weights.D_B, meta('D_B', 'discriminator of A images'));
  return out;
}

/** A short file-name-safe word for a domain ("Apples (demo)" → "apples-demo"). */
export function slug(s: string | undefined, fallback: string): string {
  const t = (s ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 24);
  return t || fallback;
}

/** A graph model's two files, by name inside its folder. */
export function graphModelFiles(f: GraphModelFiles): Record<string, Uint8Array> {
  return { 'model.json': strToU8(JSON.stringify(f.modelJson)), [WEIGHTS_FILE]: f.weights };
}

/** Every file of the export by its path (the zip's entries; the CLI can also write them as a folder). */
export function exportFiles(input: ExportInput): Record<string, Uint8Array> {
  const graphs = exportGraphs(input);
  const info: SnippetInfo = { channels: input.config.inputNc, nameA: input.sources?.A || 'A', nameB: input.sources?.B || 'B' };
  const files: Record<string, Uint8Array> = {};
  for (const [net, f] of Object.entries(graphs) as [NetName, GraphModelFiles][])
    for (const [name, bytes] of Object.entries(graphModelFiles(f))) files[`${MODEL_DIRS[net]}/${name}`] = bytes;
  const js = translateJs(info.channels);
  files['translate.js'] = strToU8(js);
  files['index.html'] = strToU8(indexHtml(info));
  files['node-example.mjs'] = strToU8(nodeExample(info.channels));
  files['config.json'] = strToU8(JSON.stringify({ format: 'cyclegan-studio-config', iteration: input.iteration, ...(input.halfStep ? { halfStep: input.halfStep } : {}), domains: { A: info.nameA, B: info.nameB }, config: input.config }, null, 2));
  files['README.md'] = strToU8(exportReadme(input, info, js, Object.keys(graphs) as NetName[]));
  return files;
}

export function exportFileName(input: Pick<ExportInput, 'iteration' | 'sources'>): string {
  return `cyclegan-${slug(input.sources?.A, 'a')}-${slug(input.sources?.B, 'b')}-iter${input.iteration}.zip`;
}

export function exportZip(input: ExportInput): ExportFile {
  const entries: Zippable = {};
  for (const [path, bytes] of Object.entries(exportFiles(input)))
    entries[path] = path.endsWith(WEIGHTS_FILE) ? [bytes, { level: 0 }] : bytes; // float noise does not compress: store it
  return { fileName: exportFileName(input), bytes: zipSync(entries, { level: 6 }) };
}
