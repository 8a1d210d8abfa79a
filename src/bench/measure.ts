/**
 * One bench case in a process of its own (so that its peak memory is its own): builds a trainer on synthetic
 * images, runs `warmup` iterations, times `runs` more, then profiles one iteration for its kernel calls and its
 * tensors' peak. Prints one JSON line (MeasureResult). Run by bench.ts:
 *
 *   tsx src/bench/measure.ts '{"backend":"wasm","config":{...},"warmup":2,"runs":5}'
 */
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend, type NodeBackendName } from '../backend/node';
import { makeConfig, type CycleGANConfig } from '../config';
import { syntheticDomain } from '../testing/synthetic';
import { CycleGANTrainer } from '../train/trainer';

export interface MeasureSpec {
  backend: NodeBackendName;
  config: Partial<CycleGANConfig>;
  warmup: number;
  runs: number;
}

export interface MeasureResult {
  ms: number; // median of the timed iterations
  kernels: number; // kernel calls in one iteration (tf.profile)
  tensorPeakMB: number; // the tensors' peak during that iteration (tf.profile)
  heapMB: number | null; // wasm: the heap's size, which only grows: the run's peak
  rssMB: number; // the process's peak resident memory
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const MB = 2 ** 20;

function wasmHeapBytes(): number | null {
  const b = tf.backend() as { wasm?: { HEAPU8?: Uint8Array } };
  return b.wasm?.HEAPU8 ? b.wasm.HEAPU8.buffer.byteLength : null;
}

export async function measure(spec: MeasureSpec): Promise<MeasureResult> {
  await initNodeBackend(spec.backend);
  const c = makeConfig(spec.config);
  const side = c.loadSize + 8;
  const t = new CycleGANTrainer(c, { A: syntheticDomain('a', 4, side, 1), B: syntheticDomain('b', 4, side, 2) });
  try {
    for (let i = 0; i < spec.warmup; i++) await t.step();
    const times: number[] = [];
    for (let i = 0; i < spec.runs; i++) {
      const t0 = performance.now();
      await t.step(); // awaits the losses: the iteration's work is done
      times.push(performance.now() - t0);
    }
    const p = await tf.profile(async () => {
      await t.step();
    });
    const heap = wasmHeapBytes();
    return {
      ms: median(times),
      kernels: p.kernels.length,
      tensorPeakMB: p.peakBytes / MB,
      heapMB: heap === null ? null : heap / MB,
      rssMB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    t.dispose();
  }
}

if (process.argv[1]?.endsWith('measure.ts')) {
  measure(JSON.parse(process.argv[2]) as MeasureSpec)
    .then((r) => console.log(JSON.stringify(r)))
    .catch((e) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    });
}
