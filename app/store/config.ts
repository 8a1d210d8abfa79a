/** The run's effective configuration: the preset, then the user's overrides, validated by makeConfig. */
import { ConfigError, LIVE_KEYS, PRESETS, SAMPLE_EVERY, checkSampleEvery, makeConfig, type CycleGANConfig, type LiveKey, type PresetName } from '../../src/config';

export { SAMPLE_EVERY };
/** The fields the engine takes while a run exists (src/config.ts CONFIG_FIELDS' `live`); sampleEvery is live too. */
export const LIVE_FIELDS = LIVE_KEYS;
export type LiveField = LiveKey;
export const isLive = (key: string): key is LiveField => (LIVE_FIELDS as readonly string[]).includes(key);

export interface Resolved {
  config: CycleGANConfig | null;
  /** The first invalid field and why, e.g. { field: 'lr', message: 'lr: must be ≥ 0; got -1' }. */
  error: { field: string; message: string } | null;
}

export function resolveConfig(preset: PresetName, overrides: Partial<CycleGANConfig>, sampleEvery: number): Resolved {
  try {
    checkSampleEvery(sampleEvery);
    return { config: makeConfig({ ...PRESETS[preset].config, ...overrides }), error: null };
  } catch (e) {
    if (e instanceof ConfigError) return { config: null, error: { field: e.field, message: e.message } };
    throw e;
  }
}

/**
 * Every invalid field's message, not just the first: each override is checked on its own against the preset,
 * then the whole configuration (for rules between fields, e.g. loadSize ≥ cropSize).
 */
export function fieldErrors(preset: PresetName, overrides: Partial<CycleGANConfig>, sampleEvery: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(overrides) as (keyof CycleGANConfig)[]) {
    const { error } = resolveConfig(preset, { [key]: overrides[key] }, SAMPLE_EVERY.default);
    if (error) out[error.field] = error.message;
  }
  const { error } = resolveConfig(preset, overrides, sampleEvery);
  if (error && !out[error.field]) out[error.field] = error.message;
  return out;
}

/** The value a field has before the user touches it: the preset's, else the reference default. */
export function baseValue<K extends keyof CycleGANConfig>(preset: PresetName, key: K): CycleGANConfig[K] {
  return makeConfig(PRESETS[preset].config)[key];
}
