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
import { cpus } from 'node:os';
import { NODE_BACKENDS, type NodeBackendName } from '../backend/node';
import { iterationGflop } from '../train/flops';
import { fmt, listArg, PRESETS, pytorch, runCase, type TorchResult } from './runners';

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
