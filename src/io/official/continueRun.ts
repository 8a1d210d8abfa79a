/**
 * The official trainer's command line that continues a run of ours (train.py of
 * junyanz/pytorch-CycleGAN-and-pix2pix, its options in options/base_options.py and options/train_options.py).
 *
 * --continue_train --epoch latest loads checkpoints/NAME/latest_net_{G_A,G_B,D_A,D_B}.pth into freshly built
 * networks (models/base_model.py load_networks: a strict load_state_dict) and builds fresh Adam optimizers and
 * empty image pools. Epochs run from --epoch_count to n_epochs + n_epochs_decay, and the linear lr rule
 * (models/networks.py get_scheduler) counts from --epoch_count: epoch e trains at lr · (1 − max(0, e − n_epochs) /
 * (n_epochs_decay + 1)), our own schedule (src/train/schedule.ts). So after E finished epochs the run continues
 * with --epoch_count E + 1. An epoch is max(|trainA|, |trainB|) iterations at --batch_size 1, as ours.
 */
import type { CycleGANConfig } from '../../config';
import { lastEpoch } from '../../train/schedule';

/** What the command is derived from. */
export interface RunPosition {
  config: CycleGANConfig;
  /** Completed iterations. */
  iteration: number;
  /** max(|A|, |B|): the run's iterations per epoch. */
  itersPerEpoch: number;
}

/** The official trainer defines these two ResnetGenerators only (models/networks.py define_G). */
export const OFFICIAL_BLOCKS = [6, 9];

/** Finished epochs (the reference's numbering) and the iterations already done in the next one. */
export function epochsDone(p: RunPosition): { epochs: number; into: number } {
  if (!(Number.isInteger(p.itersPerEpoch) && p.itersPerEpoch >= 1)) throw new RangeError(`itersPerEpoch must be an integer ≥ 1; got ${p.itersPerEpoch}`);
  return { epochs: p.config.epochCount - 1 + Math.floor(p.iteration / p.itersPerEpoch), into: p.iteration % p.itersPerEpoch };
}

/** Python's argparse reads these as its float(): JavaScript's shortest round-trip form is one of them. */
const num = (v: number): string => String(v);

/** `python train.py …` for experiment `name` (its data in ./datasets/NAME, its checkpoints in ./checkpoints/NAME). */
export function continueCommand(p: RunPosition, name: string): string {
  const c = p.config;
  const { epochs } = epochsDone(p);
  const flags: [string, string | number | null][] = [
    ['dataroot', `./datasets/${name}`], ['name', name], ['model', 'cycle_gan'], ['continue_train', null], ['epoch', 'latest'],
    ['epoch_count', epochs + 1], ['n_epochs', c.nEpochs], ['n_epochs_decay', c.nEpochsDecay],
    ['netG', `resnet_${c.nBlocks}blocks`], ['ngf', c.ngf], ['ndf', c.ndf],
    ...(c.nLayersD === 3 ? [] : ([['netD', 'n_layers'], ['n_layers_D', c.nLayersD]] as [string, number | string][])), // basic = 3 layers
    ...(c.inputNc === 3 ? [] : ([['input_nc', c.inputNc], ['output_nc', c.inputNc]] as [string, number][])),
    ['load_size', c.loadSize], ['crop_size', c.cropSize], ...(c.flip ? [] : ([['no_flip', null]] as [string, null][])),
    ['lambda_A', num(c.lambdaA)], ['lambda_B', num(c.lambdaB)], ['lambda_identity', num(c.lambdaIdentity)],
    ['lr', num(c.lr)], ['beta1', num(c.beta1)], ['pool_size', c.poolSize], ['gan_mode', c.ganMode], ['gpu_ids', 0],
  ];
  return `python train.py ${flags.map(([k, v]) => (v === null ? `--${k}` : `--${k} ${v}`)).join(' ')}`;
}

/** Everything of our run the official --continue_train does not carry over, in words (README bullets). */
export function whatRestarts(p: RunPosition): string[] {
  const c = p.config;
  const { epochs, into } = epochsDone(p);
  const out = [
    "Adam's moments and step counts: `--continue_train` builds fresh optimizers (as it does for its own runs), so the first steps are a fresh Adam's (each weight moves about lr, whatever its gradients did before), not the run's averaged ones.",
    `The image pools (${c.poolSize} past fakes for each discriminator): they start empty and fill again over the first ${c.poolSize} iterations.`,
    `The random stream (our seed ${c.seed}): the order of the A images, the B image drawn for each, crops and flips are PyTorch's from here on.`,
  ];
  if (into > 0)
    out.push(`The run stopped ${into} of ${p.itersPerEpoch} iterations into epoch ${epochs + 1}: the official trainer starts that epoch from its beginning, so ${into === 1 ? 'that iteration is' : `those ${into} iterations are`} trained again (on other crops).`);
  if (c.beta2 !== 0.999) out.push(`Adam's β2 ${c.beta2}: the official trainer always uses 0.999.`);
  if (epochs + 1 > lastEpoch(c))
    out.push(`The schedule is finished (epoch ${epochs} of ${lastEpoch(c)}): as written the command trains nothing. To train on, raise --n_epochs_decay (the lr then decays from where the longer schedule puts it).`);
  return out;
}
