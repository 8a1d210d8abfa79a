/** Flag parsing helpers shared by the CLI commands: numbers are checked, and errors name the flag. */
import { NODE_BACKENDS, type NodeBackendName } from '../backend/node';
import { UsageError } from './errors';

export type Flags = Record<string, string | boolean | undefined>;

export function intFlag(flags: Flags, name: string): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n)) throw new UsageError(`--${name} must be an integer; got '${String(v)}'`);
  return n;
}

export function numFlag(flags: Flags, name: string): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number; got '${String(v)}'`);
  return n;
}

export function strFlag(flags: Flags, name: string, required = false): string | undefined {
  const v = flags[name];
  if (v === undefined && required) throw new UsageError(`--${name} is required`);
  if (v !== undefined && typeof v !== 'string') throw new UsageError(`--${name} needs a value`);
  return v as string | undefined;
}

export function backendFlag(flags: Flags): NodeBackendName {
  const b = strFlag(flags, 'backend') ?? 'wasm';
  if (!(NODE_BACKENDS as readonly string[]).includes(b)) throw new UsageError(`--backend must be ${NODE_BACKENDS.join(', ')}; got '${b}'`);
  return b as NodeBackendName;
}
