/**
 * The four networks of CycleGAN. G_A: A→B (the paper's G), G_B: B→A (the paper's F);
 * D_A judges B-domain images (real_B vs fake_B), D_B judges A-domain images.
 */
import type { CycleGANConfig } from '../config';
import type { Rng } from '../rng';
import { NLayerDiscriminator } from './discriminator';
import { ResnetGenerator } from './generator';
import { disposeParams, type Params } from './params';

export const NET_NAMES = ['G_A', 'G_B', 'D_A', 'D_B'] as const;
export type NetName = (typeof NET_NAMES)[number];

export type ModelConfig = Pick<CycleGANConfig, 'inputNc' | 'ngf' | 'nBlocks' | 'ndf' | 'nLayersD' | 'initGain'>;

export class CycleGAN {
  readonly G_A: ResnetGenerator;
  readonly G_B: ResnetGenerator;
  readonly D_A: NLayerDiscriminator;
  readonly D_B: NLayerDiscriminator;

  /** Initialises the networks in the reference's order (G_A, G_B, D_A, D_B) from the run's RNG. */
  constructor(cfg: ModelConfig, rng: Rng) {
    const g = { inputNc: cfg.inputNc, outputNc: cfg.inputNc, ngf: cfg.ngf, nBlocks: cfg.nBlocks };
    const d = { inputNc: cfg.inputNc, ndf: cfg.ndf, nLayers: cfg.nLayersD };
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
