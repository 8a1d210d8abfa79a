/**
 * Times the three convolution kernels (forward, backprop input, backprop filter) on the wasm
 * backend for the CycleGAN "classroom" shapes (64×64 crop, ngf 32, 6 residual blocks, ndf 32),
 * before (stock tfjs-backend-wasm 4.22) and after registerWasmTrainingKernels(), plus the
 * alternative algorithms of each new kernel.
 *
 *   npx tsx src/bench/kernelBench.ts            # wasm before/after
 *   npx tsx src/bench/kernelBench.ts --cpu      # also the cpu backend, for reference
 *   npx tsx src/bench/kernelBench.ts --quick    # fewer repetitions
 *   npx tsx src/bench/kernelBench.ts --standard # the 128 px Standard preset's shapes instead (slow)
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { registerWasmTrainingKernels, setWasmKernelMethods } from '../backend/wasmKernels';
import { wasmBuildInfo } from '../backend/node';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

interface Layer {
  name: string;
  /** 'conv': tf.conv2d(x, w); 'tconv': tf.conv2dTranspose(x, w, out, s, pad) */
  kind: 'conv' | 'tconv';
  x: [number, number, number, number];
  w: [number, number, number, number];
  s: number;
  pad: Pad;
  /** the conv layer's output (conv) or the transposed conv's output (tconv) */
  out: [number, number, number, number];
  /** how many times the layer occurs in one network */
  count: number;
  net: 'G' | 'D';
}

const P1: Pad = [[0, 0], [1, 1], [1, 1], [0, 0]];

/**
 * The convolutions of one CycleGAN (ResnetGenerator with 6 blocks, 3-layer PatchGAN) at crop size S, with ngf = ndf
 * = c: what the official networks run, layer by layer, with the shapes of a batch of one.
 */
export function presetLayers(S: number, c: number): Layer[] {
  const tag = (t: string) => (t.length < 5 ? t.padEnd(5) : `${t}  `); // the names line up in the printed table
  const [h, q] = [S / 2, S / 4], [c2, c4, c8] = [2 * c, 4 * c, 8 * c];
  return [
    { net: 'G', name: `${tag(`c7s1-${c}`)}${S + 6}²×3 →${S}²×${c}`, kind: 'conv', x: [1, S + 6, S + 6, 3], w: [7, 7, 3, c], s: 1, pad: 'valid', out: [1, S, S, c], count: 1 },
    { net: 'G', name: `${tag(`d${c2}`)}${S}²×${c} →${h}²×${c2} s2`, kind: 'conv', x: [1, S, S, c], w: [3, 3, c, c2], s: 2, pad: P1, out: [1, h, h, c2], count: 1 },
    { net: 'G', name: `${tag(`d${c4}`)}${h}²×${c2} →${q}²×${c4} s2`, kind: 'conv', x: [1, h, h, c2], w: [3, 3, c2, c4], s: 2, pad: P1, out: [1, q, q, c4], count: 1 },
    { net: 'G', name: `${tag(`R${c4}`)}${q + 2}²×${c4} →${q}²×${c4}`, kind: 'conv', x: [1, q + 2, q + 2, c4], w: [3, 3, c4, c4], s: 1, pad: 'valid', out: [1, q, q, c4], count: 12 },
    { net: 'G', name: `${tag(`u${c2}`)}T ${q}²×${c4} →${h}²×${c2}`, kind: 'tconv', x: [1, q, q, c4], w: [3, 3, c2, c4], s: 2, pad: 1, out: [1, h, h, c2], count: 1 },
    { net: 'G', name: `${tag(`u${c}`)}T ${h}²×${c2} →${S}²×${c}`, kind: 'tconv', x: [1, h, h, c2], w: [3, 3, c, c2], s: 2, pad: 1, out: [1, S, S, c], count: 1 },
    { net: 'G', name: `${tag(`c7s1-3`)}${S + 6}²×${c} →${S}²×3`, kind: 'conv', x: [1, S + 6, S + 6, c], w: [7, 7, c, 3], s: 1, pad: 'valid', out: [1, S, S, 3], count: 1 },
    { net: 'D', name: `${tag(`C${c}`)}${S}²×3 →${h}²×${c} s2`, kind: 'conv', x: [1, S, S, 3], w: [4, 4, 3, c], s: 2, pad: 1, out: [1, h, h, c], count: 1 },
    { net: 'D', name: `${tag(`C${c2}`)}${h}²×${c} →${q}²×${c2} s2`, kind: 'conv', x: [1, h, h, c], w: [4, 4, c, c2], s: 2, pad: 1, out: [1, q, q, c2], count: 1 },
    { net: 'D', name: `${tag(`C${c4}`)}${q}²×${c2} →${S / 8}²×${c4} s2`, kind: 'conv', x: [1, q, q, c2], w: [4, 4, c2, c4], s: 2, pad: 1, out: [1, S / 8, S / 8, c4], count: 1 },
    { net: 'D', name: `${tag(`C${c8}`)}${S / 8}²×${c4} →${S / 8 - 1}²×${c8}`, kind: 'conv', x: [1, S / 8, S / 8, c4], w: [4, 4, c4, c8], s: 1, pad: 1, out: [1, S / 8 - 1, S / 8 - 1, c8], count: 1 },
    { net: 'D', name: `${tag(`out`)}${S / 8 - 1}²×${c8} →${S / 8 - 2}²×1`, kind: 'conv', x: [1, S / 8 - 1, S / 8 - 1, c8], w: [4, 4, c8, 1], s: 1, pad: 1, out: [1, S / 8 - 2, S / 8 - 2, 1], count: 1 },
  ];
}

/** The Classroom preset (64 px, ngf = ndf = 32) and, for `--standard`, the Standard one (128 px, 64). */
export const CLASSROOM_LAYERS = presetLayers(64, 32);
export const STANDARD_LAYERS = presetLayers(128, 64);

type OpName = 'fwd' | 'bInput' | 'bFilter';

const quick = typeof process !== 'undefined' && process.argv.includes('--quick');

/** Best-of-n wall time (ms) of f (robust on a shared machine); f's result is disposed after each call. */
function time(f: () => Tensor): number {
  const warm = f();
  warm.dataSync();
  warm.dispose();
  const times: number[] = [];
  const budget = quick ? 60 : 250;
  const t0 = performance.now();
  while (times.length < 3 || (times.length < 15 && performance.now() - t0 < budget)) {
    const a = performance.now();
    const r = f();
    r.dataSync();
    times.push(performance.now() - a);
    r.dispose();
  }
  return Math.min(...times);
}

function run(kernel: string, inputs: Record<string, Tensor>, attrs: Record<string, unknown>): Tensor {
  return tf.engine().runKernel(kernel, inputs, attrs as unknown as NamedAttrMap) as Tensor;
}

/**
 * The three ops that one training step of this layer runs (forward, grad wrt input, grad wrt filter).
 * fresh: the filter is new data on every call (a clone), as on the first use after an optimizer
 * update — this includes XNNPACK's weight packing and, after registerWasmTrainingKernels, the
 * filter transform of Conv2DBackpropInput. Otherwise the same filter is reused (later uses in a step).
 */
function ops(l: Layer, fresh: boolean): Record<OpName, () => Tensor> {
  const x = tf.randomNormal(l.x) as Tensor4D;
  const w = tf.randomNormal(l.w) as Tensor4D;
  const g = tf.randomNormal(l.out) as Tensor4D;
  const pad = l.pad;
  const withW = (f: (w: Tensor) => Tensor) => () => {
    if (!fresh) return f(w);
    const w1 = w.clone();
    const r = f(w1);
    w1.dispose();
    return r;
  };
  if (l.kind === 'conv') {
    return {
      fwd: withW((w) => run('Conv2D', { x, filter: w }, { strides: l.s, pad, dataFormat: 'NHWC', dilations: 1 })),
      bInput: withW((w) => run('Conv2DBackpropInput', { dy: g, filter: w }, { strides: l.s, pad, dataFormat: 'NHWC', inputShape: l.x })),
      bFilter: () => run('Conv2DBackpropFilter', { x, dy: g }, { strides: l.s, pad, dataFormat: 'NHWC', filterShape: l.w }),
    };
  }
  // conv2dTranspose(x, w, out): forward = Conv2DBackpropInput(dy=x); its grads are a Conv2D (input)
  // and a Conv2DBackpropFilter(x=dOut, dy=x) (filter).
  return {
    fwd: withW((w) => run('Conv2DBackpropInput', { dy: x, filter: w }, { strides: l.s, pad, dataFormat: 'NHWC', inputShape: l.out })),
    bInput: withW((w) => run('Conv2D', { x: g, filter: w }, { strides: l.s, pad, dataFormat: 'NHWC', dilations: 1 })),
    bFilter: () => run('Conv2DBackpropFilter', { x: g, dy: x }, { strides: l.s, pad, dataFormat: 'NHWC', filterShape: l.w }),
  };
}

function kernelOf(l: Layer, op: OpName): string {
  if (l.kind === 'conv') return op === 'fwd' ? 'Conv2D' : op === 'bInput' ? 'Conv2DBackpropInput' : 'Conv2DBackpropFilter';
  return op === 'fwd' ? 'Conv2DBackpropInput' : op === 'bInput' ? 'Conv2D' : 'Conv2DBackpropFilter';
}

function measure(layers: Layer[], which: OpName[], fresh: boolean, filter?: (l: Layer, op: OpName) => boolean): Map<string, number> {
  const res = new Map<string, number>();
  for (const l of layers) {
    const o = ops(l, fresh);
    for (const op of which) {
      if (!tf.getKernel(kernelOf(l, op), tf.getBackend())) continue;
      if (filter && !filter(l, op)) continue;
      res.set(`${l.name}|${op}`, time(o[op]));
    }
  }
  return res;
}

const fmt = (v: number | undefined): string => (v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));

async function main(): Promise<void> {
  const withCpu = process.argv.includes('--cpu');
  const all: OpName[] = ['fwd', 'bInput', 'bFilter'];
  const L = process.argv.includes('--standard') ? STANDARD_LAYERS : CLASSROOM_LAYERS;
  let cpu = new Map<string, number>();
  if (withCpu) {
    await tf.setBackend('cpu');
    cpu = measure(L, all, true);
  }
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  await tf.ready();
  console.log('wasm build:', JSON.stringify(await wasmBuildInfo()));
  const before = measure(L, all, true);
  const isConv = (l: Layer, op: OpName) => kernelOf(l, op) === 'Conv2D';
  const beforeSame = measure(L, ['fwd', 'bInput'], false, isConv);
  registerWasmTrainingKernels();
  const after = measure(L, all, true);
  const afterSame = measure(L, ['fwd', 'bInput'], false, isConv);
  // alternatives
  setWasmKernelMethods({ filter: 'conv' });
  const conv = measure(L, ['bFilter'], true);
  setWasmKernelMethods({ filter: 'im2col' });
  const im2col = measure(L, ['bFilter'], true);
  const isBI = (l: Layer, op: OpName) => kernelOf(l, op) === 'Conv2DBackpropInput';
  setWasmKernelMethods({ filter: 'auto', input: 'dilate' });
  const dilate = measure(L, ['fwd', 'bInput'], true, isBI);
  setWasmKernelMethods({ input: 'phase' });
  const phase = measure(L, ['fwd', 'bInput'], true, (l, op) => isBI(l, op) && l.s > 1);
  setWasmKernelMethods({ input: 'gemm' });
  const gemm = measure(L, ['fwd', 'bInput'], true, isBI);
  setWasmKernelMethods({ input: 'auto' });

  const head = ['layer', '×', 'op', 'kernel', ...(withCpu ? ['cpu'] : []), 'wasm before', 'after', 'speedup', 'after, same w', 'alternatives (new w)'];
  const rows: string[][] = [];
  for (const l of L) {
    for (const op of all) {
      const key = `${l.name}|${op}`;
      const k = kernelOf(l, op);
      const b = before.get(key);
      const a = after.get(key);
      let alt = '';
      if (k === 'Conv2DBackpropFilter') alt = `conv ${fmt(conv.get(key))} / im2col ${fmt(im2col.get(key))}`;
      if (dilate.has(key)) alt = `dilate ${fmt(dilate.get(key))}` + (phase.has(key) ? ` / phase ${fmt(phase.get(key))}` : '') + ` / gemm ${fmt(gemm.get(key))}`;
      const same = k === 'Conv2D' ? fmt(afterSame.get(key)) : '';
      const row = [l.name, String(l.count), op, k, ...(withCpu ? [fmt(cpu.get(key))] : [])];
      row.push(b === undefined ? 'missing' : fmt(b), fmt(a), b !== undefined && a ? `${(b / a).toFixed(1)}×` : '', same, alt);
      rows.push(row);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log('\nbest-of-n ms per call, batch 1; "new w" = filter data new on each call, "same w" = reused');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));

  // Conv work of one CycleGAN step. Each generator runs 3 forward+backward passes per step (cycle,
  // other cycle, identity), each discriminator ~3. Only a forward Conv2D sees the same filter data
  // again (XNNPACK keeps its packed weights per filter id): the engine clones every tensor saved for
  // backward, so all gradient kernels get new filter data on every call.
  const PASSES = 3;
  const sum = (net: 'G' | 'D', m: Map<string, number>, mSame: Map<string, number>, ops: OpName[]) =>
    L.filter((l) => l.net === net).reduce((s, l) => {
      let t = 0;
      for (const op of ops) {
        const key = `${l.name}|${op}`;
        const isFwdConv = op === 'fwd' && kernelOf(l, op) === 'Conv2D';
        const first = m.get(key) ?? 0;
        t += isFwdConv ? first + (PASSES - 1) * (mSame.get(key) ?? first) : PASSES * first;
      }
      return s + t * l.count;
    }, 0);
  console.log(`\nconv work of one CycleGAN step, ms (2 generators + 2 discriminators, ${PASSES} forward+backward passes each):`);
  let tb = 0;
  let ta = 0;
  let taAll = 0;
  for (const net of ['G', 'D'] as const) {
    const b = 2 * sum(net, before, beforeSame, ['fwd', 'bInput']);
    const a = 2 * sum(net, after, afterSame, ['fwd', 'bInput']);
    const aAll = 2 * sum(net, after, afterSame, all);
    tb += b;
    ta += a;
    taAll += aAll;
    console.log(
      `  ${net}: stock ${fmt(b)} (forward + input grads; filter grads impossible)  ->  new ${fmt(a)} for the same ops (${(b / a).toFixed(1)}×), ${fmt(aAll)} incl. filter grads` +
        (withCpu ? `   [cpu backend, all: ${fmt(2 * sum(net, cpu, cpu, all))}]` : ''),
    );
  }
  console.log(`  total: stock ${fmt(tb)}  ->  new ${fmt(ta)} (${(tb / ta).toFixed(1)}×), ${fmt(taAll)} incl. filter grads`);
}

const isMain = typeof process !== 'undefined' && process.argv[1] && /kernelBench\.[cm]?[tj]s$/.test(process.argv[1]);
if (isMain) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
