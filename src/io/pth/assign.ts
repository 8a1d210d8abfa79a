/** PyTorch-layout weights → a network's tf.Variables (tfjs layout), every key and shape checked. */
import * as tf from '@tensorflow/tfjs';
import type { ParamSpec, Params } from '../../model/params';
import { sameShape, toTfjsLayout, type WeightArray } from './layout';
import { PthError } from './pickle';

export function assignTorchWeights(params: Params, specs: ParamSpec[], weights: ReadonlyMap<string, WeightArray>): void {
  tf.tidy(() => {
    for (const s of specs) {
      const w = weights.get(s.key);
      if (!w) throw new PthError(`missing weight ${s.key}`);
      const t = toTfjsLayout(w);
      if (!sameShape(t.shape, s.shape)) throw new PthError(`${s.key}: [${w.shape}] gives [${t.shape}] in tfjs layout; the network needs [${s.shape}]`);
      const v = params.get(s.key);
      if (!v) throw new PthError(`the network has no parameter ${s.key}`);
      v.assign(tf.tensor(t.data, t.shape));
    }
  });
}
