/**
 * The engine's Translate requests: any image through the run's generators (live, while training or paused),
 * or through an imported one (an official PyTorch latest_net_G_A.pth / _G_B.pth, or our generator.json +
 * generator.bin). The translation itself is src/io/translate.ts — the CLI's `translate` runs the same function.
 *
 * Why translating cannot disturb training: it only reads weights (no RNG, no gradients, no assign), and the
 * engine runs it through its serial queue, so on cpu/wasm (synchronous kernels) the generator's forward pass
 * runs whole between two training iterations — the loop yields to the event loop after each one. On WebGPU
 * the pass is enqueued between two iterations' work the same way.
 *
 * Imported generators live here, in the worker, until dropped. Their weights are also kept on the CPU, so a
 * backend switch (which frees every tensor of the old backend) rebuilds them on the new one; one that cannot be
 * rebuilt is dropped and the UI is told why.
 */
import { toPicture } from './pictures';
import type { Decoder } from './domains';
import { translate, TRANSLATE_MAX_SIDE } from '../io/translate';
import { directionFromFileName, loadGeneratorFiles, parseGeneratorManifest } from '../io/pth/generatorFile';
import { importGenerator, loadIntoGenerator, PthError } from '../io/pth/pth';
import { generatorSpecs, type ResnetGenerator } from '../model/generator';
import { countParams, disposeParams } from '../model/params';
import type { Direction, EngineEvent, ImportedModelInfo, Picture, TranslateResult, TranslateSource } from '../protocol/messages';
import { transferable } from '../protocol/transfer';

/** Nothing to translate with (no run yet, or a model that was dropped), or a request that does not fit the model. */
export class TranslateError extends Error {
  override name = 'TranslateError';
}

/** Decode bound for translation inputs: above this short side the decoder may downscale; translate() bounds the rest. */
const DECODE_SHORT_SIDE = 4 * TRANSLATE_MAX_SIDE;

export interface RunGenerators {
  G_A: ResnetGenerator;
  G_B: ResnetGenerator;
  iter: number; // completed iterations
}

interface Shelved {
  info: ImportedModelInfo;
  /** Builds the network on the current backend from the weights kept on the CPU. */
  build: () => ResnetGenerator;
  generator: ResnetGenerator | null;
}

export interface TranslateDeps {
  decode: Decoder;
  /** The current run's generators, or null when there is no run. */
  run: () => RunGenerators | null;
  emit: (e: EngineEvent) => void;
}

export class Translator {
  private readonly models = new Map<string, Shelved>();
  private nextId = 1;

  constructor(private readonly deps: TranslateDeps) {}

  list(): ImportedModelInfo[] {
    return [...this.models.values()].map((m) => m.info);
  }

  async translate(source: TranslateSource, direction: Direction, file: File): Promise<TranslateResult> {
    if (source !== 'run') this.shelved(source.model); // an unknown model fails before decoding
    const img = await this.deps.decode(file, DECODE_SHORT_SIDE);
    const t0 = performance.now();
    // The generator is looked up after the await: the run (or the model) is the one that exists now.
    const { g, generator } = this.pick(source, direction);
    const r = await translate(g, img); // uses g's weights synchronously, before its first await
    return {
      input: handOver(toPicture(r.input)), // fresh pixels nobody else holds: moved to the page, not copied
      output: handOver(toPicture(r.output)),
      original: { width: img.width, height: img.height },
      generator,
      ms: performance.now() - t0,
    };
  }

  async importGenerator(files: File[]): Promise<ImportedModelInfo> {
    const pth = files.filter((f) => /\.(pth|pt)$/i.test(f.name));
    const json = files.filter((f) => /\.json$/i.test(f.name));
    const bin = files.filter((f) => /\.bin$/i.test(f.name));
    let shelved: Omit<Shelved, 'generator'>;
    if (pth.length === 1 && files.length === 1) shelved = await this.fromPth(pth[0]);
    else if (json.length === 1 && bin.length === 1 && files.length === 2) shelved = await this.fromGeneratorFiles(json[0], bin[0]);
    else
      throw new PthError(
        `expected one PyTorch generator (latest_net_G_A.pth) or a pair generator.json + generator.bin; got ${files.length} file${files.length === 1 ? '' : 's'} (${files.map((f) => f.name).join(', ') || 'none'})`,
      );
    const generator = shelved.build(); // throws (and frees what it made) when the weights do not fit
    const m: Shelved = { ...shelved, generator };
    this.models.set(m.info.id, m);
    this.changed();
    return m.info;
  }

  drop(id: string): ImportedModelInfo[] {
    const m = this.shelved(id);
    if (m.generator) disposeParams(m.generator.params);
    this.models.delete(id);
    this.changed();
    return this.list();
  }

  /** Before a backend switch: free every tensor while the old backend still exists. */
  releaseTensors(): void {
    for (const m of this.models.values()) {
      if (m.generator) disposeParams(m.generator.params);
      m.generator = null;
    }
  }

  /** After a backend switch: rebuild every model on the new backend; any that fails is dropped, with the reason. */
  rebuild(backend: string): void {
    if (this.models.size === 0) return;
    const lost: string[] = [];
    for (const [id, m] of this.models) {
      try {
        m.generator = m.build();
      } catch (e) {
        this.models.delete(id);
        lost.push(`${m.info.name} (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    this.changed(lost.length
      ? `Imported generators could not be rebuilt on ${backend} and were dropped: ${lost.join('; ')}. Import them again.`
      : `Imported generators reloaded on ${backend}.`);
  }

  dispose(): void {
    this.releaseTensors();
    this.models.clear();
  }

  // ---------------------------------------------------------------------------------------------- internals

  private pick(source: TranslateSource, direction: Direction): { g: ResnetGenerator; generator: string } {
    if (source === 'run') {
      const run = this.deps.run();
      if (!run) throw new TranslateError('There is no run to translate with yet: press Train or Step first (or Stop was pressed), or import a generator.');
      const name = direction === 'AtoB' ? 'G_A' : 'G_B';
      return { g: run[name], generator: `${name} of the run, iteration ${run.iter}` };
    }
    const m = this.shelved(source.model);
    if (!m.generator) throw new TranslateError(`${m.info.name} is not loaded on this backend; import it again.`);
    return { g: m.generator, generator: m.info.name };
  }

  private shelved(id: string): Shelved {
    const m = this.models.get(id);
    if (!m) throw new TranslateError(`No imported generator with id ${id}: it was dropped. Import it again.`);
    return m;
  }

  private async fromPth(file: File): Promise<Omit<Shelved, 'generator'>> {
    const imported = importGenerator(await bytesOf(file)); // PthError for anything that is not a ResnetGenerator
    const stem = file.name.replace(/\.(pth|pt)$/i, '');
    const named = /G_[AB]$/i.test(stem);
    const { options } = imported;
    return {
      info: this.info(file.name, 'pth', options, named ? directionFromFileName(file.name) : 'AtoB', named ? 'file name' : 'default', file.size),
      build: () => loadIntoGenerator(imported),
    };
  }

  private async fromGeneratorFiles(jsonFile: File, binFile: File): Promise<Omit<Shelved, 'generator'>> {
    const json = await jsonFile.text();
    const bin = await bytesOf(binFile);
    const manifest = parseGeneratorManifest(json); // checks the JSON and its options before anything is allocated
    const base = manifest.source ? `${manifest.source} (${jsonFile.name})` : jsonFile.name;
    return {
      info: this.info(base, 'generator.json', manifest.options, manifest.direction, 'generator.json', jsonFile.size + binFile.size),
      build: () => loadGeneratorFiles(json, bin).generator,
    };
  }

  private info(name: string, format: ImportedModelInfo['format'], o: ResnetGenerator['options'], direction: Direction,
    directionFrom: ImportedModelInfo['directionFrom'], bytes: number): ImportedModelInfo {
    return {
      id: `m${this.nextId++}`, name, format, direction, directionFrom, bytes,
      inputNc: o.inputNc, outputNc: o.outputNc, ngf: o.ngf, nBlocks: o.nBlocks, params: paramCount(o),
    };
  }

  private changed(notice?: string): void {
    this.deps.emit({ type: 'importedModels', models: this.list(), ...(notice ? { notice } : {}) });
  }
}

async function bytesOf(file: File): Promise<Uint8Array> {
  if (file.size === 0) throw new PthError(`${file.name} is empty (0 bytes)`);
  return new Uint8Array(await file.arrayBuffer());
}

const handOver = (p: Picture): Picture => ({ ...p, rgba: transferable(p.rgba) });

const paramCount = (o: ResnetGenerator['options']): number => countParams(generatorSpecs(o));
