/**
 * Model files dropped on the Translate panel → a generator description and a builder, without touching the
 * backend until `build()` runs. Three formats:
 *
 *   latest_net_G_A.pth                    the official PyTorch trainer's generator (src/io/pth: restricted unpickler)
 *   generator.json + generator.bin        written by `npm run cli -- import-pth` (src/io/pth/generatorFile)
 *   model.json + group1-shard1of1.bin     a generator folder of the studio's Export (G_A_AtoB/, G_B_BtoA/)
 *
 * Every size is checked against the bytes before a network is allocated: a malformed file cannot make the
 * worker build a huge network. Errors are PthError / GraphModelError with what is wrong with which file.
 */
import { generatorFromGraphModel, GraphModelError } from '../io/export/readGraph';
import { directionFromFileName, loadGeneratorFiles, parseGeneratorManifest } from '../io/pth/generatorFile';
import { importGenerator, loadIntoGenerator, PthError } from '../io/pth/pth';
import { generatorSpecs, type GeneratorOptions, type ResnetGenerator } from '../model/generator';
import { countParams } from '../model/params';
import type { Direction, ImportedModelInfo } from '../protocol/messages';

export type ReadGenerator = Omit<ImportedModelInfo, 'id'> & {
  /** Builds the network on the current backend (again after a backend switch); the caller disposes it. */
  build: () => ResnetGenerator;
};

export async function readGeneratorFiles(files: File[]): Promise<ReadGenerator> {
  const pth = files.filter((f) => /\.(pth|pt)$/i.test(f.name));
  const json = files.filter((f) => /\.json$/i.test(f.name));
  const bin = files.filter((f) => /\.bin$/i.test(f.name));
  if (pth.length === 1 && files.length === 1) return fromPth(pth[0]);
  if (json.length === 1 && bin.length === 1 && files.length === 2) return fromJsonAndBin(json[0], bin[0]);
  throw new PthError(
    `expected one PyTorch generator (latest_net_G_A.pth), or a .json with its .bin (generator.json + generator.bin, or an exported model.json + group1-shard1of1.bin); got ${files.length} file${files.length === 1 ? '' : 's'} (${files.map((f) => f.name).join(', ') || 'none'})`,
  );
}

async function fromPth(file: File): Promise<ReadGenerator> {
  const imported = importGenerator(await bytesOf(file)); // PthError for anything that is not a ResnetGenerator
  const named = /G_[AB]$/i.test(file.name.replace(/\.(pth|pt)$/i, ''));
  return {
    ...describe(file.name, 'pth', imported.options, named ? directionFromFileName(file.name) : 'AtoB', named ? 'file name' : 'default', file.size),
    build: () => loadIntoGenerator(imported),
  };
}

async function fromJsonAndBin(jsonFile: File, binFile: File): Promise<ReadGenerator> {
  const text = await jsonFile.text();
  const bin = await bytesOf(binFile);
  const bytes = jsonFile.size + binFile.size;
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
      throw new GraphModelError(`${binFile.name} has ${fmt(bin.length)} bytes, but ${jsonFile.name} lists ${fmt(listed)} bytes of weights and its generator needs ${fmt(need)}: not its weights file`);
    const dir = meta.direction === 'AtoB' || meta.direction === 'BtoA' ? meta.direction : meta.net === 'G_A' ? 'AtoB' : meta.net === 'G_B' ? 'BtoA' : undefined;
    return {
      ...describe(jsonFile.name, 'model.json', options, dir ?? 'AtoB', dir ? 'model.json' : 'default', bytes),
      build: () => generatorFromGraphModel(text, bin, jsonFile.name).generator, // checks every weight's name and shape
    };
  }
  const manifest = parseGeneratorManifest(text); // checks the options and the format tag before anything is allocated
  return {
    ...describe(manifest.source ? `${manifest.source} (${jsonFile.name})` : jsonFile.name, 'generator.json', manifest.options, manifest.direction, 'generator.json', bytes),
    build: () => loadGeneratorFiles(text, bin).generator,
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
