/**
 * A run's four networks from the official trainer's checkpoint (checkpoints/NAME/latest_net_{G_A,G_B,D_A,D_B}.pth
 * of junyanz/pytorch-CycleGAN-and-pix2pix): read with our restricted reader, checked against the config the run
 * is built with, and loaded into its networks. Optimizers and pools are not in those files: training goes on
 * with a fresh Adam and empty pools, as the official --continue_train does.
 *
 *   readOfficialNetworks(files, config)   bytes → weights (PyTorch layout), or a PthMismatchError saying which
 *                                          settings the files need (pure, no tfjs)
 *   loadOfficialNetworks(models, nets)    → into a CycleGAN's variables (e.g. a fresh trainer's models)
 */
import type { CycleGANConfig } from '../../config';
import { NET_NAMES, netSpecs, type CycleGAN, type NetName } from '../../model/cyclegan';
import { assignTorchWeights } from '../pth/assign';
import { discriminatorFromStateDict } from '../pth/discriminator';
import type { WeightArray } from '../pth/layout';
import { PthError } from '../pth/pickle';
import { generatorFromStateDict } from '../pth/pth';
import { CycleGANTrainer, type Domains } from '../../train/trainer';
import { readPthStateDict } from '../pth/stateDict';

export type OfficialNetworks = Record<NetName, Map<string, WeightArray>>;
type Shapes = Pick<CycleGANConfig, 'inputNc' | 'ngf' | 'nBlocks' | 'ndf' | 'nLayersD'>;

/** The files hold other networks than the config builds: `need` is the config the files fit. */
export class PthMismatchError extends PthError {
  override name = 'PthMismatchError';
  constructor(message: string, readonly need: Partial<Shapes>) {
    super(message);
  }
}

/** The official file name of a network. */
export const officialFileName = (net: NetName): string => `latest_net_${net}.pth`;

/** Each network's .pth bytes (`names` only for messages: the files' own names) → weights, checked against `config`. */
export function readOfficialNetworks(files: Record<NetName, Uint8Array>, config: Shapes, names: Partial<Record<NetName, string>> = {}): OfficialNetworks {
  const nameOf = (net: NetName) => names[net] ?? officialFileName(net);
  const read = NET_NAMES.map((net) => {
    try {
      return { net, ...readOne(net, files[net]) };
    } catch (e) {
      throw e instanceof PthError ? new PthError(`${nameOf(net)}: ${e.message}`) : e;
    }
  });
  // one run's networks agree with each other; then all of them must fit the config
  const found: Partial<Shapes> = {};
  for (const r of read)
    for (const [k, v] of Object.entries(r.found) as [keyof Shapes, number][]) {
      const first = read.find((o) => o.found[k] !== undefined)!;
      if (v !== first.found[k]) throw new PthError(`${nameOf(r.net)} has ${k} ${v}, but ${nameOf(first.net)} has ${k} ${first.found[k]}: not the networks of one run`);
      found[k] = v;
    }
  const differ = (Object.keys(found) as (keyof Shapes)[]).filter((k) => found[k] !== config[k]);
  if (differ.length) {
    const say = (c: Partial<Shapes>) => differ.map((k) => `${k} ${c[k]}`).join(', ');
    throw new PthMismatchError(`the PyTorch networks have ${say(found)}, but the run's config has ${say(config)}`, Object.fromEntries(differ.map((k) => [k, found[k]])));
  }
  return Object.fromEntries(read.map((r) => [r.net, r.weights])) as OfficialNetworks;
}

function readOne(net: NetName, bytes: Uint8Array): { found: Partial<Shapes>; weights: Map<string, WeightArray> } {
  if (net === 'G_A' || net === 'G_B') {
    const g = generatorFromStateDict(readPthStateDict(bytes));
    if (g.options.outputNc !== g.options.inputNc) throw new PthError(`its generator maps ${g.options.inputNc} channels to ${g.options.outputNc}; a CycleGAN's keep the channels`);
    return { found: { inputNc: g.options.inputNc, ngf: g.options.ngf, nBlocks: g.options.nBlocks }, weights: g.weights };
  }
  const d = discriminatorFromStateDict(readPthStateDict(bytes));
  return { found: { inputNc: d.options.inputNc, ndf: d.options.ndf, nLayersD: d.options.nLayers }, weights: d.weights };
}

/** Copies the four networks into `models` (built with the same config), every key and shape checked. */
export function loadOfficialNetworks(models: CycleGAN, nets: OfficialNetworks, config: Shapes): void {
  for (const net of NET_NAMES) assignTorchWeights(models.params(net), netSpecs(net, config), nets[net]);
}

/** A new trainer on `images` holding the official networks (fresh Adam, empty pools, iteration 0). */
export function officialTrainer(config: CycleGANConfig, images: Domains, nets: OfficialNetworks): CycleGANTrainer {
  const trainer = new CycleGANTrainer(config, images);
  try {
    loadOfficialNetworks(trainer.models, nets, config);
  } catch (e) {
    trainer.dispose();
    throw e;
  }
  return trainer;
}
