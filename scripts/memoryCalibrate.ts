/**
 * npx tsx scripts/memoryCalibrate.ts [--iters 2] [--big] [size,ngf,blocks,ndf …]
 * Measured vs estimated peak training memory on Node wasm, to re-calibrate src/train/memoryEstimate.ts.
 *
 * Each config runs in a fresh process (the wasm heap never shrinks: its size after the steps is the peak):
 * build a trainer on synthetic images, run `--iters` iterations, read the heap. The estimate is taken with the
 * pools holding what they hold after those iterations (not full). Then it prints the two factors that fit the
 * measurements best (least squares): copy them into memoryEstimate.ts if they moved.
 * --big adds the Standard and Paper presets (minutes per iteration on a small machine).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { initNodeBackend } from '../src/backend/node';
import { wasmHeapBytes } from '../src/backend/wasmHeap';
import { makeConfig, type CycleGANConfig } from '../src/config';
import { syntheticDomain } from '../src/testing/synthetic';
import { ACTIVATION_FACTOR, PARAM_COPIES, estimateTrainingMemory } from '../src/train/memoryEstimate';
import { CycleGANTrainer } from '../src/train/trainer';

const SMALL = ['64,32,6,32', '64,64,9,64', '96,16,3,16', '128,32,6,32', '128,16,9,64', '192,16,6,16'];
const BIG = ['128,64,6,64', '256,64,9,64'];
const MB = 2 ** 20;

const configOf = (spec: string): CycleGANConfig => {
  const [size, ngf, nBlocks, ndf] = spec.split(',').map(Number);
  return makeConfig({ cropSize: size, loadSize: size, ngf, nBlocks, ndf });
};

/** In the child: one config's heap after `iters` iterations, as JSON on stdout. */
async function measureOne(spec: string, iters: number): Promise<void> {
  await initNodeBackend('wasm');
  const c = configOf(spec);
  const t = new CycleGANTrainer(c, { A: syntheticDomain('a', 2, c.loadSize, 1), B: syntheticDomain('b', 2, c.loadSize, 2) });
  for (let i = 0; i < iters; i++) await t.step();
  console.log(JSON.stringify({ heap: wasmHeapBytes() }));
}

function main(): void {
  const args = process.argv.slice(2);
  const i = args.indexOf('--iters');
  const iters = i >= 0 ? Number(args[i + 1]) : 2;
  const specs = args.filter((a, k) => /^\d+,\d+,\d+,\d+$/.test(a) && args[k - 1] !== '--iters');
  const list = specs.length ? specs : [...SMALL, ...(args.includes('--big') ? BIG : [])];

  console.log('| size | ngf | blocks | ndf | measured heap MB | estimated MB | estimate / measured |');
  console.log('|---|---|---|---|---|---|---|');
  const rows: { measured: number; fixed: number; params: number; acts: number }[] = [];
  for (const spec of list) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--one', spec, '--iters', String(iters)], { encoding: 'utf8' });
    const measured = (JSON.parse(out.trim().split('\n').pop()!) as { heap: number }).heap;
    const c = configOf(spec);
    const e = estimateTrainingMemory({ ...c, poolSize: Math.min(c.poolSize, iters) }); // the pools after `iters` iterations
    const [size, ngf, blocks, ndf] = spec.split(',');
    console.log(`| ${size} | ${ngf} | ${blocks} | ${ndf} | ${(measured / MB).toFixed(0)} | ${(e.peakBytes / MB).toFixed(0)} | ${(e.peakBytes / measured).toFixed(2)} |`);
    const params = e.parts.params / PARAM_COPIES, acts = e.parts.activations / ACTIVATION_FACTOR;
    rows.push({ measured, fixed: e.peakBytes - e.parts.params - e.parts.activations, params, acts });
  }
  // least squares for measured − fixed = a·params + b·acts
  let spp = 0, spa = 0, saa = 0, spy = 0, say = 0;
  for (const r of rows) {
    const y = r.measured - r.fixed;
    spp += r.params ** 2; spa += r.params * r.acts; saa += r.acts ** 2; spy += r.params * y; say += r.acts * y;
  }
  const det = spp * saa - spa * spa;
  if (rows.length >= 2 && det !== 0)
    console.log(`\nbest fit: PARAM_COPIES ${((spy * saa - say * spa) / det).toFixed(2)}, ACTIVATION_FACTOR ${((spp * say - spa * spy) / det).toFixed(2)} (now ${PARAM_COPIES}, ${ACTIVATION_FACTOR})`);
}

const one = process.argv.indexOf('--one');
if (one >= 0) {
  const k = process.argv.indexOf('--iters');
  await measureOne(process.argv[one + 1], k >= 0 ? Number(process.argv[k + 1]) : 2);
} else main();
