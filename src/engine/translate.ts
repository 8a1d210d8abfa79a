/**
 * The engine's Translate requests: any image through the run's generators (live, while training or paused),
 * or through an imported one (an official PyTorch latest_net_G_A.pth / _G_B.pth, our generator.json +
 * generator.bin, or a generator folder of our Export). The translation itself is src/io/translate.ts — the CLI's `translate` runs the same function.
 *
 * Why translating cannot disturb training: it only reads weights (no RNG, no gradients, no assign), and the
 * generator's forward pass is one synchronous call: on cpu/wasm it runs whole between two training iterations
 * (the loop yields to the event loop after each one); on WebGPU it is enqueued between two iterations' work.
 * It is not in the engine's serial queue, so Pause or Stop never wait behind a big translation; what it needs
 * instead: the generator is looked up after decoding (a run stopped meanwhile is not used), its output tensor
 * is its own (disposing the run later cannot touch it), and a backend switch waits for translations in flight
 * (`releaseTensors`).
 *
 * Imported generators (read by ./importGenerator) live here, in the worker, until dropped; an Export .zip is one
 * model holding both generators (a pair: the request's direction picks G_A or G_B). Their weights are
 * also kept on the CPU, so a backend switch (which frees every tensor of the old backend) rebuilds them on the
 * new one; one that cannot be rebuilt is dropped and the UI is told why.
 */
import type { Decoder } from './domains';
import { readGeneratorFiles, type Generators } from './importGenerator';
import { toPicture } from './pictures';
import { translate, TRANSLATE_MAX_SIDE } from '../io/translate';
import type { ResnetGenerator } from '../model/generator';
import { disposeParams } from '../model/params';
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
  /** Builds the network(s) on the current backend from the weights kept on the CPU. */
  build: () => Generators;
  generators: Generators | null;
}

const disposeAll = (gs: Generators | null) => {
  for (const g of Object.values(gs ?? {})) disposeParams(g.params);
};

export interface TranslateDeps {
  decode: Decoder;
  /** The current run's generators, or null when there is no run. */
  run: () => RunGenerators | null;
  emit: (e: EngineEvent) => void;
}

export class Translator {
  private readonly models = new Map<string, Shelved>();
  private nextId = 1;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: TranslateDeps) {}

  list(): ImportedModelInfo[] {
    return [...this.models.values()].map((m) => m.info);
  }

  translate(source: TranslateSource, direction: Direction, file: File): Promise<TranslateResult> {
    const p = this.translateNow(source, direction, file);
    const settled = p.then(() => undefined, () => undefined);
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return p;
  }

  private async translateNow(source: TranslateSource, direction: Direction, file: File): Promise<TranslateResult> {
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
    const { build, ...described } = await readGeneratorFiles(files);
    const generators = build(); // throws (and frees what it made) when the weights do not fit
    const m: Shelved = { info: { id: `m${this.nextId++}`, ...described }, build, generators };
    this.models.set(m.info.id, m);
    this.changed();
    return m.info;
  }

  drop(id: string): ImportedModelInfo[] {
    const m = this.shelved(id);
    disposeAll(m.generators);
    this.models.delete(id);
    this.changed();
    return this.list();
  }

  /** Before a backend switch: let translations in flight finish, then free every tensor while the old backend exists. */
  async releaseTensors(): Promise<void> {
    await Promise.all(this.inFlight);
    this.freeModels();
  }

  private freeModels(): void {
    for (const m of this.models.values()) {
      disposeAll(m.generators);
      m.generators = null;
    }
  }

  /** After a backend switch: rebuild every model on the new backend; any that fails is dropped, with the reason. */
  rebuild(backend: string): void {
    if (this.models.size === 0) return;
    const lost: string[] = [];
    for (const [id, m] of this.models) {
      try {
        m.generators = m.build();
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
    this.freeModels();
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
    if (!m.generators) throw new TranslateError(`${m.info.name} is being reloaded for a backend switch; translate again in a moment.`);
    const d = m.info.pair ? direction : m.info.direction; // a single generator translates its own direction only
    const g = m.generators[d];
    if (!g) throw new TranslateError(`${m.info.name} has no ${d === 'AtoB' ? 'A → B' : 'B → A'} generator.`);
    return { g, generator: m.info.pair ? `${m.info.name}: ${d === 'AtoB' ? 'G_A (A → B)' : 'G_B (B → A)'}` : m.info.name };
  }

  private shelved(id: string): Shelved {
    const m = this.models.get(id);
    if (!m) throw new TranslateError(`No imported generator with id ${id}: it was dropped. Import it again.`);
    return m;
  }

  private changed(notice?: string): void {
    this.deps.emit({ type: 'importedModels', models: this.list(), ...(notice ? { notice } : {}) });
  }
}

const handOver = (p: Picture): Picture => ({ ...p, rgba: transferable(p.rgba) });
