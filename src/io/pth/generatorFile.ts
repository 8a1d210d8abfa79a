/**
 * A single-generator model directory (written by `import-pth`, read by `translate`):
 *
 *   generator.json  { "format": "cyclegan-studio-generator", "version": 1,
 *                     "options": { inputNc, outputNc, ngf, nBlocks },     // ResnetGenerator options
 *                     "direction": "AtoB" | "BtoA",                         // the one direction it translates
 *                     "source": "latest_net_G_A.pth",                        // informational
 *                     "tensors": [ { "key": "model.1.weight", "shape": [7, 7, 3, 64], "offset": 0 }, … ] }
 *   generator.bin   every tensor as float32 little-endian, in generatorSpecs(options) order, at `offset`
 *                   (float32 elements); shapes in tfjs layout (conv [kH, kW, in, out], ConvTranspose [kH, kW, out, in]).
 *
 * No fs: works in Node, a worker and the page.
 */
import * as tf from '@tensorflow/tfjs';
import { generatorSpecs, ResnetGenerator, type GeneratorOptions } from '../../model/generator';
import { Rng } from '../../rng';
import { PthError } from './pickle';
import { toTfjsLayout, type ImportedGenerator, type WeightArray } from './pth';

export const GENERATOR_FORMAT = 'cyclegan-studio-generator';
export const GENERATOR_VERSION = 1;
export const GENERATOR_JSON = 'generator.json';
export const GENERATOR_BIN = 'generator.bin';

export type Direction = 'AtoB' | 'BtoA';

export interface GeneratorManifest {
  format: typeof GENERATOR_FORMAT;
  version: number;
  options: GeneratorOptions;
  direction: Direction;
  source?: string;
  tensors: { key: string; shape: number[]; offset: number }[];
}

/** The official trainer saves G_A (A→B) as *_net_G_A.pth and G_B (B→A) as *_net_G_B.pth. */
export function directionFromFileName(name: string): Direction {
  return /G_B$/i.test(name.replace(/\.pth$/i, '')) ? 'BtoA' : 'AtoB';
}

export function encodeGeneratorFiles(imported: ImportedGenerator, direction: Direction, source?: string): { json: string; bin: Uint8Array } {
  const parts = generatorSpecs(imported.options).map((s) => {
    const w = imported.weights.get(s.key);
    if (!w) throw new PthError(`missing weight ${s.key}`);
    return { key: s.key, ...toTfjsLayout(w) };
  });
  const total = parts.reduce((n, p) => n + p.data.length, 0);
  const bin = new Uint8Array(4 * total);
  const view = new DataView(bin.buffer);
  const tensors: GeneratorManifest['tensors'] = [];
  let off = 0;
  for (const p of parts) {
    for (let i = 0; i < p.data.length; i++) view.setFloat32(4 * (off + i), p.data[i], true);
    tensors.push({ key: p.key, shape: p.shape, offset: off });
    off += p.data.length;
  }
  const manifest: GeneratorManifest = { format: GENERATOR_FORMAT, version: GENERATOR_VERSION, options: imported.options, direction, source, tensors };
  return { json: JSON.stringify(manifest, null, 1), bin };
}

export function parseGeneratorManifest(json: string): GeneratorManifest {
  let m: Partial<GeneratorManifest>;
  try {
    m = JSON.parse(json);
  } catch {
    throw new PthError(`${GENERATOR_JSON} is not valid JSON`);
  }
  if (m?.format !== GENERATOR_FORMAT) throw new PthError(`${GENERATOR_JSON} is not a CycleGAN Studio generator (format tag)`);
  if (m.version !== GENERATOR_VERSION) throw new PthError(`${GENERATOR_JSON} version ${String(m.version)} is not supported (expected ${GENERATOR_VERSION})`);
  if (!m.options || !Array.isArray(m.tensors) || (m.direction !== 'AtoB' && m.direction !== 'BtoA')) throw new PthError(`${GENERATOR_JSON} is incomplete`);
  // checked before anything is allocated: a bad size here would otherwise build a huge (or broken) network
  for (const k of ['inputNc', 'outputNc', 'ngf', 'nBlocks'] as const) {
    const v = (m.options as unknown as Record<string, unknown>)[k];
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 1024) throw new PthError(`${GENERATOR_JSON}: options.${k} must be an integer from 1 to 1024; got ${JSON.stringify(v)}`);
  }
  return m as GeneratorManifest;
}

/** generator.bin + manifest → weights in tfjs layout (spec order), checking every key, shape and bound. */
export function decodeGeneratorWeights(m: GeneratorManifest, bin: Uint8Array): Map<string, WeightArray> {
  const need = 4 * generatorSpecs(m.options).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  if (bin.length !== need)
    throw new PthError(`${GENERATOR_BIN} has ${bin.length.toLocaleString('en-US')} bytes, but the network in ${GENERATOR_JSON} needs ${need.toLocaleString('en-US')} (float32 weights): not this generator's weights`);
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  const out = new Map<string, WeightArray>();
  for (const s of generatorSpecs(m.options)) {
    const e = m.tensors.find((t) => t.key === s.key);
    if (!e) throw new PthError(`${GENERATOR_BIN}: no tensor ${s.key}`);
    if (e.shape.join(',') !== s.shape.join(',')) throw new PthError(`${s.key}: shape [${e.shape}] in ${GENERATOR_JSON}, the network needs [${s.shape}]`);
    const n = s.shape.reduce((a, b) => a * b, 1);
    if (4 * (e.offset + n) > bin.length) throw new PthError(`${GENERATOR_BIN} is truncated (${s.key})`);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(4 * (e.offset + i), true);
    out.set(s.key, { shape: s.shape, data });
  }
  return out;
}

/** generator.json text + generator.bin bytes → a ready ResnetGenerator (the caller disposes its params). */
export function loadGeneratorFiles(json: string, bin: Uint8Array): { generator: ResnetGenerator; manifest: GeneratorManifest } {
  const manifest = parseGeneratorManifest(json);
  const weights = decodeGeneratorWeights(manifest, bin);
  const generator = new ResnetGenerator(manifest.options, new Rng(0));
  tf.tidy(() => {
    for (const [k, v] of generator.params) v.assign(tf.tensor(weights.get(k)!.data, v.shape));
  });
  return { generator, manifest };
}
