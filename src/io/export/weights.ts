/**
 * Where an export's weights come from: a live run (read off the device as one consistent snapshot), or a
 * checkpoint file. Either way: each network's state_dict keys → float32 values in tfjs layout.
 */
import * as tf from '@tensorflow/tfjs';
import type { Checkpoint } from '../checkpoint';
import { tensorOf } from '../checkpoint';
import { NET_NAMES, netSpecs, type CycleGAN, type ModelConfig, type NetName } from '../../model/cyclegan';

export type NetWeights = Record<NetName, Map<string, Float32Array>>;

/**
 * Reads all four networks. The tensors are pinned synchronously (clones share the variables' buffers, and
 * training replaces a variable's buffer instead of writing into it), so an iteration that runs meanwhile
 * cannot mix into the snapshot: every weight is from the same iteration.
 */
export async function readRunWeights(models: CycleGAN): Promise<NetWeights> {
  const pinned = NET_NAMES.map((n) => [n, [...models.params(n)].map(([k, v]) => [k, tf.clone(v)] as const)] as const);
  try {
    const out = {} as NetWeights;
    for (const [n, entries] of pinned) {
      const values = await Promise.all(entries.map(([, t]) => t.data() as Promise<Float32Array>)); // reads overlap (GPU readbacks)
      out[n] = new Map(entries.map(([k], i) => [k, values[i]]));
    }
    return out;
  } finally {
    for (const [, entries] of pinned) tf.dispose(entries.map(([, t]) => t));
  }
}

/** The four networks' weights from a checkpoint, every key and shape checked against the config's networks. */
export function checkpointWeights(ck: Checkpoint, c: Omit<ModelConfig, 'initGain'>): NetWeights {
  const read = (net: NetName) => new Map(netSpecs(net, c).map((s) => [s.key, tensorOf(ck, `${net}/${s.key}`, s.shape)]));
  return { G_A: read('G_A'), G_B: read('G_B'), D_A: read('D_A'), D_B: read('D_B') };
}
