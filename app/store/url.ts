/**
 * The studio's state in the URL, TF Playground style: one table drives parsing and formatting.
 * Pure (URLSearchParams only, no window) so it runs in Node tests. Unknown values fall back to the
 * default and are reported, never silently dropped; parameters we do not own are kept by `format`.
 * Classroom rows: the seed, the demo, hidden controls, presenter mode and autostart, so a teacher's
 * prepared link opens the same studio and the same seeded run on the same backend.
 */
import { CONFIG_FIELDS, PRESETS, type PresetName } from '../../src/config';
import type { BackendChoice, DemoName } from '../../src/protocol/messages';
import { BACKEND_CHOICES, DEMOS, HIDEABLE, MAX_THREADS, type ControlId } from '../constants';

export interface UrlState {
  backend: BackendChoice;
  /** Threads for WebAssembly; null = as many as the machine has. */
  threads: number | null;
  preset: PresetName;
  /** The run's seed; null = the preset's (reference) seed. */
  seed: number | null;
  /** A demo to load as soon as the engine is ready; null = none. */
  demo: DemoName | null;
  /** Controls and panels hidden for class. */
  hide: ControlId[];
  presenter: boolean;
  /** With a demo: start training once it is loaded (a one-click lesson is a zero-click one). */
  autostart: boolean;
}

/** One row of the table: how a value reads from and writes to its parameter. */
interface Param<T> {
  default: T;
  help: string;
  /** The value, or a string saying what was expected. */
  read: (raw: string) => { ok: true; value: T } | { ok: false; expected: string };
  write: (v: T) => string;
  same: (a: T, b: T) => boolean;
}

const choice = <T extends string>(choices: readonly T[], def: T, help: string): Param<T> => ({
  default: def,
  help,
  read: (raw) => {
    const v = raw.trim().toLowerCase() as T;
    return choices.includes(v) ? { ok: true, value: v } : { ok: false, expected: `one of ${choices.join(', ')}` };
  },
  write: (v) => v,
  same: (a, b) => a === b,
});

const orNone = <T extends string>(choices: readonly T[], help: string): Param<T | null> => ({
  default: null,
  help,
  read: (raw) => {
    const v = raw.trim().toLowerCase() as T;
    return choices.includes(v) ? { ok: true, value: v } : { ok: false, expected: `one of ${choices.join(', ')}` };
  },
  write: (v) => v ?? '',
  same: (a, b) => a === b,
});

const flag = (help: string): Param<boolean> => ({
  default: false,
  help,
  read: (raw) => {
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'on', 'yes', ''].includes(v)) return { ok: true, value: true };
    if (['0', 'false', 'off', 'no'].includes(v)) return { ok: true, value: false };
    return { ok: false, expected: '1 or 0' };
  },
  write: (v) => (v ? '1' : '0'),
  same: (a, b) => a === b,
});

/** How many threads WebAssembly may use: a whole number, or 'auto' (as many as the machine has). */
const threads: Param<number | null> = {
  default: null,
  help: 'the WebAssembly threads',
  read: (raw) => {
    const t = raw.trim().toLowerCase();
    if (t === 'auto' || t === '') return { ok: true, value: null };
    const v = Number(t);
    return Number.isInteger(v) && v >= 1 && v <= MAX_THREADS ? { ok: true, value: v } : { ok: false, expected: `auto or a whole number from 1 to ${MAX_THREADS}` };
  },
  write: (v) => (v === null ? 'auto' : String(v)),
  same: (a, b) => a === b,
};

const seedField = CONFIG_FIELDS.seed;
const seed: Param<number | null> = {
  default: null,
  help: 'the run’s random seed',
  read: (raw) => {
    const v = Number(raw.trim());
    const ok = raw.trim() !== '' && Number.isInteger(v) && v >= (seedField.min ?? 0) && v <= (seedField.max ?? Infinity);
    return ok ? { ok: true, value: v } : { ok: false, expected: `an integer from ${seedField.min} to ${seedField.max}` };
  },
  write: (v) => String(v),
  same: (a, b) => a === b,
};

/** A comma-separated set; unknown names are reported, the known ones kept (in the table's order). */
const hideList: Param<ControlId[]> = {
  default: [],
  help: 'controls hidden for class',
  read: (raw) => {
    const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = names.filter((n) => !(HIDEABLE as readonly string[]).includes(n));
    if (unknown.length > 0) return { ok: false, expected: `a list of ${HIDEABLE.join(', ')} (unknown: ${unknown.join(', ')})` };
    return { ok: true, value: HIDEABLE.filter((h) => names.includes(h)) };
  },
  write: (v) => HIDEABLE.filter((h) => v.includes(h)).join(','),
  same: (a, b) => a.length === b.length && a.every((x) => b.includes(x)),
};

export const URL_PARAMS: { [K in keyof UrlState]: Param<UrlState[K]> } = {
  preset: choice(Object.keys(PRESETS) as PresetName[], 'classroom', 'the network/image size preset'),
  seed,
  demo: orNone(DEMOS.map((d) => d.name), 'the demo data set to load'),
  backend: choice(BACKEND_CHOICES, 'auto', 'the tfjs backend to force'),
  threads,
  hide: hideList,
  presenter: flag('presenter mode'),
  autostart: flag('start training once the demo is loaded'),
};

export const URL_DEFAULTS: UrlState = Object.fromEntries(
  Object.entries(URL_PARAMS).map(([k, p]) => [k, p.default]),
) as unknown as UrlState;

const KEYS = Object.keys(URL_PARAMS) as (keyof UrlState)[];

export interface Parsed {
  state: UrlState;
  /** One plain sentence per value we could not use. */
  problems: string[];
}

export function parse(search: string): Parsed {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const state = { ...URL_DEFAULTS, hide: [...URL_DEFAULTS.hide] };
  const problems: string[] = [];
  for (const key of KEYS) {
    const raw = params.get(key);
    if (raw === null) continue;
    const p = URL_PARAMS[key] as Param<unknown>;
    const r = p.read(raw);
    if (r.ok) (state as Record<string, unknown>)[key] = r.value;
    else problems.push(`URL parameter ${key}=${raw} is not ${r.expected} (${p.help}); using ${p.default === null ? 'none' : JSON.stringify(p.default)}.`);
  }
  if (state.autostart && !state.demo) problems.push('URL parameter autostart needs demo=… (which demo to train on); not starting.');
  return { state, problems };
}

/**
 * The query string for `state` ('' or '?…'), keeping `previous`'s parameters that the table does not own.
 * Values equal to their default are left out so plain links stay plain.
 */
export function format(state: UrlState, previous = ''): string {
  const params = new URLSearchParams(previous.startsWith('?') ? previous.slice(1) : previous);
  for (const key of KEYS) {
    const p = URL_PARAMS[key] as Param<unknown>;
    if (p.same(state[key], p.default)) params.delete(key);
    else params.set(key, p.write(state[key]));
  }
  // ',' is safe in a query and reads better in a link a teacher types or prints.
  const s = params.toString().replace(/%2C/g, ',');
  return s ? `?${s}` : '';
}
