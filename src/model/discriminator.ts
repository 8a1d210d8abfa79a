/**
 * NLayerDiscriminator, the 70×70 PatchGAN for n_layers = 3: C64 - C128 - C256 - C512 - C1
 *   Ck: 4×4 conv (zero pad 1), InstanceNorm, LeakyReLU 0.2. C64 has no norm; C64…C256 stride 2, C512 stride 1;
 *   the last conv maps to 1 channel (stride 1, no sigmoid: the GAN loss takes logits / raw scores).
 * A 256×256 input gives a 30×30 map: each value judges one 70×70 patch.
 * Keys are the reference's nn.Sequential indices: model.0, model.2, model.5, model.8, model.11 for n_layers 3.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2d, instanceNorm } from './layers';
import { convSpecs, countParams, initParams, param, type ParamSpec, type Params } from './params';
import type { Rng } from '../rng';

export interface DiscriminatorOptions {
  inputNc: number;
  ndf: number;
  nLayers: number;
}

export interface ConvLayer {
  key: string;
  cin: number;
  cout: number;
  stride: number;
  norm: boolean;
  act: boolean;
}

export function layers(o: DiscriminatorOptions): ConvLayer[] {
  const out: ConvLayer[] = [{ key: 'model.0', cin: o.inputNc, cout: o.ndf, stride: 2, norm: false, act: true }];
  let idx = 2;
  let mult = 1;
  for (let n = 1; n <= o.nLayers; n++) {
    const prev = mult;
    mult = Math.min(2 ** n, 8); // channel multiplier capped at 8
    out.push({ key: `model.${idx}`, cin: o.ndf * prev, cout: o.ndf * mult, stride: n < o.nLayers ? 2 : 1, norm: true, act: true });
    idx += 3;
  }
  out.push({ key: `model.${idx}`, cin: o.ndf * mult, cout: 1, stride: 1, norm: false, act: false });
  return out;
}

export function discriminatorSpecs(o: DiscriminatorOptions): ParamSpec[] {
  return layers(o).flatMap((l) => convSpecs(l.key, l.cin, l.cout, 4));
}

/** The output map's side for a square input side (each 4×4 conv with pad 1: floor((s + 2 − 4) / stride) + 1). */
export function patchMapSize(o: DiscriminatorOptions, side: number): number {
  return layers(o).reduce((s, l) => Math.floor((s - 2) / l.stride) + 1, side);
}

export class NLayerDiscriminator {
  readonly specs: ParamSpec[];
  readonly params: Params;
  private readonly layers: ConvLayer[];

  constructor(readonly options: DiscriminatorOptions, rng: Rng, gain = 0.02) {
    this.layers = layers(options);
    this.specs = discriminatorSpecs(options);
    this.params = initParams(this.specs, rng, gain);
  }

  get numParams(): number {
    return countParams(this.specs);
  }

  /** x: [N, H, W, inputNc] → [N, h, w, 1] patch scores (logits). */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() =>
      this.layers.reduce((y, l) => {
        const z = conv2d(y, param<tf.Tensor4D>(this.params, `${l.key}.weight`), param<tf.Tensor1D>(this.params, `${l.key}.bias`), l.stride, 1);
        if (l.norm) return instanceNorm(z, l.act ? 'leakyrelu' : 'none', 0.2); // IN + LeakyReLU(0.2), one kernel
        return l.act ? tf.leakyRelu(z, 0.2) : z;
      }, x),
    );
  }
}
