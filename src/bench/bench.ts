/**
 * npm run bench [-- --preset tiny,classroom,paper] [-- --backend wasm,webgpu,cpu] [-- --no-pytorch]
 *
 * For each preset and backend: ms per training iteration (median after warm-up), GFLOP/s, kernel calls per
 * iteration, peak memory (the tensors' peak, the wasm heap — it only grows, so its size is the run's peak — and
 * the process's peak RSS), and PyTorch 1.13 CPU on the same config in the same run, on one thread and on all
 * of them, with the ratios. Each case runs in a process of its own (measure.ts), so its peak memory is its own.
 * Defaults: tiny on cpu and wasm, Classroom and Paper on wasm. `--backend webgpu` needs a WebGPU adapter
 * (backend/nodeWebgpu.ts); on a machine with a GPU, `npm run bench -- --backend webgpu --preset paper` runs as is.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { NODE_BACKENDS, type NodeBackendName } from '../backend/node';
import { makeConfig, presetConfig, type CycleGANConfig } from '../config';
import { iterationGflop } from '../train/flops';
import type { MeasureResult, MeasureSpec } from './measure';

interface Preset {
  label: string;
  config: CycleGANConfig;
  warmup: number;
  runs: number;
}

const PRESETS: Record<string, Preset> = {
  tiny: { label: 'tiny 32px ngf8 2 blocks', config: makeConfig({ loadSize: 36, cropSize: 32, ngf: 8, nBlocks: 2, ndf: 8 }), warmup: 2, runs: 7 },
  classroom: { label: 'Classroom 64px ngf32 6 blocks', config: presetConfig('classroom'), warmup: 2, runs: 5 },
  standard: { label: 'Standard 128px ngf64 6 blocks', config: presetConfig('standard'), warmup: 1, runs: 3 },
  paper: { label: 'Paper 256px ngf64 9 blocks', config: presetConfig('paper'), warmup: 1, runs: 2 },
};

const PYTHON = '/usr/bin/python3';

/** The comma-separated values of a flag, checked against `allowed`. */
function listArg(argv: string[], flag: string, allowed: readonly string[]): string[] | undefined {
  const i = argv.indexOf(flag);
  if (i < 0) return undefined;
  const values = (argv[i + 1] ?? '').split(',').filter(Boolean);
  const bad = values.filter((v) => !allowed.includes(v));
  if (values.length === 0 || bad.length > 0) throw new Error(`${flag} takes ${allowed.join(', ')} (comma-separated); got '${argv[i + 1] ?? ''}'`);
  return values;
}

/** Runs one case in a child process (tsx measure.ts) and reads its JSON line. */
function runCase(spec: MeasureSpec): MeasureResult | { error: string } {
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/bench/measure.ts', JSON.stringify(spec)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 });
    return JSON.parse(out.trim().split('\n').pop()!) as MeasureResult;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const line = (err.stderr ?? err.message).trim().split('\n').filter(Boolean).pop() ?? 'failed';
    return { error: line.slice(0, 160) };
  }
}

interface TorchResult {
  ms: number;
  threads: number;
  peak_rss_mb: number;
}

/** scripts/bench_pytorch.py on the same config with `threads` threads (its default can be 1); null without Debian's torch. */
function pytorch(p: Preset, threads: number): TorchResult | null {
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

const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function main() {
  const argv = process.argv.slice(2);
  const presets = listArg(argv, '--preset', Object.keys(PRESETS));
  const backends = listArg(argv, '--backend', NODE_BACKENDS) as NodeBackendName[] | undefined;
  const cases: { preset: string; backend: NodeBackendName }[] = presets || backends
    ? (presets ?? ['tiny', 'classroom', 'paper']).flatMap((preset) => (backends ?? ['wasm']).map((backend) => ({ preset, backend })))
    : [
        { preset: 'tiny', backend: 'cpu' },
        { preset: 'tiny', backend: 'wasm' },
        { preset: 'classroom', backend: 'wasm' },
        { preset: 'paper', backend: 'wasm' },
      ];
  const withTorch = !argv.includes('--no-pytorch');
  const torch = new Map<string, { one: TorchResult | null; all: TorchResult | null }>();

  console.log('| config | backend | ms/iter | GFLOP/s | kernel calls/iter | peak tensors MB | wasm heap MB | peak RSS MB | PyTorch 1 thread ms (RSS MB) | ratio | PyTorch all threads ms | ratio |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const { preset, backend } of cases) {
    const p = PRESETS[preset];
    const r = runCase({ backend, config: p.config, warmup: p.warmup, runs: p.runs });
    if (withTorch && !torch.has(preset)) torch.set(preset, { one: pytorch(p, 1), all: pytorch(p, cpus().length) }); // same run, after ours
    const t = torch.get(preset);
    const cols = (x: TorchResult | null | undefined, ms: number | null, rss: boolean): string[] =>
      !x ? ['—', '—'] : [`${fmt(x.ms)}${rss ? ` (${fmt(x.peak_rss_mb)})` : ` (${x.threads} threads)`}`, ms === null ? '—' : `${(ms / x.ms).toFixed(2)}×`];
    if ('error' in r) {
      console.log(`| ${p.label} | ${backend} | failed: ${r.error} | | | | | | ${cols(t?.one, null, true).join(' | ')} | ${cols(t?.all, null, false).join(' | ')} |`);
      continue;
    }
    const gflops = (iterationGflop(p.config) / r.ms) * 1000;
    console.log(
      `| ${p.label} | ${backend} | ${fmt(r.ms)} | ${gflops.toFixed(1)} | ${fmt(r.kernels)} | ${fmt(r.tensorPeakMB)} | ${r.heapMB === null ? '—' : fmt(r.heapMB)} | ${fmt(r.rssMB)} | ${cols(t?.one, r.ms, true).join(' | ')} | ${cols(t?.all, r.ms, false).join(' | ')} |`,
    );
  }
}

main();
