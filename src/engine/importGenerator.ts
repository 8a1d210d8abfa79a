/**
 * Model files dropped on the Translate panel → a generator description and a builder, without touching the
 * backend until `build()` runs. Four formats:
 *
 *   latest_net_G_A.pth                    the official PyTorch trainer's generator (src/io/pth: restricted unpickler)
 *   generator.json + generator.bin        written by `npm run cli -- import-pth` (src/io/pth/generatorFile)
 *   model.json + group1-shard1of1.bin     a generator folder of the studio's Export (G_A_AtoB/, G_B_BtoA/)
 *   cyclegan-….zip                        the studio's whole Export: both generators as one model (a pair; the
 *                                         discriminators in it are skipped unread)
 *
 * Every size is checked against the bytes before a network is allocated: a malformed file cannot make the
 * worker build a huge network. Errors are PthError / GraphModelError with what is wrong with which file.
 */
import { strFromU8, unzipSync } from 'fflate';
import { generatorFromGraphModel, GraphModelError } from '../io/export/readGraph';
import { MODEL_DIRS } from '../io/export/snippet';
import { directionFromFileName, loadGeneratorFiles, parseGeneratorManifest } from '../io/pth/generatorFile';
import { importGenerator, loadIntoGenerator, PthError } from '../io/pth/pth';
import { generatorSpecs, type GeneratorOptions, type ResnetGenerator } from '../model/generator';
import { countParams, disposeParams } from '../model/params';
import type { Direction, ImportedModelInfo } from '../protocol/messages';

export type Generators = Partial<Record<Direction, ResnetGenerator>>;

export type ReadGenerator = Omit<ImportedModelInfo, 'id'> & {
  /** Builds the network(s) on the current backend (again after a backend switch), by direction; the caller disposes them. */
  build: () => Generators;
};

export async function readGeneratorFiles(files: File[]): Promise<ReadGenerator> {
  const pth = files.filter((f) => /\.(pth|pt)$/i.test(f.name));
  const json = files.filter((f) => /\.json$/i.test(f.name));
  const bin = files.filter((f) => /\.bin$/i.test(f.name));
  if (pth.length === 1 && files.length === 1) return fromPth(pth[0]);
  if (files.length === 1 && /\.zip$/i.test(files[0].name)) return fromExportZip(files[0]);
  if (json.length === 1 && bin.length === 1 && files.length === 2) {
    const g = await fromJsonAndBin(jsonFile(json[0]), await bytesOf(bin[0]), bin[0].name);
    return { ...g, bytes: json[0].size + bin[0].size };
  }
  throw new PthError(
    `expected one PyTorch generator (latest_net_G_A.pth), an Export .zip, or a .json with its .bin (generator.json + generator.bin, or an exported model.json + group1-shard1of1.bin); got ${files.length} file${files.length === 1 ? '' : 's'} (${files.map((f) => f.name).join(', ') || 'none'})`,
  );
}

const jsonFile = (f: File) => ({ name: f.name, text: () => f.text() });
const one = (d: Direction, build: () => ResnetGenerator) => (): Generators => ({ [d]: build() });

/** A zip entry bigger than this is not an Export of ours (a paper-size generator is ~45 MB). */
const MAX_ENTRY = 512 * 2 ** 20;

/**
 * The Export zip: G_A_AtoB/ and G_B_BtoA/ (anywhere below one top folder, in case it was unzipped and zipped
 * again) become one model with both directions; a zip with only one of them imports that one.
 */
async function fromExportZip(file: File): Promise<ReadGenerator> {
  const wanted = new RegExp(`(^|/)(${MODEL_DIRS.G_A}|${MODEL_DIRS.G_B})/(model\\.json|[^/]+\\.bin)$|(^|/)config\\.json$`);
  const names: string[] = [];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(await bytesOf(file), {
      filter: (f) => {
        names.push(f.name);
        if (!wanted.test(f.name)) return false; // the discriminators, README, page: skipped unread
        if (f.originalSize > MAX_ENTRY) throw new PthError(`${file.name}: ${f.name} unpacks to ${fmt(f.originalSize)} bytes, more than an exported generator`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof PthError) throw e;
    throw new PthError(`${file.name} is not a readable zip (${e instanceof Error ? e.message : String(e)})`);
  }
  const found: ReadGenerator[] = [];
  for (const net of ['G_A', 'G_B'] as const) {
    const dir = Object.keys(entries).find((n) => n.endsWith(`${MODEL_DIRS[net]}/model.json`))?.slice(0, -'model.json'.length);
    if (dir === undefined) continue;
    const bins = Object.keys(entries).filter((n) => n.startsWith(dir) && n.endsWith('.bin'));
    if (bins.length !== 1) throw new GraphModelError(`${file.name}: ${dir} holds ${bins.length} weight files; an Export has one (group1-shard1of1.bin)`);
    const text = strFromU8(entries[`${dir}model.json`]);
    found.push(await fromJsonAndBin({ name: `${dir}model.json`, text: async () => text }, entries[bins[0]], bins[0]));
  }
  if (found.length === 0)
    throw new PthError(`${file.name} holds no exported generator (an Export zip has ${MODEL_DIRS.G_A}/model.json and ${MODEL_DIRS.G_B}/model.json); it holds ${names.slice(0, 5).join(', ') || 'no files'}${names.length > 5 ? `, … (${names.length} files)` : ''}`);
  const domains = exportDomains(entries);
  if (found.length === 1) return { ...found[0], name: `${file.name} (${found[0].name})`, bytes: file.size, ...(domains ? { domains } : {}) };
  const [a, b] = found;
  if (a.ngf !== b.ngf || a.nBlocks !== b.nBlocks || a.inputNc !== b.inputNc || a.outputNc !== b.outputNc)
    throw new GraphModelError(`${file.name}: its two generators have different architectures (ngf ${a.ngf}/${b.ngf}, blocks ${a.nBlocks}/${b.nBlocks}); not one run's Export`);
  return {
    ...a, name: file.name, format: 'export.zip', direction: 'AtoB', directionFrom: 'export.zip', bytes: file.size, pair: true,
    ...(domains ? { domains } : {}),
    build: () => {
      const ga = a.build();
      try {
        return { ...ga, ...b.build() };
      } catch (e) {
        for (const g of Object.values(ga)) disposeParams(g.params);
        throw e;
      }
    },
  };
}

/** The domain names config.json recorded, when it is there and says. */
function exportDomains(entries: Record<string, Uint8Array>): { A: string; B: string } | undefined {
  const name = Object.keys(entries).find((n) => /(^|\/)config\.json$/.test(n));
  try {
    const d = name ? (JSON.parse(strFromU8(entries[name])) as { domains?: { A?: unknown; B?: unknown } }).domains : undefined;
    return typeof d?.A === 'string' && typeof d?.B === 'string' ? { A: d.A, B: d.B } : undefined;
  } catch {
    return undefined;
  }
}

async function fromPth(file: File): Promise<ReadGenerator> {
  const imported = importGenerator(await bytesOf(file)); // PthError for anything that is not a ResnetGenerator
  const named = /G_[AB]$/i.test(file.name.replace(/\.(pth|pt)$/i, ''));
  return {
    ...describe(file.name, 'pth', imported.options, named ? directionFromFileName(file.name) : 'AtoB', named ? 'file name' : 'default', file.size),
    build: one(named ? directionFromFileName(file.name) : 'AtoB', () => loadIntoGenerator(imported)),
  };
}

async function fromJsonAndBin(jsonFile: { name: string; text: () => Promise<string> }, bin: Uint8Array, binName: string): Promise<ReadGenerator> {
  const text = await jsonFile.text();
  const bytes = text.length + bin.length;
  if (bin.length === 0) throw new PthError(`${binName} is empty (0 bytes)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PthError(`${jsonFile.name} is not valid JSON`);
  }
  if ((parsed as { format?: unknown })?.format === 'graph-model') {
    const meta = ((parsed as { userDefinedMetadata?: unknown }).userDefinedMetadata ?? {}) as { options?: unknown; direction?: unknown; net?: unknown };
    const options = checkOptions(meta.options, jsonFile.name, GraphModelError);
    // the weights file holds exactly what the manifest lists (4-byte values), and the network fits inside it
    const manifest = (parsed as { weightsManifest?: { weights?: { shape?: number[] }[] }[] }).weightsManifest ?? [];
    const listed = 4 * manifest.flatMap((g) => g.weights ?? []).reduce((n, w) => n + (w.shape ?? []).reduce((a, b) => a * b, 1), 0);
    const need = 4 * countParams(generatorSpecs(options));
    if (bin.length !== listed || need > listed)
      throw new GraphModelError(`${binName} has ${fmt(bin.length)} bytes, but ${jsonFile.name} lists ${fmt(listed)} bytes of weights and its generator needs ${fmt(need)}: not its weights file`);
    const dir = meta.direction === 'AtoB' || meta.direction === 'BtoA' ? meta.direction : meta.net === 'G_A' ? 'AtoB' : meta.net === 'G_B' ? 'BtoA' : undefined;
    return {
      ...describe(jsonFile.name, 'model.json', options, dir ?? 'AtoB', dir ? 'model.json' : 'default', bytes),
      build: one(dir ?? 'AtoB', () => generatorFromGraphModel(text, bin, jsonFile.name).generator), // checks every weight's name and shape
    };
  }
  const manifest = parseGeneratorManifest(text); // checks the options and the format tag before anything is allocated
  return {
    ...describe(manifest.source ? `${manifest.source} (${jsonFile.name})` : jsonFile.name, 'generator.json', manifest.options, manifest.direction, 'generator.json', bytes),
    build: one(manifest.direction, () => loadGeneratorFiles(text, bin).generator),
  };
}

function checkOptions(o: unknown, file: string, E: new (m: string) => Error): GeneratorOptions {
  if (!o || typeof o !== 'object') throw new E(`${file} is not a CycleGAN Studio generator export (no userDefinedMetadata.options)`);
  for (const k of ['inputNc', 'outputNc', 'ngf', 'nBlocks'] as const) {
    const v = (o as Record<string, unknown>)[k];
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 1024) throw new E(`${file}: options.${k} must be an integer from 1 to 1024; got ${JSON.stringify(v)}`);
  }
  return o as GeneratorOptions;
}

function describe(name: string, format: ImportedModelInfo['format'], o: GeneratorOptions, direction: Direction,
  directionFrom: ImportedModelInfo['directionFrom'], bytes: number): Omit<ImportedModelInfo, 'id'> {
  return { name, format, direction, directionFrom, bytes, inputNc: o.inputNc, outputNc: o.outputNc, ngf: o.ngf, nBlocks: o.nBlocks, params: countParams(generatorSpecs(o)) };
}

async function bytesOf(file: File): Promise<Uint8Array> {
  if (file.size === 0) throw new PthError(`${file.name} is empty (0 bytes)`);
  return new Uint8Array(await file.arrayBuffer());
}

const fmt = (n: number) => n.toLocaleString('en-US');
