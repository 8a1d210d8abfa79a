/**
 * Loads the PyTorch parity fixtures (fixtures/parity/NAME.{json,bin}, made by
 * scripts/make_parity_fixtures.py) and converts their PyTorch layouts to ours.
 *
 * Manifest: { config, tensors: { name: { shape, offset } }, zeroGradBiases: ["<net>/<key>", …] };
 * offset counts float32 elements into the little-endian .bin.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { CycleGAN, NetName } from '../model/cyclegan';
import type { ParamSpec } from '../model/params';

export interface FixtureTensor {
  shape: number[];
  data: Float32Array;
}

export interface FixtureConfig {
  size: number;
  inputNc: number;
  ngf: number;
  nBlocks: number;
  ndf: number;
  nLayersD: number;
  ganMode: 'lsgan' | 'vanilla';
  lambdaA: number;
  lambdaB: number;
  lambdaIdentity: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  torch: string;
}

export interface Fixture {
  config: FixtureConfig;
  tensors: Map<string, FixtureTensor>;
  /** "<net>/<key>" of the conv biases feeding an InstanceNorm (true gradient 0). */
  zeroGradBiases: string[];
}

const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/parity/', import.meta.url));

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

export function loadFixture(name: string, dir = FIXTURE_DIR): Fixture {
  const manifest = JSON.parse(readFileSync(`${dir}/${name}.json`, 'utf8')) as {
    config: FixtureConfig;
    tensors: Record<string, { shape: number[]; offset: number }>;
    zeroGradBiases?: string[];
  };
  const buf = readFileSync(`${dir}/${name}.bin`);
  if (buf.byteLength % 4 !== 0) throw new Error(`${name}.bin: ${buf.byteLength} bytes is not a whole number of float32s`);
  const total = buf.byteLength / 4;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tensors = new Map<string, FixtureTensor>();
  for (const [key, { shape, offset }] of Object.entries(manifest.tensors)) {
    const n = numel(shape);
    if (offset < 0 || offset + n > total) throw new Error(`${name}: tensor ${key} [${shape}] at ${offset} runs past the end (${total} floats)`);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = view.getFloat32((offset + i) * 4, true);
    tensors.set(key, { shape: [...shape], data });
  }
  return { config: manifest.config, tensors, zeroGradBiases: manifest.zeroGradBiases ?? [] };
}

export function getTensor(f: Fixture, name: string): FixtureTensor {
  const t = f.tensors.get(name);
  if (!t) throw new Error(`fixture has no tensor ${name}`);
  return t;
}

/** Reorders a row-major array: out.shape[i] = shape[perm[i]] (as numpy's transpose(perm)). */
export function permute(t: FixtureTensor, perm: number[]): FixtureTensor {
  const { shape, data } = t;
  if (perm.length !== shape.length) throw new Error(`permute: perm [${perm}] for shape [${shape}]`);
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  const strides = perm.map((p) => inStrides[p]); // input stride of each output axis
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let a = 0; a < rank; a++) src += idx[a] * strides[a];
    out[o] = data[src];
    for (let a = rank - 1; a >= 0; a--) {
      if (++idx[a] < outShape[a]) break;
      idx[a] = 0;
    }
  }
  return { shape: outShape, data: out };
}

/** NCHW activation → NHWC. */
export const nchwToNhwc = (t: FixtureTensor): FixtureTensor => permute(t, [0, 2, 3, 1]);

/**
 * A PyTorch parameter → our layout: conv OIHW → [kH, kW, in, out]; ConvTranspose2d (in, out, kH, kW)
 * → [kH, kW, out, in] — both transpose(2, 3, 1, 0). Biases are unchanged.
 */
export function torchParamToTfjs(t: FixtureTensor): FixtureTensor {
  return t.shape.length === 4 ? permute(t, [2, 3, 1, 0]) : t;
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Every parameter key of `prefix/<net>/…` in the fixture, converted to our layout and checked against the specs. */
export function fixtureParams(f: Fixture, prefix: 'init' | 'grad' | 'after', net: NetName, specs: ParamSpec[]): Map<string, FixtureTensor> {
  const head = `${prefix}/${net}/`;
  const inFixture = [...f.tensors.keys()].filter((k) => k.startsWith(head)).map((k) => k.slice(head.length));
  const inSpecs = specs.map((s) => s.key);
  const missingHere = inFixture.filter((k) => !inSpecs.includes(k));
  const missingThere = inSpecs.filter((k) => !inFixture.includes(k));
  if (missingHere.length || missingThere.length)
    throw new Error(`${head}: keys differ — only in the fixture: [${missingHere}]; only in our net: [${missingThere}]`);
  const out = new Map<string, FixtureTensor>();
  for (const s of specs) {
    const t = torchParamToTfjs(getTensor(f, head + s.key));
    if (!sameShape(t.shape, s.shape)) throw new Error(`${head}${s.key}: fixture gives [${t.shape}] in our layout, our net has [${s.shape}] (${s.kind})`);
    out.set(s.key, t);
  }
  return out;
}

/** Overwrites every parameter of the four networks with the fixture's `init/` weights. */
export function loadInitWeights(m: CycleGAN, f: Fixture): void {
  for (const net of ['G_A', 'G_B', 'D_A', 'D_B'] as const) {
    const specs = m[net].specs;
    const params = m.params(net);
    if (params.size !== specs.length) throw new Error(`${net}: ${params.size} parameters but ${specs.length} specs`);
    const values = fixtureParams(f, 'init', net, specs);
    for (const [key, t] of values) {
      const v = params.get(key);
      if (!v) throw new Error(`${net}: no parameter ${key}`);
      if (!sameShape(v.shape, t.shape)) throw new Error(`${net}/${key}: variable [${v.shape}] vs fixture [${t.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(t.data, t.shape)));
    }
  }
}
