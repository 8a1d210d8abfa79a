/**
 * A parsed state_dict against the network it should hold, as the official loader sees it
 * (models/base_model.py load_networks in junyanz/pytorch-CycleGAN-and-pix2pix): an nn.DataParallel `module.`
 * prefix is accepted, InstanceNorm running_mean / running_var / num_batches_tracked keys are dropped (old
 * checkpoints), and then the keys and shapes must match exactly (strict load_state_dict). We also refuse weights
 * that are not finite: PyTorch loads them, but a network with one NaN weight turns every image into NaN.
 */
import type { ParamSpec } from '../../model/params';
import { sameShape, torchShape, type WeightArray } from './layout';
import { PthError } from './pickle';

export interface NormalizedStateDict {
  /** Keys without the prefix, running stats dropped. */
  sd: Map<string, WeightArray>;
  /** 'module.' when the file came from nn.DataParallel, else ''. */
  prefix: string;
  /** InstanceNorm running-stat keys that were dropped (as in the file, prefix included). */
  dropped: string[];
}

export function normalizeStateDict(stateDict: ReadonlyMap<string, WeightArray>): NormalizedStateDict {
  let sd = new Map(stateDict);
  if (sd.size === 0) throw new PthError('the state_dict is empty');
  const prefix = [...sd.keys()].every((k) => k.startsWith('module.')) ? 'module.' : '';
  if (prefix) sd = new Map([...sd].map(([k, v]) => [k.slice(prefix.length), v]));
  const dropped: string[] = [];
  for (const k of [...sd.keys()]) {
    const m = /^(.*)\.(running_mean|running_var|num_batches_tracked)$/.exec(k);
    if (m && !sd.has(`${m[1]}.weight`)) { // an InstanceNorm (affine=False): no weight of its own
      sd.delete(k);
      dropped.push(prefix + k);
    }
  }
  return { sd, prefix, dropped };
}

/**
 * Every spec's weight, in spec order and PyTorch layout, after checking the key set, each shape and each value.
 * `what` names the network in messages, e.g. "ResnetGenerator(input_nc 3, output_nc 3, ngf 4, n_blocks 2)".
 */
export function matchSpecs(n: NormalizedStateDict, specs: ParamSpec[], what: string): Map<string, WeightArray> {
  const { sd, prefix } = n;
  const missing = specs.map((s) => s.key).filter((k) => !sd.has(k));
  const extra = [...sd.keys()].filter((k) => !specs.some((s) => s.key === k));
  if (missing.length || extra.length)
    throw new PthError(`not the keys of a ${what}: missing [${list(missing)}], unexpected [${list(extra)}]`);
  const weights = new Map<string, WeightArray>();
  for (const s of specs) {
    const w = sd.get(s.key)!;
    const want = torchShape(s);
    if (!sameShape(w.shape, want)) throw new PthError(`${prefix}${s.key} has shape [${w.shape}], but a ${what} needs [${want}]`);
    checkFinite(prefix + s.key, w.data);
    weights.set(s.key, { shape: w.shape, data: w.data });
  }
  return weights;
}

/** Refuses NaN and ±Infinity, naming the tensor and counting them. */
export function checkFinite(key: string, data: Float32Array): void {
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v) nan++;
    else if (v === Infinity || v === -Infinity) inf++;
  }
  if (nan === 0 && inf === 0) return;
  const counts = [nan ? `${nan} NaN` : '', inf ? `${inf} infinite` : ''].filter(Boolean).join(' and ');
  throw new PthError(`${key} holds ${counts} value${nan + inf === 1 ? '' : 's'}: the run that saved it had diverged, and such a network turns every image into NaN; use an earlier checkpoint`);
}

export function list(keys: string[], n = 6): string {
  return keys.length > n ? `${keys.slice(0, n).join(', ')}, … (${keys.length} in all)` : keys.join(', ');
}
