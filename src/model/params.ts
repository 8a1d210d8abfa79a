/**
 * A network's parameters: an ordered map from the reference's state_dict key (`model.1.weight`) to a
 * tf.Variable in tfjs layout. The order is fixed by construction (Adam state and checkpoints rely on it).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';

export type ParamKind = 'conv' | 'convTranspose' | 'bias';

export interface ParamSpec {
  key: string; // PyTorch state_dict key
  shape: number[]; // tfjs layout
  kind: ParamKind;
}

export type Params = Map<string, tf.Variable>;

/** conv weight [k, k, in, out] + bias [out], as PyTorch's Conv2d(in, out, k, bias=True). */
export function convSpecs(key: string, cin: number, cout: number, k: number): ParamSpec[] {
  return [
    { key: `${key}.weight`, shape: [k, k, cin, cout], kind: 'conv' },
    { key: `${key}.bias`, shape: [cout], kind: 'bias' },
  ];
}

/** ConvTranspose2d(in, out, k) weight [k, k, out, in] + bias [out]. */
export function convTransposeSpecs(key: string, cin: number, cout: number, k: number): ParamSpec[] {
  return [
    { key: `${key}.weight`, shape: [k, k, cout, cin], kind: 'convTranspose' },
    { key: `${key}.bias`, shape: [cout], kind: 'bias' },
  ];
}

/** The reference's init_weights('normal', gain): weights ~ N(0, gain), biases 0 — drawn from the run's RNG. */
export function initParams(specs: ParamSpec[], rng: Rng, gain: number): Params {
  const params: Params = new Map();
  for (const s of specs) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (s.kind !== 'bias') for (let i = 0; i < size; i++) values[i] = rng.normal() * gain;
    params.set(s.key, tf.tidy(() => tf.variable(tf.tensor(values, s.shape), true)));
  }
  return params;
}

export function countParams(specs: ParamSpec[]): number {
  return specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

/** Looks up a parameter; a missing key is a programming error in the network definition. */
export function param<T extends tf.Tensor>(params: Params, key: string): T {
  const v = params.get(key);
  if (!v) throw new Error(`missing parameter ${key}`);
  return v as unknown as T;
}

export function disposeParams(params: Params): void {
  for (const v of params.values()) v.dispose();
  params.clear();
}
