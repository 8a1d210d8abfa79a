/**
 * A full training checkpoint as one plain record: config, iteration, RNG state, this epoch's order, every
 * network's weights, every optimizer's Adam moments and step, and both image pools — enough to continue a run
 * exactly. Serialised as a JSON manifest plus one float32 little-endian blob (tensors at element offsets).
 */
import * as tf from '@tensorflow/tfjs';
import type { CycleGANConfig } from '../config';
import { NET_NAMES, type NetName } from '../model/cyclegan';
import type { DemoName, DemoOptions } from '../names';
import type { RngState } from '../rng';
import type { CycleGANTrainer, Domains } from '../train/trainer';
import { HalfIteration } from '../train/halves';
import { partialManifest, partialTensors, restorePartial, type PartialManifest } from './checkpointPartial';
import { CycleGANTrainer as Trainer } from '../train/trainer';

export const CHECKPOINT_FORMAT = 'cyclegan-studio-checkpoint';
/** 2 added the optional loss history and run info; 3 a half-done classroom iteration (./checkpointPartial).
 * Older files still load. */
export const CHECKPOINT_VERSION = 3;
const READABLE_VERSIONS = [1, 2, 3];

export interface TensorEntry {
  name: string; // e.g. "G_A/model.1.weight", "adam/G_A/m/model.1.weight", "pool/A/0"
  shape: number[];
  offset: number; // in float32 elements
}

export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  config: CycleGANConfig;
  iteration: number;
  order: number[];
  rng: { s: RngState; spare: number | null };
  adamSteps: Record<NetName, number>;
  pools: { A: number; B: number };
  tensors: TensorEntry[];
  /** v2: the run's loss history, iterations start+1 … start+length, as `history/*` tensors. */
  history?: { start: number; length: number; lr: [number, number][] };
  /** v2: which run and which images (the studio's engine fills it; see src/engine/checkpoints.ts). */
  run?: CheckpointRunInfo;
  /** v3: saved between Step G and Step D — the iteration in progress, its tensors as `partial/*`. */
  partial?: PartialManifest;
}

export interface CheckpointRunInfo {
  id: string;
  savedAt: number;
  domains: Record<'A' | 'B', { source: string; count: number; hash: string }>;
  demo: { demo: DemoName; options?: DemoOptions } | null;
}

export interface Checkpoint {
  manifest: CheckpointManifest;
  data: Float32Array;
}

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** Reads the whole state back from the device (GPU→CPU reads: call it between iterations, not per step). */
export async function captureCheckpoint(t: CycleGANTrainer): Promise<Checkpoint> {
  const parts: { name: string; shape: number[]; values: Float32Array }[] = [];
  const add = async (name: string, x: tf.Tensor) => parts.push({ name, shape: x.shape, values: (await x.data()) as Float32Array });
  for (const n of NET_NAMES) {
    const keys = [...t.models.params(n).keys()];
    for (const [k, v] of t.models.params(n)) await add(`${n}/${k}`, v);
    const st = await t.optimizers[n].getState();
    st.m.forEach((m, i) => parts.push({ name: `adam/${n}/m/${keys[i]}`, shape: t.models.params(n).get(keys[i])!.shape, values: m }));
    st.v.forEach((v, i) => parts.push({ name: `adam/${n}/v/${keys[i]}`, shape: t.models.params(n).get(keys[i])!.shape, values: v }));
  }
  for (const d of ['A', 'B'] as const) {
    const imgs = t.pools[d].snapshot();
    for (let i = 0; i < imgs.length; i++) await add(`pool/${d}/${i}`, imgs[i]);
  }
  const partial = t.partial; // a half-step's iteration in progress (Step G done, Step D not yet): kept whole
  if (partial) for (const { name, x } of partialTensors(partial)) await add(name, x);
  const total = parts.reduce((a, p) => a + p.values.length, 0);
  const data = new Float32Array(total);
  const tensors: TensorEntry[] = [];
  let off = 0;
  for (const p of parts) {
    data.set(p.values, off);
    tensors.push({ name: p.name, shape: p.shape, offset: off });
    off += p.values.length;
  }
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config: { ...t.config },
    iteration: t.iteration,
    order: [...t.order],
    rng: t.rng.getState(),
    adamSteps: Object.fromEntries(NET_NAMES.map((n) => [n, t.optimizers[n].step])) as Record<NetName, number>,
    pools: { A: t.pools.A.length, B: t.pools.B.length },
    tensors,
    ...(partial ? { partial: partialManifest(partial) } : {}),
  };
  return { manifest, data };
}

export function tensorOf(ck: Checkpoint, name: string, shape: number[]): Float32Array {
  const e = ck.manifest.tensors.find((x) => x.name === name);
  if (!e) throw new CheckpointError(`checkpoint has no tensor ${name}`);
  if (e.shape.join(',') !== shape.join(',')) throw new CheckpointError(`${name}: checkpoint shape [${e.shape}] does not match the model's [${shape}]`);
  const n = shape.reduce((a, b) => a * b, 1);
  if (e.offset + n > ck.data.length) throw new CheckpointError(`${name}: checkpoint data is truncated`);
  return ck.data.subarray(e.offset, e.offset + n);
}

/** Loads one network's weights (e.g. to translate with G_A) into existing variables, checking every shape. */
export function loadNetWeights(ck: Checkpoint, net: NetName, params: Map<string, tf.Variable>): void {
  tf.tidy(() => {
    for (const [k, v] of params) v.assign(tf.tensor(tensorOf(ck, `${net}/${k}`, v.shape), v.shape));
  });
}

export function validateManifest(m: unknown): CheckpointManifest {
  const x = m as Partial<CheckpointManifest> | null;
  if (!x || x.format !== CHECKPOINT_FORMAT) throw new CheckpointError('not a CycleGAN Studio checkpoint (missing format tag)');
  if (!READABLE_VERSIONS.includes(x.version as number))
    throw new CheckpointError(`checkpoint version ${String(x.version)} is not supported (this studio reads versions ${READABLE_VERSIONS.join(', ')})`);
  if (!x.config || !Array.isArray(x.tensors) || typeof x.iteration !== 'number') throw new CheckpointError('checkpoint manifest is incomplete');
  return x as CheckpointManifest;
}

/** Rebuilds a trainer that continues exactly where the checkpoint left off (same domains required). */
export function restoreTrainer(ck: Checkpoint, domains: Domains): CycleGANTrainer {
  const m = validateManifest(ck.manifest);
  const t = new Trainer(m.config, domains);
  try {
    fillTrainer(t, ck, m);
  } catch (e) {
    t.dispose(); // nothing half-loaded survives a bad checkpoint
    throw e;
  }
  return t;
}

function fillTrainer(t: CycleGANTrainer, ck: Checkpoint, m: CheckpointManifest): void {
  for (const n of NET_NAMES) {
    loadNetWeights(ck, n, t.models.params(n));
    const params = [...t.models.params(n)];
    t.optimizers[n].setState({
      step: m.adamSteps[n],
      m: params.map(([k, v]) => tensorOf(ck, `adam/${n}/m/${k}`, v.shape)),
      v: params.map(([k, v]) => tensorOf(ck, `adam/${n}/v/${k}`, v.shape)),
    });
  }
  for (const d of ['A', 'B'] as const) {
    const imgs: tf.Tensor4D[] = [];
    for (let i = 0; i < m.pools[d]; i++) {
      const e = m.tensors.find((x) => x.name === `pool/${d}/${i}`);
      if (!e) throw new CheckpointError(`checkpoint has no pool/${d}/${i}`);
      imgs.push(tf.tensor4d(tensorOf(ck, e.name, e.shape), e.shape as [number, number, number, number]));
    }
    t.pools[d].restore(imgs);
  }
  t.iteration = m.iteration;
  t.order = [...m.order];
  t.rng.setState(m.rng);
  if (m.partial) {
    if (m.partial.info?.iter !== m.iteration + 1) throw new CheckpointError(`the half-done iteration ${m.partial.info?.iter} does not follow iteration ${m.iteration}`);
    const read = (name: string) => {
      const e = m.tensors.find((x) => x.name === name)!;
      return tf.tensor(tensorOf(ck, name, e.shape), e.shape);
    };
    try {
      t.partial = new HalfIteration(restorePartial(m.partial, m.tensors.map((x) => x.name), read));
    } catch (e) {
      throw new CheckpointError(e instanceof Error ? e.message : String(e));
    }
    for (const n of NET_NAMES) t.optimizers[n].lr = m.partial.info.lr; // as beginIteration set it for the first half
  }
}
