/**
 * Importing a generator trained by the official junyanz/pytorch-CycleGAN-and-pix2pix code
 * (`latest_net_G_A.pth`: A→B, `latest_net_G_B.pth`: B→A) — the public API for the CLI and the studio:
 *
 *   importGenerator(bytes)        .pth bytes → { options, weights (PyTorch layout) }   (pure, no tfjs)
 *   loadIntoGenerator(imported)   → a ResnetGenerator with those weights (tfjs layout)
 *   importPthGenerator(bytes)     both in one call
 *
 * The architecture is read off the tensor shapes, as the official keys fix it (models/networks.py ResnetGenerator and NLayerDiscriminator in junyanz/pytorch-CycleGAN-and-pix2pix):
 * ngf = model.1.weight's out channels, input_nc its in channels, n_blocks = the number of
 * model.N.conv_block.1.weight keys, output_nc = the out channels of the last conv (model.{17+n}.weight).
 * Like the official loader, InstanceNorm running_mean / running_var / num_batches_tracked keys are dropped,
 * and an nn.DataParallel `module.` prefix is accepted. Everything else must match the ResnetGenerator's
 * keys and shapes exactly, or the import fails with a PthError saying what was found.
 */
import { generatorSpecs, ResnetGenerator, type GeneratorOptions } from '../../model/generator';
import { disposeParams } from '../../model/params';
import { Rng } from '../../rng';
import { assignTorchWeights } from './assign';
import type { WeightArray } from './layout';
import { list, matchSpecs, normalizeStateDict } from './match';
import { PthError } from './pickle';
import { readPthStateDict } from './stateDict';

export { PthError } from './pickle';
export { readPthStateDict, type PthTensor, type StateDict } from './stateDict';
export { toTfjsLayout, toTorchLayout, type WeightArray } from './layout';

export interface ImportedGenerator {
  options: GeneratorOptions;
  /** PyTorch state_dict keys in generatorSpecs order → PyTorch layout (conv OIHW, ConvTranspose2d (in, out, kH, kW)). */
  weights: Map<string, WeightArray>;
  /** InstanceNorm running-stat keys that were dropped (old checkpoints). */
  dropped: string[];
  /** 'module.' when the file came from nn.DataParallel, else ''. */
  prefix: string;
}

/** .pth bytes → the generator's options and weights. Throws PthError for anything that is not a ResnetGenerator. */
export function importGenerator(bytes: Uint8Array): ImportedGenerator {
  return generatorFromStateDict(readPthStateDict(bytes));
}

/** Reads a ResnetGenerator out of an already-parsed state_dict (shapes in PyTorch layout). */
export function generatorFromStateDict(stateDict: ReadonlyMap<string, WeightArray>): ImportedGenerator {
  const n = normalizeStateDict(stateDict);
  const options = detectOptions(n.sd);
  const what = `ResnetGenerator(input_nc ${options.inputNc}, output_nc ${options.outputNc}, ngf ${options.ngf}, n_blocks ${options.nBlocks})`;
  const weights = matchSpecs(n, generatorSpecs(options), what);
  return { options, weights, dropped: n.dropped, prefix: n.prefix };
}

function detectOptions(sd: Map<string, WeightArray>): GeneratorOptions {
  const keys = [...sd.keys()];
  if (keys.some((k) => k.startsWith('model.model.')))
    throw new PthError(`this is a UnetGenerator state_dict (keys like ${keys[0]}), not a ResnetGenerator; only --netG resnet_9blocks / resnet_6blocks generators can be imported`);
  if (keys.some((k) => /\.(running_mean|running_var)$/.test(k)))
    throw new PthError('this network has BatchNorm layers (--norm batch); only --norm instance (the CycleGAN default) is supported');
  const first = sd.get('model.1.weight');
  if (!first) {
    const d = sd.get('model.0.weight');
    if (d && d.shape.length === 4 && d.shape[2] === 4 && d.shape[3] === 4)
      throw new PthError(`this is an NLayerDiscriminator (PatchGAN) state_dict (model.0.weight [${d.shape}]), not a generator; import latest_net_G_A.pth or latest_net_G_B.pth`);
    throw new PthError(`not a ResnetGenerator state_dict: it has no model.1.weight (found ${list(keys)})`);
  }
  if (first.shape.length !== 4 || first.shape[2] !== 7 || first.shape[3] !== 7)
    throw new PthError(`not a ResnetGenerator: model.1.weight has shape [${first.shape}], expected the first 7×7 conv [ngf, input_nc, 7, 7]`);
  if (keys.some((k) => /^model\.\d+\.conv_block\.6\.weight$/.test(k)))
    throw new PthError('this ResnetGenerator has dropout in its blocks (trained without --no_dropout), which is not supported');
  const nBlocks = keys.filter((k) => /^model\.\d+\.conv_block\.1\.weight$/.test(k)).length;
  if (nBlocks === 0) throw new PthError('not a ResnetGenerator: no residual blocks (model.N.conv_block.1.weight) found');
  const outKey = `model.${17 + nBlocks}.weight`; // 10 + n blocks, then ConvT·IN·ReLU·ConvT·IN·ReLU·Pad·Conv
  const out = sd.get(outKey);
  if (!out || out.shape.length !== 4)
    throw new PthError(`not a ResnetGenerator with ${nBlocks} blocks: its output conv ${outKey} is ${out ? `[${out.shape}]` : 'missing'}`);
  return { inputNc: first.shape[1], outputNc: out.shape[0], ngf: first.shape[0], nBlocks };
}

/** Builds the network and copies every weight in, asserting each shape. The caller owns (and disposes) its params. */
export function loadIntoGenerator(imported: Pick<ImportedGenerator, 'options' | 'weights'>): ResnetGenerator {
  const g = new ResnetGenerator(imported.options, new Rng(0));
  try {
    assignTorchWeights(g.params, g.specs, imported.weights);
  } catch (e) {
    disposeParams(g.params); // nothing half-loaded survives
    throw e;
  }
  return g;
}

/** .pth bytes → a ready ResnetGenerator (what the studio calls for a dropped file). */
export function importPthGenerator(bytes: Uint8Array): { generator: ResnetGenerator; imported: ImportedGenerator } {
  const imported = importGenerator(bytes);
  return { generator: loadIntoGenerator(imported), imported };
}
