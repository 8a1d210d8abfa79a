/**
 * One typed configuration for a CycleGAN run: every hyper-parameter with the reference's default
 * (junyanz/pytorch-CycleGAN-and-pix2pix, options/*.py). Shared by the UI, the URL, the CLI and checkpoints.
 * A table of fields drives defaults, validation and (de)serialisation, TF Playground style.
 */

export type GanMode = 'lsgan' | 'vanilla';

export interface CycleGANConfig {
  // data
  loadSize: number; // resize to loadSize × loadSize (aspect ignored), then …
  cropSize: number; // … random crop cropSize × cropSize
  flip: boolean; // random horizontal flip
  inputNc: number; // 1 (grayscale) or 3 (RGB); both domains use it
  // networks
  ngf: number;
  nBlocks: number; // resnet_9blocks / resnet_6blocks
  ndf: number;
  nLayersD: number; // 3 = the 70×70 PatchGAN
  initGain: number; // weights ~ N(0, initGain)
  // objective
  ganMode: GanMode;
  lambdaA: number;
  lambdaB: number;
  lambdaIdentity: number; // 0 switches identity off (and skips its forward passes)
  poolSize: number; // 0 disables the image pool
  // optimisation
  lr: number;
  beta1: number;
  beta2: number;
  nEpochs: number; // epochs at the initial lr …
  nEpochsDecay: number; // … then linear decay to zero over these
  epochCount: number; // the starting epoch (the reference's --epoch_count)
  seed: number;
}

type Field<K extends keyof CycleGANConfig> = {
  key: K;
  default: CycleGANConfig[K];
  min?: number;
  max?: number;
  integer?: boolean;
  multipleOf?: number;
  choices?: readonly CycleGANConfig[K][];
  help: string;
  /** A running trainer takes it between iterations (every other change rebuilds the networks). */
  live?: true;
  /** The settings panel's label and arrow-key step, for the knobs it shows as numbers. */
  label?: string;
  step?: number;
};

type Fields = { [K in keyof CycleGANConfig]: Field<K> };

/** Every knob, its reference default, its range and what it does (the UI's tooltips read `help`). */
const FIELDS = {
  loadSize: { key: 'loadSize', default: 286, min: 4, max: 2048, integer: true, help: 'Images are first resized to this square size (reference --load_size 286).' },
  cropSize: { key: 'cropSize', default: 256, min: 4, max: 2048, integer: true, multipleOf: 4, help: 'Random square crop fed to the networks (reference --crop_size 256). A multiple of 4.' },
  flip: { key: 'flip', default: true, help: 'Random horizontal flip of each training crop (reference default on).' },
  inputNc: { key: 'inputNc', default: 3, choices: [1, 3], help: 'Channels: 3 for RGB, 1 for grayscale.' },
  ngf: { key: 'ngf', default: 64, min: 1, max: 512, integer: true, help: 'Generator filters in the first conv layer (reference --ngf 64).' },
  nBlocks: { key: 'nBlocks', default: 9, min: 0, max: 32, integer: true, help: 'Residual blocks in the generator: 9 (resnet_9blocks, default) or 6.' },
  ndf: { key: 'ndf', default: 64, min: 1, max: 512, integer: true, help: 'Discriminator filters in the first conv layer (reference --ndf 64).' },
  nLayersD: { key: 'nLayersD', default: 3, min: 1, max: 8, integer: true, help: 'Strided layers in the PatchGAN discriminator; 3 gives 70×70 patches.' },
  initGain: { key: 'initGain', default: 0.02, min: 0, max: 1, help: 'Std of the normal weight init (reference --init_gain 0.02).' },
  ganMode: { key: 'ganMode', default: 'lsgan', choices: ['lsgan', 'vanilla'], help: 'Adversarial loss: lsgan (least squares, default) or vanilla (cross-entropy).' },
  lambdaA: { key: 'lambdaA', default: 10, min: 0, max: 1000, help: 'Weight of the cycle loss A→B→A: higher keeps each translation closer to something that maps back to the input (reference --lambda_A 10).', live: true, label: 'λ cycle A', step: 0.5 },
  lambdaB: { key: 'lambdaB', default: 10, min: 0, max: 1000, help: 'Weight of the cycle loss B→A→B (reference --lambda_B 10).', live: true, label: 'λ cycle B', step: 0.5 },
  lambdaIdentity: { key: 'lambdaIdentity', default: 0.5, min: 0, max: 100, help: 'Identity loss weight, relative to the cycle weight: a generator should leave an image already in its target domain alone; keeps colours from drifting (reference 0.5; 0 turns it off).', live: true, label: 'λ identity', step: 0.1 },
  poolSize: { key: 'poolSize', default: 50, min: 0, max: 10000, integer: true, help: 'Past fakes kept to show the discriminators, so they do not chase only the latest generator (reference 50; 0 disables the pool).', label: 'Image pool', step: 1 },
  lr: { key: 'lr', default: 0.0002, min: 0, max: 1, help: 'Adam learning rate: the size of each update. Too high and the games diverge; too low and nothing moves (reference 0.0002).', live: true, label: 'Learning rate', step: 0.0001 },
  beta1: { key: 'beta1', default: 0.5, min: 0, max: 0.999999, help: 'Adam β1, the momentum of the updates; GANs train better with less momentum than the usual 0.9 (reference 0.5).', label: 'Adam β1', step: 0.05 },
  beta2: { key: 'beta2', default: 0.999, min: 0, max: 0.999999, help: 'Adam β2 (reference 0.999).' },
  nEpochs: { key: 'nEpochs', default: 100, min: 0, max: 100000, integer: true, help: 'Epochs (passes over the larger domain) at the initial learning rate (reference --n_epochs 100).', live: true, label: 'Epochs', step: 1 },
  nEpochsDecay: { key: 'nEpochsDecay', default: 100, min: 0, max: 100000, integer: true, help: 'Epochs of linear decay of the learning rate to zero after that (reference --n_epochs_decay 100).', live: true, label: 'Decay epochs', step: 1 },
  epochCount: { key: 'epochCount', default: 1, min: 1, max: 100000, integer: true, help: 'Starting epoch, as the reference --epoch_count (used when resuming).' },
  seed: { key: 'seed', default: 1, min: 0, max: 2 ** 32 - 1, integer: true, help: 'Seed of the one random generator (init, sampling, crop, flip, pool): the same seed, data and settings give the same run. Part of a shared link.', label: 'Seed', step: 1 },
} satisfies Fields;
export const CONFIG_FIELDS: Fields = FIELDS;

/** The knobs a running trainer takes between iterations, in the table's order. */
export type LiveKey = { [K in keyof typeof FIELDS]: (typeof FIELDS)[K] extends { live: true } ? K : never }[keyof typeof FIELDS];
export const LIVE_KEYS: readonly LiveKey[] = (Object.keys(FIELDS) as (keyof CycleGANConfig)[]).filter((k): k is LiveKey => CONFIG_FIELDS[k].live === true);

/** What the settings panel's tooltip says of a knob: its help, and whether it is live. */
export const helpText = (key: keyof CycleGANConfig): string => `${CONFIG_FIELDS[key].help}${CONFIG_FIELDS[key].live ? ' Live while training.' : ''}`;

/** How often the engine sends an iteration's images (not part of a run's config: it changes nothing trained). */
export const SAMPLE_EVERY = { default: 20, min: 1, max: 100000, help: 'Send the reconstruction images every N iterations (the reference displays every 400).' };

/** Throws ConfigError unless `n` is a valid image period. */
export function checkSampleEvery(n: number): void {
  if (!Number.isInteger(n) || n < SAMPLE_EVERY.min || n > SAMPLE_EVERY.max)
    throw new ConfigError('sampleEvery', `must be an integer from ${SAMPLE_EVERY.min} to ${SAMPLE_EVERY.max}; got ${n}`);
}

export const DEFAULT_CONFIG: CycleGANConfig = Object.fromEntries(
  Object.values(CONFIG_FIELDS).map((f) => [f.key, f.default]),
) as unknown as CycleGANConfig;

export type PresetName = 'classroom' | 'standard' | 'paper';

/** Presets scale load/crop together (load = crop · 286/256) and shrink the networks to fit the device. */
export const PRESETS: Record<PresetName, { label: string; config: Partial<CycleGANConfig> }> = {
  classroom: { label: 'Classroom — 64 px, ngf 32, 6 blocks', config: { loadSize: 72, cropSize: 64, ngf: 32, nBlocks: 6, ndf: 32 } },
  standard: { label: 'Standard — 128 px, ngf 64, 6 blocks', config: { loadSize: 143, cropSize: 128, ngf: 64, nBlocks: 6, ndf: 64 } },
  paper: { label: 'Paper — 256 px, ngf 64, 9 blocks', config: { loadSize: 286, cropSize: 256, ngf: 64, nBlocks: 9, ndf: 64 } },
};

export class ConfigError extends RangeError {
  override name = 'ConfigError';
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

/** Fills defaults and validates every field; throws ConfigError naming the field. */
export function makeConfig(partial: Partial<CycleGANConfig> = {}): CycleGANConfig {
  const cfg = { ...DEFAULT_CONFIG, ...partial } as CycleGANConfig;
  for (const f of Object.values(CONFIG_FIELDS) as Field<keyof CycleGANConfig>[]) {
    const v = cfg[f.key] as unknown;
    if (f.choices) {
      if (!(f.choices as unknown[]).includes(v)) throw new ConfigError(f.key, `must be one of ${f.choices.join(', ')}; got ${String(v)}`);
    } else if (typeof f.default === 'boolean') {
      if (typeof v !== 'boolean') throw new ConfigError(f.key, `must be true or false; got ${String(v)}`);
    } else {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(f.key, `must be a finite number; got ${String(v)}`);
      if (f.integer && !Number.isInteger(v)) throw new ConfigError(f.key, `must be an integer; got ${v}`);
      if (f.min !== undefined && v < f.min) throw new ConfigError(f.key, `must be ≥ ${f.min}; got ${v}`);
      if (f.max !== undefined && v > f.max) throw new ConfigError(f.key, `must be ≤ ${f.max}; got ${v}`);
      if (f.multipleOf && v % f.multipleOf !== 0) throw new ConfigError(f.key, `must be a multiple of ${f.multipleOf}; got ${v}`);
    }
  }
  if (cfg.loadSize < cfg.cropSize) throw new ConfigError('loadSize', `must be ≥ cropSize (${cfg.cropSize}); got ${cfg.loadSize}`);
  return cfg;
}

export function presetConfig(name: PresetName, overrides: Partial<CycleGANConfig> = {}): CycleGANConfig {
  return makeConfig({ ...PRESETS[name].config, ...overrides });
}

/** A field's command-line flag: its key in kebab case (nLayersD → n-layers-d, lambdaA → lambda-a, beta1 → beta1). */
export function flagName(key: keyof CycleGANConfig): string {
  return key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);
}

/** The command-line flags that give `c`: each field that differs from its default, in CONFIG_FIELDS order. */
export function configFlags(c: CycleGANConfig, except: (keyof CycleGANConfig)[] = []): string[] {
  return (Object.keys(CONFIG_FIELDS) as (keyof CycleGANConfig)[])
    .filter((k) => !except.includes(k) && c[k] !== DEFAULT_CONFIG[k])
    .map((k) => `--${flagName(k)} ${String(c[k])}`);
}
