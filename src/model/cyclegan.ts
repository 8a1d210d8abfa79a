/**
 * The four networks of CycleGAN. G_A: A→B (the paper's G), G_B: B→A (the paper's F);
 * D_A judges B-domain images (real_B vs fake_B), D_B judges A-domain images.
 */
import type { CycleGANConfig } from '../config';
import type { Rng } from '../rng';
import { discriminatorSpecs, NLayerDiscriminator, type DiscriminatorOptions } from './discriminator';
import { generatorSpecs, ResnetGenerator, type GeneratorOptions } from './generator';
import { disposeParams, type ParamSpec, type Params } from './params';

import { NET_NAMES, type NetName } from '../names';

export { NET_NAMES, type NetName } from '../names';

export type ModelConfig = Pick<CycleGANConfig, 'inputNc' | 'ngf' | 'nBlocks' | 'ndf' | 'nLayersD' | 'initGain'>;
type Shapes = Omit<ModelConfig, 'initGain'>;

/** Both generators map an image to the other domain's image of the same channels. */
export function generatorOptions(c: Shapes): GeneratorOptions {
  return { inputNc: c.inputNc, outputNc: c.inputNc, ngf: c.ngf, nBlocks: c.nBlocks };
}

export function discriminatorOptions(c: Shapes): DiscriminatorOptions {
  return { inputNc: c.inputNc, ndf: c.ndf, nLayers: c.nLayersD };
}

/** A network's parameters — state_dict key and tfjs shape — in the reference's order: the one key table that
 * checkpoints, exports and the .pth reader and writer all walk. */
export function netSpecs(net: NetName, c: Shapes): ParamSpec[] {
  return net === 'G_A' || net === 'G_B' ? generatorSpecs(generatorOptions(c)) : discriminatorSpecs(discriminatorOptions(c));
}

export class CycleGAN {
  readonly G_A: ResnetGenerator;
  readonly G_B: ResnetGenerator;
  readonly D_A: NLayerDiscriminator;
  readonly D_B: NLayerDiscriminator;

  /** Initialises the networks in the reference's order (G_A, G_B, D_A, D_B) from the run's RNG. */
  constructor(cfg: ModelConfig, rng: Rng) {
    const g = generatorOptions(cfg);
    const d = discriminatorOptions(cfg);
    this.G_A = new ResnetGenerator(g, rng, cfg.initGain);
    this.G_B = new ResnetGenerator(g, rng, cfg.initGain);
    this.D_A = new NLayerDiscriminator(d, rng, cfg.initGain);
    this.D_B = new NLayerDiscriminator(d, rng, cfg.initGain);
  }

  net(name: NetName): ResnetGenerator | NLayerDiscriminator {
    return this[name];
  }

  params(name: NetName): Params {
    return this[name].params;
  }

  dispose(): void {
    for (const n of NET_NAMES) disposeParams(this[n].params);
  }
}
