/**
 * `train`'s configuration flags, derived from the one list of config fields (CONFIG_FIELDS in src/config.ts):
 * every field is a flag named by flagName (loadSize → --load-size, nLayersD → --n-layers-d, …) and parsed by the
 * field's type; a boolean takes `true` or `false` (--flip false). The older short names stay (a public interface):
 * --blocks, --epochs, --decay-epochs, --pool; and --size S sets the crop to S and the load size to S·286/256.
 */
import { CONFIG_FIELDS, flagName, makeConfig, type CycleGANConfig } from '../config';
import { intFlag, numFlag, strFlag, type Flags } from './args';
import { UsageError } from './errors';

type Key = keyof CycleGANConfig;
const KEYS = Object.keys(CONFIG_FIELDS) as Key[];

/** Older names for some fields, kept working. */
export const FLAG_ALIASES: Record<string, Key> = { blocks: 'nBlocks', epochs: 'nEpochs', 'decay-epochs': 'nEpochsDecay', pool: 'poolSize' };

/** parseArgs options for every config flag and alias (all take a value). */
export function configFlagOptions(): Record<string, { type: 'string' }> {
  const names = [...KEYS.map(flagName), ...Object.keys(FLAG_ALIASES), 'size'];
  return Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));
}

function parseField(flags: Flags, flag: string, key: Key): CycleGANConfig[Key] | undefined {
  const f = CONFIG_FIELDS[key];
  if (typeof f.default === 'boolean') {
    const v = strFlag(flags, flag);
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') throw new UsageError(`--${flag} must be true or false; got '${v}'`);
    return v === 'true';
  }
  if (typeof f.default === 'string') return strFlag(flags, flag) as CycleGANConfig[Key] | undefined;
  const whole = (f as { integer?: boolean }).integer || (f as { choices?: unknown }).choices; // inputNc: 1 or 3
  return whole ? intFlag(flags, flag) : numFlag(flags, flag);
}

/** The config fields the flags set (nothing else), each checked for its type; ranges are makeConfig's. */
export function configFromFlagValues(flags: Flags): Partial<CycleGANConfig> {
  const partial: Record<string, unknown> = {};
  const size = intFlag(flags, 'size');
  if (size !== undefined) Object.assign(partial, { cropSize: size, loadSize: Math.round((size * 286) / 256) });
  for (const [alias, key] of Object.entries(FLAG_ALIASES)) {
    if (flags[alias] !== undefined && flags[flagName(key)] !== undefined) throw new UsageError(`--${alias} and --${flagName(key)} are the same setting; give one`);
    const v = parseField(flags, alias, key);
    if (v !== undefined) partial[key] = v;
  }
  for (const key of KEYS) {
    const v = parseField(flags, flagName(key), key);
    if (v !== undefined) partial[key] = v;
  }
  return partial as Partial<CycleGANConfig>;
}

/** The whole config: the flags over the reference defaults, validated (a bad value is a usage error naming its flag). */
export function configFromFlags(flags: Flags, base: Partial<CycleGANConfig> = {}): CycleGANConfig {
  try {
    return makeConfig({ ...base, ...configFromFlagValues(flags) });
  } catch (e) {
    const field = (e as { field?: string }).field as Key | undefined;
    throw new UsageError(field && field in CONFIG_FIELDS ? `--${flagName(field)}: ${(e as Error).message.replace(/^\w+: /, '')}` : (e as Error).message);
  }
}

/** The usage lines: each flag with its default. */
export function configFlagUsage(): string {
  const items = KEYS.map((k) => `--${flagName(k)} ${String(CONFIG_FIELDS[k].default)}`);
  const lines: string[] = [];
  for (const item of items) {
    if (lines.length && lines[lines.length - 1].length + item.length < 100) lines[lines.length - 1] += `  ${item}`;
    else lines.push(item);
  }
  return lines.map((l) => `                 ${l}`).join('\n');
}
