/**
 * npm run bench [-- --all] [-- --no-pytorch]: ms per training iteration (median of ≥5 after warm-up) for the presets on
 * Node wasm (and cpu at a tiny size — the cpu backend is ~0.4 % of this CPU's peak), with GFLOP/iteration and
 * achieved GFLOP/s. When Debian's python3-torch is installed, runs scripts/bench_pytorch.py on the same config
 * and prints the ratio. --all adds the 128 px Standard preset (tens of seconds per iteration on wasm).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend, type NodeBackendName } from '../backend/node';
import { presetConfig, makeConfig, type CycleGANConfig } from '../config';
import { syntheticDomain } from '../testing/synthetic';
import { CycleGANTrainer } from '../train/trainer';
import { iterationGflop } from './flops';

interface Case {
  label: string;
  backend: NodeBackendName;
  config: CycleGANConfig;
  warmup: number;
  runs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(c: Case): Promise<{ ms: number; peakMB: number }> {
  await initNodeBackend(c.backend);
  const side = c.config.loadSize + 8;
  const t = new CycleGANTrainer(c.config, { A: syntheticDomain('a', 4, side, 1), B: syntheticDomain('b', 4, side, 2) });
  const times: number[] = [];
  let peak = 0;
  try {
    for (let i = 0; i < c.warmup + c.runs; i++) {
      const t0 = performance.now();
      await t.step(); // awaits the losses: the iteration's work is done
      if (i >= c.warmup) times.push(performance.now() - t0);
      peak = Math.max(peak, tf.memory().numBytes);
    }
  } finally {
    t.dispose();
  }
  return { ms: median(times), peakMB: peak / 2 ** 20 };
}

function pytorch(c: CycleGANConfig): { ms: number; threads: number } | null {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return null;
  try {
    const out = execFileSync(py, ['scripts/bench_pytorch.py', '--size', String(c.cropSize), '--ngf', String(c.ngf), '--blocks', String(c.nBlocks), '--ndf', String(c.ndf)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const last = out.trim().split('\n').pop()!;
    const j = JSON.parse(last) as { ms: number; threads: number };
    return { ms: j.ms, threads: j.threads };
  } catch {
    return null; // torch not installed: the table simply has no PyTorch column
  }
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const tiny = makeConfig({ loadSize: 36, cropSize: 32, ngf: 8, nBlocks: 2, ndf: 8 });
  const cases: Case[] = [
    { label: 'tiny 32px ngf8 2 blocks', backend: 'cpu', config: tiny, warmup: 1, runs: 5 },
    { label: 'tiny 32px ngf8 2 blocks', backend: 'wasm', config: tiny, warmup: 2, runs: 7 },
    { label: 'Classroom 64px ngf32 6 blocks ndf32', backend: 'wasm', config: presetConfig('classroom'), warmup: 2, runs: 5 },
  ];
  if (args.has('--all')) cases.push({ label: 'Standard 128px ngf64 6 blocks', backend: 'wasm', config: presetConfig('standard'), warmup: 1, runs: 5 });

  console.log('| config | backend | GFLOP/iter | ms/iter (median) | GFLOP/s | peak tensor MB | PyTorch CPU ms/iter | ratio |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const c of cases) {
    const gflop = iterationGflop(c.config);
    const r = await measure(c);
    const pt = args.has('--no-pytorch') || c.backend !== 'wasm' ? null : pytorch(c.config);
    const ptCol = pt ? `${pt.ms.toFixed(0)} (${pt.threads} thread${pt.threads > 1 ? 's' : ''})` : '—';
    const ratio = pt ? `${(r.ms / pt.ms).toFixed(2)}×` : '—';
    console.log(`| ${c.label} | ${c.backend} | ${gflop.toFixed(2)} | ${r.ms.toFixed(0)} | ${((gflop / r.ms) * 1000).toFixed(1)} | ${r.peakMB.toFixed(0)} | ${ptCol} | ${ratio} |`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
