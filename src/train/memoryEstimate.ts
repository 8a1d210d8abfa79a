/**
 * An estimate of one training iteration's peak memory, from the shapes alone (no tfjs: the page uses it too).
 *
 * What is alive at the peak (the backward pass of a cycle tape, src/train/step.ts):
 * - per parameter: the weight, Adam's m and v, and the gradients of the tapes already taken — PARAM_COPIES each;
 * - the image pools, full: 2 · poolSize fakes;
 * - the activations a cycle tape keeps for its backward pass: two generator passes and one discriminator pass,
 *   every feature map the layers produce (pads, conv outputs, norm outputs), times ACTIVATION_FACTOR for what the
 *   backward pass adds on top (the gradient flowing back, scratch buffers, the allocator's slack).
 * The two factors are fitted to the wasm heap's measured peak (scripts/memoryCalibrate.ts prints measured vs
 * estimated; run it again after a change to the training step or the kernels). It is an estimate: within about
 * 15 % of the measured wasm heap on the calibration configs, and nothing more precise should be claimed.
 */
import type { CycleGANConfig } from '../config';

type Shapes = Pick<CycleGANConfig, 'cropSize' | 'inputNc' | 'ngf' | 'nBlocks' | 'ndf' | 'nLayersD' | 'poolSize'>;

/** Copies of each parameter at the peak: weight, m, v, gradients (fitted; see the header). */
export const PARAM_COPIES = 7;
/** Bytes at the peak per byte of the feature maps a cycle tape keeps (fitted; see the header). */
export const ACTIVATION_FACTOR = 2.6;
/** The runtime before any tensor (the wasm module's own memory). */
const BASE_BYTES = 16 * 2 ** 20;
const F32 = 4;

export interface MemoryEstimate {
  /** Estimated peak bytes of a training iteration, with the image pools full. */
  peakBytes: number;
  /** The largest single tensor (a feature map), bytes: what a per-buffer limit (WebGPU) is compared with. */
  largestTensorBytes: number;
  /** The parts of `peakBytes`. */
  parts: { params: number; pools: number; activations: number };
}

const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;

/** Parameters of one ResnetGenerator and one PatchGAN (src/model/generator.ts, discriminator.ts). */
export function paramCounts(c: Shapes): { generator: number; discriminator: number } {
  const g = c.ngf;
  let generator = conv(7, c.inputNc, g) + conv(3, g, 2 * g) + conv(3, 2 * g, 4 * g);
  generator += c.nBlocks * 2 * conv(3, 4 * g, 4 * g) + conv(3, 4 * g, 2 * g) + conv(3, 2 * g, g) + conv(7, g, c.inputNc);
  let discriminator = conv(4, c.inputNc, c.ndf);
  let mult = 1;
  for (let n = 1; n <= c.nLayersD; n++) {
    const prev = mult;
    mult = Math.min(2 ** n, 8);
    discriminator += conv(4, c.ndf * prev, c.ndf * mult);
  }
  discriminator += conv(4, c.ndf * mult, 1);
  return { generator, discriminator };
}

/** Elements of every feature map one generator forward produces at side s; the largest one. */
function generatorMaps(c: Shapes, s: number): { total: number; largest: number } {
  const g = c.ngf;
  const q = s / 4;
  const maps = [
    (s + 6) ** 2 * c.inputNc, s * s * g, s * s * g, // c7s1: pad, conv, IN+ReLU
    (s / 2) ** 2 * 2 * g * 2, q * q * 4 * g * 2, // d2ngf, d4ngf: conv, IN+ReLU
    c.nBlocks * ((q + 2) ** 2 * 4 * g * 2 + q * q * 4 * g * 4), // R4ngf: pad, conv, IN+ReLU, pad, conv, IN + x
    (s / 2) ** 2 * 2 * g * 2, s * s * g * 2, // u2ngf, ungf: transposed conv, IN+ReLU
    (s + 6) ** 2 * g, s * s * c.inputNc * 2, // c7s1-nc: pad, conv, tanh
  ];
  return { total: maps.reduce((a, b) => a + b, 0), largest: (s + 6) ** 2 * g };
}

/** Elements of every feature map one discriminator forward produces at side s (conv, then norm/activation). */
function discriminatorMaps(c: Shapes, s: number): number {
  let side = s;
  let total = 0;
  const layer = (cout: number, stride: number) => {
    side = Math.floor((side - 2) / stride) + 1;
    total += side * side * cout * 2;
  };
  layer(c.ndf, 2);
  for (let n = 1; n <= c.nLayersD; n++) layer(c.ndf * Math.min(2 ** n, 8), n < c.nLayersD ? 2 : 1);
  layer(1, 1);
  return total;
}

/** The estimate for a configuration (only its shapes and pool size matter). */
export function estimateTrainingMemory(c: Shapes): MemoryEstimate {
  const p = paramCounts(c);
  const params = F32 * PARAM_COPIES * 2 * (p.generator + p.discriminator);
  const pools = F32 * 2 * c.poolSize * c.cropSize ** 2 * c.inputNc;
  const g = generatorMaps(c, c.cropSize);
  const activations = F32 * ACTIVATION_FACTOR * (2 * g.total + discriminatorMaps(c, c.cropSize));
  return { peakBytes: BASE_BYTES + params + pools + activations, largestTensorBytes: F32 * g.largest, parts: { params, pools, activations } };
}
