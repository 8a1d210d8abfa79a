/**
 * The studio's state in the URL, TF Playground style: one table drives parsing and formatting.
 * Pure (URLSearchParams only, no window) so it runs in Node tests. Unknown values fall back to the
 * default and are reported, never silently dropped; parameters we do not own are kept by `format`.
 * Classroom mode (issue 6) adds its rows here: seed, demo, hidden controls.
 */
import { PRESETS, type PresetName } from '../../src/config';
import type { BackendChoice } from '../../src/protocol/messages';
import { BACKEND_CHOICES } from '../constants';

export interface UrlState {
  backend: BackendChoice;
  preset: PresetName;
}

interface Param<T extends string> {
  choices: readonly T[];
  default: T;
  help: string;
}

export const URL_PARAMS: { [K in keyof UrlState]: Param<UrlState[K]> } = {
  backend: { choices: BACKEND_CHOICES, default: 'auto', help: 'the tfjs backend to force' },
  preset: { choices: Object.keys(PRESETS) as PresetName[], default: 'classroom', help: 'the network/image size preset' },
};

export const URL_DEFAULTS: UrlState = { backend: URL_PARAMS.backend.default, preset: URL_PARAMS.preset.default };

export interface Parsed {
  state: UrlState;
  /** One plain sentence per value we could not use. */
  problems: string[];
}

export function parse(search: string): Parsed {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const state = { ...URL_DEFAULTS };
  const problems: string[] = [];
  for (const key of Object.keys(URL_PARAMS) as (keyof UrlState)[]) {
    const raw = params.get(key);
    if (raw === null) continue;
    const p = URL_PARAMS[key] as Param<string>;
    const v = raw.trim().toLowerCase();
    if (p.choices.includes(v)) (state as Record<string, string>)[key] = v;
    else problems.push(`URL parameter ${key}=${raw} is not one of ${p.choices.join(', ')} (${p.help}); using ${p.default}.`);
  }
  return { state, problems };
}

/**
 * The query string for `state` ('' or '?…'), keeping `previous`'s parameters that the table does not own.
 * Values equal to their default are left out so plain links stay plain.
 */
export function format(state: UrlState, previous = ''): string {
  const params = new URLSearchParams(previous.startsWith('?') ? previous.slice(1) : previous);
  for (const key of Object.keys(URL_PARAMS) as (keyof UrlState)[]) {
    if (state[key] === URL_PARAMS[key].default) params.delete(key);
    else params.set(key, state[key]);
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
