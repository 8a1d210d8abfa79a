/**
 * ResnetGenerator (Johnson et al., as used by CycleGAN), in the paper's notation for 9 blocks:
 *   c7s1-64, d128, d256, R256 ×9, u128, u64, c7s1-3, tanh
 * c7s1-k: reflect pad 3, 7×7 conv, InstanceNorm, ReLU.  dk: 3×3 conv stride 2 (zero pad 1), IN, ReLU.
 * Rk: x + [reflect pad 1, 3×3 conv, IN, ReLU, reflect pad 1, 3×3 conv, IN](x).  uk: 3×3 transposed conv
 * stride ½, IN, ReLU.  The last c7s1-3 has no norm and ends in tanh.
 * Parameter keys are the reference's nn.Sequential indices (model.1, model.4, …, model.10.conv_block.1, …).
 */
import * as tf from '@tensorflow/tfjs';
import { conv2d, convTranspose2d, instanceNorm, reflectionPad, residualInstanceNorm } from './layers';
import { convSpecs, convTransposeSpecs, countParams, initParams, param, type ParamSpec, type Params } from './params';
import type { Rng } from '../rng';

export interface GeneratorOptions {
  inputNc: number;
  outputNc: number;
  ngf: number;
  nBlocks: number;
}

const N_DOWN = 2;

/** Sequential indices of the layers that own parameters (the exporter walks them too). */
export function layout(o: GeneratorOptions) {
  const resStart = 10;
  const up0 = resStart + o.nBlocks; // ConvTranspose, IN, ReLU, ConvTranspose, IN, ReLU, Pad, Conv, Tanh
  return { c7s1: 1, down: [4, 7], resStart, up: [up0, up0 + 3], out: up0 + 7 };
}

export function generatorSpecs(o: GeneratorOptions): ParamSpec[] {
  const L = layout(o);
  const specs: ParamSpec[] = [...convSpecs(`model.${L.c7s1}`, o.inputNc, o.ngf, 7)];
  for (let i = 0; i < N_DOWN; i++) specs.push(...convSpecs(`model.${L.down[i]}`, o.ngf * 2 ** i, o.ngf * 2 ** (i + 1), 3));
  const dim = o.ngf * 2 ** N_DOWN;
  for (let b = 0; b < o.nBlocks; b++) {
    specs.push(...convSpecs(`model.${L.resStart + b}.conv_block.1`, dim, dim, 3));
    specs.push(...convSpecs(`model.${L.resStart + b}.conv_block.5`, dim, dim, 3));
  }
  for (let i = 0; i < N_DOWN; i++) {
    const mult = 2 ** (N_DOWN - i);
    specs.push(...convTransposeSpecs(`model.${L.up[i]}`, o.ngf * mult, (o.ngf * mult) / 2, 3));
  }
  specs.push(...convSpecs(`model.${L.out}`, o.ngf, o.outputNc, 7));
  return specs;
}

export class ResnetGenerator {
  readonly specs: ParamSpec[];
  readonly params: Params;

  constructor(readonly options: GeneratorOptions, rng: Rng, gain = 0.02) {
    this.specs = generatorSpecs(options);
    this.params = initParams(this.specs, rng, gain);
  }

  get numParams(): number {
    return countParams(this.specs);
  }

  /** x: [N, H, W, inputNc] in [-1, 1], H and W multiples of 4 → [N, H, W, outputNc] in (-1, 1). */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    const [, h, w] = x.shape;
    if (h % 4 !== 0 || w % 4 !== 0) throw new RangeError(`generator input sides must be multiples of 4; got ${h}×${w}`);
    return tf.tidy(() => {
      const L = layout(this.options);
      const p = this.params;
      const conv = (k: string, t: tf.Tensor4D, stride = 1, pad = 0) =>
        conv2d(t, param<tf.Tensor4D>(p, `${k}.weight`), param<tf.Tensor1D>(p, `${k}.bias`), stride, pad);

      let y = instanceNorm(conv(`model.${L.c7s1}`, reflectionPad(x, 3)), 'relu'); // c7s1-ngf   [N, H, W, ngf]
      for (const i of L.down) y = instanceNorm(conv(`model.${i}`, y, 2, 1), 'relu'); // d2ngf, d4ngf → [N, H/4, W/4, 4ngf]
      for (let b = 0; b < this.options.nBlocks; b++) {
        const k = `model.${L.resStart + b}.conv_block`; // R4ngf
        const r = instanceNorm(conv(`${k}.1`, reflectionPad(y, 1)), 'relu');
        y = residualInstanceNorm(y, conv(`${k}.5`, reflectionPad(r, 1))); // y + IN(conv(…)), no ReLU after the sum
      }
      for (const i of L.up) y = instanceNorm(convTranspose2d(y, param<tf.Tensor4D>(p, `model.${i}.weight`), param<tf.Tensor1D>(p, `model.${i}.bias`)), 'relu'); // u2ngf, ungf
      return tf.tanh(conv(`model.${L.out}`, reflectionPad(y, 3))); // c7s1-outputNc   [N, H, W, outputNc]
    });
  }
}
