/**
 * What the benchmarks share: the configurations they time, one Node case in a process of its own (measure.ts), and
 * PyTorch 1.13 CPU on the same configuration (scripts/bench_pytorch.py) as the baseline.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { makeConfig, presetConfig, type CycleGANConfig } from '../config';
import type { MeasureResult, MeasureSpec } from './measure';

export interface Preset {
  label: string;
  config: CycleGANConfig;
  warmup: number;
  runs: number;
}

export const PRESETS: Record<string, Preset> = {
  tiny: { label: 'tiny 32px ngf8 2 blocks', config: makeConfig({ loadSize: 36, cropSize: 32, ngf: 8, nBlocks: 2, ndf: 8 }), warmup: 2, runs: 7 },
  classroom: { label: 'Classroom 64px ngf32 6 blocks', config: presetConfig('classroom'), warmup: 2, runs: 5 },
  standard: { label: 'Standard 128px ngf64 6 blocks', config: presetConfig('standard'), warmup: 1, runs: 3 },
  paper: { label: 'Paper 256px ngf64 9 blocks', config: presetConfig('paper'), warmup: 1, runs: 2 },
};

const PYTHON = '/usr/bin/python3';

/** The comma-separated values of a flag, checked against `allowed`. */
export function listArg(argv: string[], flag: string, allowed: readonly string[]): string[] | undefined {
  const i = argv.indexOf(flag);
  if (i < 0) return undefined;
  const values = (argv[i + 1] ?? '').split(',').filter(Boolean);
  const bad = values.filter((v) => !allowed.includes(v));
  if (values.length === 0 || bad.length > 0) throw new Error(`${flag} takes ${allowed.join(', ')} (comma-separated); got '${argv[i + 1] ?? ''}'`);
  return values;
}

/** Runs one case in a child process (tsx measure.ts) and reads its JSON line. */
export function runCase(spec: MeasureSpec): MeasureResult | { error: string } {
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/bench/measure.ts', JSON.stringify(spec)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 });
    return JSON.parse(out.trim().split('\n').pop()!) as MeasureResult;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const line = (err.stderr ?? err.message).trim().split('\n').filter(Boolean).pop() ?? 'failed';
    return { error: line.slice(0, 160) };
  }
}

export interface TorchResult {
  ms: number;
  threads: number;
  peak_rss_mb: number;
}

/** scripts/bench_pytorch.py on the same config with `threads` threads (its default can be 1); null without Debian's torch. */
export function pytorch(p: Preset, threads: number): TorchResult | null {
  if (!existsSync(PYTHON)) return null;
  const c = p.config;
  const args = ['scripts/bench_pytorch.py', '--size', String(c.cropSize), '--ngf', String(c.ngf), '--blocks', String(c.nBlocks), '--ndf', String(c.ndf), '--threads', String(threads), '--warmup', String(Math.max(1, p.warmup)), '--iters', String(p.runs)];
  try {
    const out = execFileSync(PYTHON, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return JSON.parse(out.trim().split('\n').pop()!) as TorchResult;
  } catch {
    return null; // torch not installed: the table has no PyTorch columns
  }
}

export const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
