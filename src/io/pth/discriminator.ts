/**
 * Reading an NLayerDiscriminator (`latest_net_D_A.pth`, `latest_net_D_B.pth`) saved by the official
 * junyanz/pytorch-CycleGAN-and-pix2pix trainer. Its options are read off the shapes, as the official
 * models/networks.py fixes them: ndf = model.0.weight's out channels, input_nc its in channels, and n_layers =
 * the number of 4×4 convs − 2 (the first conv, n_layers − 1 strided ones, one stride-1, the 1-channel output).
 */
import { discriminatorSpecs, type DiscriminatorOptions } from '../../model/discriminator';
import type { WeightArray } from './layout';
import { list, matchSpecs, normalizeStateDict } from './match';
import { PthError } from './pickle';
import { readPthStateDict } from './stateDict';

export interface ImportedDiscriminator {
  options: DiscriminatorOptions;
  /** state_dict keys in discriminatorSpecs order → PyTorch layout (OIHW). */
  weights: Map<string, WeightArray>;
  prefix: string;
}

export function importDiscriminator(bytes: Uint8Array): ImportedDiscriminator {
  return discriminatorFromStateDict(readPthStateDict(bytes));
}

export function discriminatorFromStateDict(stateDict: ReadonlyMap<string, WeightArray>): ImportedDiscriminator {
  const n = normalizeStateDict(stateDict);
  const options = detectOptions(n.sd);
  const what = `NLayerDiscriminator(input_nc ${options.inputNc}, ndf ${options.ndf}, n_layers ${options.nLayers})`;
  return { options, weights: matchSpecs(n, discriminatorSpecs(options), what), prefix: n.prefix };
}

function detectOptions(sd: Map<string, WeightArray>): DiscriminatorOptions {
  const keys = [...sd.keys()];
  const g = sd.get('model.1.weight');
  if (g && g.shape.length === 4 && g.shape[2] === 7)
    throw new PthError(`this is a ResnetGenerator state_dict (model.1.weight [${g.shape}]), not a discriminator; this place takes latest_net_D_A.pth or latest_net_D_B.pth`);
  if (keys.some((k) => /\.(running_mean|running_var)$/.test(k)))
    throw new PthError('this network has BatchNorm layers (--norm batch); only --norm instance (the CycleGAN default) is supported');
  const first = sd.get('model.0.weight');
  if (!first || first.shape.length !== 4 || first.shape[2] !== 4 || first.shape[3] !== 4)
    throw new PthError(`not an NLayerDiscriminator (--netD basic / n_layers): expected model.0.weight as a 4×4 conv [ndf, input_nc, 4, 4], found ${first ? `[${first.shape}]` : `keys ${list(keys)}`}`);
  const convs = keys.filter((k) => /^model\.\d+\.weight$/.test(k) && sd.get(k)!.shape.length === 4).length;
  if (convs < 3) throw new PthError(`not an NLayerDiscriminator: only ${convs} convolutions (at least 3: n_layers ≥ 1)`);
  return { inputNc: first.shape[1], ndf: first.shape[0], nLayers: convs - 2 };
}
