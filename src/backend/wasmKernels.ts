/**
 * Training kernels for the TensorFlow.js WASM backend (tfjs-backend-wasm 4.22).
 *
 * The stock wasm backend can run a CNN forward but cannot train one:
 *  - it has no `Conv2DBackpropFilter` kernel at all (the weight gradient of every conv), and
 *  - its `Conv2DBackpropInput` (the input gradient of every conv *and* the forward op of
 *    tf.conv2dTranspose) is a scalar C loop, 5–25× slower than XNNPACK on CycleGAN's shapes.
 *
 * Both are built here from the backend's own XNNPACK kernels (Conv2D, BatchMatMul = XNNPACK
 * fully-connected) and Transpose, plus data movement done in JS directly on the wasm heap.
 * Each has several algorithms; 'auto' picks per shape from measurements (kernelBench.ts):
 *
 *  Conv2DBackpropFilter
 *   'im2col' (most layers): a "wide" im2col of x written in JS (one memcpy per tap and channel, see
 *      backpropFilterIm2col) times dy as one GEMM → [KH·KW·Ci, Co], already tfjs's filter layout.
 *   'conv' (Co < 8 or KH·KW·Ci < 64): one XNNPACK convolution with the channels as the batch:
 *      x' = x transposed to [Ci, H, W, N], dy' = dy as [OH, OW, N, Co] used as the *filter*,
 *      stride 1, dilation = the forward stride, the forward pads; out [Ci, KH', KW', Co] sliced
 *      and transposed in JS to [KH, KW, Ci, Co].
 *
 *  Conv2DBackpropInput
 *   'dilate' (stride 1): dx = XNNPACK conv of dy padded by K-1-pad with the spatially flipped,
 *      in/out-swapped filter (stride > 1 would need zeros inserted into dy: kept for reference).
 *   'phase' (stride > 1): sub-pixel decomposition, one stride-1 convolution per output phase with
 *      the taps of that phase, interleaved into dx in JS — multiplies no inserted zeros.
 *   'gemm' (big filters on small maps, or Ci < 8): cols = w[K, Co] · dy^T (the filter is the GEMM
 *      input as it lies in memory, no transform or weight packing), then col2im in JS.
 *
 *  Reverse: a JS block-copy version of the stock (≈13 ns/element) kernel; the exact reflection-pad
 *   gradient reverses border strips of dy a few hundred times per CycleGAN step.
 *
 * Nothing is cached across calls: the tfjs engine clones every tensor it saves for the backward
 * pass, so the filter reaching a gradient kernel is new data on every call anyway.
 *
 * The module imports only '@tensorflow/tfjs' (no Node built-ins), so the same code runs in
 * Node, in a browser page and in a Web Worker. The wasm backend module must have been imported
 * (so its kernels are registered) before `registerWasmTrainingKernels()` is called.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo, NamedAttrMap, KernelConfig, KernelFunc } from '@tensorflow/tfjs';

const { backend_util } = tf;

type TypedArray = Float32Array | Int32Array | Uint8Array;

/** The part of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): TypedArray;
  disposeData(dataId: object, force?: boolean): boolean;
}

type Pair = [number, number];
type ExplicitPadding = [Pair, Pair, Pair, Pair];
type PadArg = 'same' | 'valid' | number | ExplicitPadding;

export type BackpropFilterMethod = 'conv' | 'im2col' | 'auto';
export type BackpropInputMethod = 'dilate' | 'phase' | 'gemm' | 'auto' | 'stock';

export interface WasmKernelOptions {
  /** Conv2DBackpropFilter algorithm; 'auto' (default) picks per shape (chooseFilterMethod). */
  filter: BackpropFilterMethod;
  /**
   * Conv2DBackpropInput algorithm; 'auto' (default) picks per shape (chooseInputMethod).
   * 'stock' runs tfjs-backend-wasm's own scalar kernel (for comparisons).
   */
  input: BackpropInputMethod;
}

const options: WasmKernelOptions = { filter: 'auto', input: 'auto' };

/** Selects the algorithms (for benchmarks and tests). */
export function setWasmKernelMethods(m: Partial<WasmKernelOptions>): void {
  Object.assign(options, m);
}

// ---------------------------------------------------------------------------------------------
// Access to the wasm backend's own kernels.

type RawKernelFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: NamedAttrMap }) => TensorInfo;

function wasmKernel(name: string): RawKernelFunc {
  const k = tf.getKernel(name, 'wasm');
  if (!k) {
    throw new Error(
      `registerWasmTrainingKernels: the wasm kernel '${name}' is not registered; import '@tensorflow/tfjs-backend-wasm' first.`,
    );
  }
  return k.kernelFunc as unknown as RawKernelFunc;
}

let conv2dK: RawKernelFunc;
let stockBackpropInput: RawKernelFunc | undefined;
let transposeK: RawKernelFunc;
let batchMatMulK: RawKernelFunc;

function conv2dRaw(
  backend: WasmBackendLike,
  x: TensorInfo,
  filter: TensorInfo,
  pads: [number, number, number, number], // top, bottom, left, right (all ≥ 0)
  dilations: [number, number] = [1, 1],
): TensorInfo {
  return conv2dK({
    inputs: { x, filter },
    backend,
    attrs: {
      strides: [1, 1],
      pad: [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]],
      dataFormat: 'NHWC',
      dilations,
      dimRoundingMode: undefined,
    } as unknown as NamedAttrMap,
  });
}

function transposeRaw(backend: WasmBackendLike, x: TensorInfo, perm: number[]): TensorInfo {
  return transposeK({ inputs: { x }, backend, attrs: { perm } as unknown as NamedAttrMap });
}

/** A different-shape view of the same data, for read-only use as a kernel input (never disposed). */
function view(x: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

function f32(backend: WasmBackendLike, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

function pair(v: number | number[]): Pair {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

function checkChannelsLast(kernel: string, dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`wasm ${kernel}: only dataFormat 'NHWC' is supported, got '${String(dataFormat)}'.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Conv2DBackpropFilter

interface FilterArgs {
  x: TensorInfo;
  dy: TensorInfo;
  N: number;
  H: number;
  W: number;
  Ci: number;
  OH: number;
  OW: number;
  Co: number;
  KH: number;
  KW: number;
  sH: number;
  sW: number;
  pT: number;
  pL: number;
}

/** dW via one XNNPACK convolution with channels as batch (dilation = stride). */
function backpropFilterConv(backend: WasmBackendLike, a: FilterArgs): TensorInfo {
  const { x, dy, N, H, W, Ci, OH, OW, Co, KH, KW, sH, sW, pT, pL } = a;
  // Pads so that every tap position (OH-1)*s + kh - pT (kh < KH) is covered; extra rows are sliced off.
  const pB = Math.max(0, (OH - 1) * sH + KH - H - pT);
  const pR = Math.max(0, (OW - 1) * sW + KW - W - pL);
  const xT = transposeRaw(backend, x, [3, 1, 2, 0]); // [Ci, H, W, N]
  const dyT = N === 1 ? view(dy, [OH, OW, 1, Co]) : transposeRaw(backend, dy, [1, 2, 0, 3]); // [OH, OW, N, Co]
  const r = conv2dRaw(backend, xT, dyT, [pT, pB, pL, pR], [sH, sW]); // [Ci, KH2, KW2, Co]
  backend.disposeData(xT.dataId);
  if (N !== 1) backend.disposeData(dyT.dataId);
  const KH2 = r.shape[1];
  const KW2 = r.shape[2];
  const out = backend.makeOutput([KH, KW, Ci, Co], 'float32');
  const src = f32(backend, r);
  const dst = f32(backend, out);
  // out[kh, kw, ci, :] = r[ci, kh, kw, :]
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const dBase = (kh * KW + kw) * Ci * Co;
      for (let ci = 0; ci < Ci; ci++) {
        const s = ((ci * KH2 + kh) * KW2 + kw) * Co;
        dst.set(src.subarray(s, s + Co), dBase + ci * Co);
      }
    }
  }
  backend.disposeData(r.dataId);
  return out;
}

/**
 * dW via a "wide" im2col (built in JS on the heap) and one BatchMatMul (XNNPACK fully-connected):
 * dW[(kh,kw,ci), co] = Σ_p A[(kh,kw,ci), p] · dy'[p, co].
 *
 * x is first zero-padded and split into stride phases, xq[rh, rw, ci, n, i, j] = xpad[n, i·sH+rh,
 * j·sW+rw, ci] (Hq × Wq per plane, Wq = OW + ⌊(KW-1)/sW⌋). Then for every tap (kh, kw) and channel
 * the im2col row is ONE contiguous run of OH·Wq values of a phase plane, starting at
 * (⌊kh/sH⌋, ⌊kw/sW⌋): the columns j ≥ OW are wrap-around values, cancelled by zero columns in
 * dy' = dy padded to [N, OH, Wq, Co]. This costs (Wq/OW - 1) extra MACs (≈ 6–12 %) but turns the
 * im2col into a few large memcpys instead of one short copy per output row.
 */
function backpropFilterIm2col(backend: WasmBackendLike, a: FilterArgs): TensorInfo {
  const { x, dy, N, H, W, Ci, OH, OW, Co, KH, KW, sH, sW, pT, pL } = a;
  const Hq = OH + Math.floor((KH - 1) / sH);
  const Wq = OW + Math.floor((KW - 1) / sW);
  const plane = Hq * Wq;
  const run = OH * Wq;
  const P = N * run;
  const K = KH * KW * Ci;
  // xc: x as [Ci, N, H, W] (wasm transpose; a no-op copy when Ci == 1)
  const xc = Ci === 1 ? null : transposeRaw(backend, x, [3, 0, 1, 2]);
  // + one spare plane so the last run may overflow its plane by < Wq values
  const xq = backend.makeOutput([sH * sW * Ci * N + 1, Hq, Wq], 'float32');
  const cols = backend.makeOutput([1, K, P], 'float32');
  const dyp = Wq === OW ? null : backend.makeOutput([1, P, Co], 'float32');
  const xs = f32(backend, xc ?? x);
  const q = f32(backend, xq);
  q.fill(0);
  for (let rh = 0; rh < sH; rh++) {
    // rows i of phase rh read x row ih = i*sH + rh - pT
    const iLo = Math.max(0, Math.ceil((pT - rh) / sH));
    const iHi = Math.min(Hq, Math.floor((H - 1 + pT - rh) / sH) + 1);
    for (let rw = 0; rw < sW; rw++) {
      const jLo = Math.max(0, Math.ceil((pL - rw) / sW));
      const jHi = Math.min(Wq, Math.floor((W - 1 + pL - rw) / sW) + 1);
      if (iHi <= iLo || jHi <= jLo) continue;
      for (let cn = 0; cn < Ci * N; cn++) {
        const qBase = ((rh * sW + rw) * Ci * N + cn) * plane;
        const xBase = cn * H * W; // xc is [Ci, N, H, W]; index cn = ci*N + n
        for (let i = iLo; i < iHi; i++) {
          const xr = xBase + (i * sH + rh - pT) * W + rw - pL;
          const qr = qBase + i * Wq;
          if (sW === 1) {
            q.set(xs.subarray(xr + jLo, xr + jHi), qr + jLo);
          } else {
            for (let j = jLo; j < jHi; j++) q[qr + j] = xs[xr + j * sW];
          }
        }
      }
    }
  }
  if (xc) backend.disposeData(xc.dataId);
  const A = f32(backend, cols);
  for (let kh = 0; kh < KH; kh++) {
    const rh = kh % sH;
    const dh = Math.floor(kh / sH);
    for (let kw = 0; kw < KW; kw++) {
      const rw = kw % sW;
      const off = dh * Wq + Math.floor(kw / sW);
      for (let ci = 0; ci < Ci; ci++) {
        const row = ((kh * KW + kw) * Ci + ci) * P;
        for (let n = 0; n < N; n++) {
          const src = ((rh * sW + rw) * Ci * N + ci * N + n) * plane + off;
          A.set(q.subarray(src, src + run), row + n * run);
        }
      }
    }
  }
  backend.disposeData(xq.dataId);
  let b: TensorInfo = view(dy, [1, P, Co]);
  if (dyp) {
    const d = f32(backend, dyp);
    const g = f32(backend, dy);
    const rowLen = OW * Co;
    for (let r = 0; r < N * OH; r++) {
      const o = r * Wq * Co;
      d.set(g.subarray(r * rowLen, (r + 1) * rowLen), o);
      d.fill(0, o + rowLen, o + Wq * Co);
    }
    b = dyp;
  }
  const out = batchMatMulK({
    inputs: { a: cols, b },
    backend,
    attrs: { transposeA: false, transposeB: false } as unknown as NamedAttrMap,
  });
  backend.disposeData(cols.dataId);
  if (dyp) backend.disposeData(dyp.dataId);
  out.shape = [KH, KW, Ci, Co];
  return out;
}

function conv2DBackpropFilter(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: NamedAttrMap }): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, dy } = args.inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as {
    strides: number | [number, number];
    pad: PadArg;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  checkChannelsLast('Conv2DBackpropFilter', dataFormat);
  const convInfo = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const [N, H, W, Ci] = x.shape;
  const [, OH, OW, Co] = dy.shape;
  const [KH, KW] = filterShape;
  const [sH, sW] = pair(strides);
  const a: FilterArgs = { x, dy, N, H, W, Ci, OH, OW, Co, KH, KW, sH, sW, pT: convInfo.padInfo.top, pL: convInfo.padInfo.left };
  if (a.pT < 0 || a.pL < 0) throw new Error('wasm Conv2DBackpropFilter: negative padding is not supported.');
  let method = options.filter;
  if (method === 'auto') method = chooseFilterMethod(a);
  return method === 'im2col' ? backpropFilterIm2col(backend, a) : backpropFilterConv(backend, a);
}

/**
 * im2col + GEMM wins unless the GEMM is tiny in one dimension: XNNPACK's GEMM tiles 8 output
 * channels (Co < 8 wastes most of it), and for small K = KH·KW·Ci the fixed costs dominate
 * (see kernelBench.ts: C32 4×4×3→32, c7s1-3 7×7×32→3, out 4×4×256→1 prefer 'conv').
 */
function chooseFilterMethod(a: FilterArgs): 'conv' | 'im2col' {
  return a.Co < 8 || a.KH * a.KW * a.Ci < 64 ? 'conv' : 'im2col';
}

// ---------------------------------------------------------------------------------------------
// Conv2DBackpropInput

/**
 * The filter of the equivalent forward convolution: wf[m, q, co, ci] = w[kh(m), kw(q), ci, co] with
 * kh(m) = rH + (MH-1-m)·sH (all taps flipped when rH = 0, sH = 1; one stride phase otherwise).
 * The in/out swap is one wasm Transpose of w; the flip / tap selection is a copy of whole
 * [Co, Ci] blocks.
 */
function flippedFilter(
  backend: WasmBackendLike,
  filter: TensorInfo,
  rH = 0,
  rW = 0,
  sH = 1,
  sW = 1,
): TensorInfo {
  const [KH, KW, Ci, Co] = filter.shape;
  const MH = Math.ceil((KH - rH) / sH);
  const MW = Math.ceil((KW - rW) / sW);
  const block = Ci * Co;
  const wt = transposeRaw(backend, view(filter, [KH * KW, Ci, Co]), [0, 2, 1]); // [KH*KW, Co, Ci]
  const out = backend.makeOutput([MH, MW, Co, Ci], 'float32');
  const src = f32(backend, wt);
  const dst = f32(backend, out);
  for (let m = 0; m < MH; m++) {
    const kh = rH + (MH - 1 - m) * sH;
    for (let q = 0; q < MW; q++) {
      const kw = rW + (MW - 1 - q) * sW;
      const s = (kh * KW + kw) * block;
      dst.set(src.subarray(s, s + block), (m * MW + q) * block);
    }
  }
  backend.disposeData(wt.dataId);
  return out;
}

interface InputArgs {
  dy: TensorInfo;
  filter: TensorInfo;
  N: number;
  H: number;
  W: number;
  Ci: number;
  OH: number;
  OW: number;
  Co: number;
  KH: number;
  KW: number;
  sH: number;
  sW: number;
  pT: number;
  pL: number;
}

/** dx = conv(zero-dilated, zero-padded dy, flipped filter), stride 1, 'valid'. */
function backpropInputDilate(backend: WasmBackendLike, a: InputArgs): TensorInfo {
  const { dy, filter, N, H, W, OH, OW, Co, KH, KW, sH, sW, pT, pL } = a;
  const topPad = KH - 1 - pT;
  const leftPad = KW - 1 - pL;
  const HP = H + KH - 1;
  const WP = W + KW - 1;
  const bottomPad = HP - ((OH - 1) * sH + 1) - topPad;
  const rightPad = WP - ((OW - 1) * sW + 1) - leftPad;
  const wf = flippedFilter(backend, filter);
  let out: TensorInfo;
  if (sH === 1 && sW === 1 && topPad >= 0 && leftPad >= 0 && bottomPad >= 0 && rightPad >= 0) {
    out = conv2dRaw(backend, dy, wf, [topPad, bottomPad, leftPad, rightPad]);
  } else {
    const buf = backend.makeOutput([N, HP, WP, Co], 'float32');
    const src = f32(backend, dy);
    const dst = f32(backend, buf);
    dst.fill(0);
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < OH; oh++) {
        const r = topPad + oh * sH;
        if (r < 0 || r >= HP) continue;
        for (let ow = 0; ow < OW; ow++) {
          const c = leftPad + ow * sW;
          if (c < 0 || c >= WP) continue;
          const s = ((n * OH + oh) * OW + ow) * Co;
          dst.set(src.subarray(s, s + Co), ((n * HP + r) * WP + c) * Co);
        }
      }
    }
    out = conv2dRaw(backend, buf, wf, [0, 0, 0, 0]);
    backend.disposeData(buf.dataId);
  }
  backend.disposeData(wf.dataId);
  return out;
}

/**
 * Sub-pixel decomposition for stride > 1. An output row i = q*sH + rH - pT (phase rH = (i+pT) mod sH)
 * only receives taps kh ≡ rH (mod sH): dx[q*s + r - pT] = Σ_m dy[q - m] · w[r + m*s]. Each of the
 * sH·sW phases is a stride-1 convolution of dy with a sub-filter of ceil((K - r)/s) taps; the
 * results are interleaved into dx. This multiplies no inserted zeros (s² fewer MACs than 'dilate').
 */
function backpropInputPhase(backend: WasmBackendLike, a: InputArgs): TensorInfo {
  const { dy, filter, N, H, W, Ci, OH, OW, Co, KH, KW, sH, sW, pT, pL } = a;
  const out = backend.makeOutput([N, H, W, Ci], 'float32');
  // With K < s some phases get no taps at all: their outputs stay zero.
  if (KH < sH || KW < sW) f32(backend, out).fill(0);
  for (let rH = 0; rH < sH; rH++) {
    for (let rW = 0; rW < sW; rW++) {
      const MH = rH < KH ? Math.ceil((KH - rH) / sH) : 0;
      const MW = rW < KW ? Math.ceil((KW - rW) / sW) : 0;
      // output rows of this phase: i = q*sH + rH - pT in [0, H)
      const qH0 = Math.ceil((pT - rH) / sH);
      const qH1 = Math.floor((H - 1 + pT - rH) / sH); // inclusive
      const qW0 = Math.ceil((pL - rW) / sW);
      const qW1 = Math.floor((W - 1 + pL - rW) / sW);
      const QH = qH1 - qH0 + 1;
      const QW = qW1 - qW0 + 1;
      if (QH <= 0 || QW <= 0) continue;
      if (MH === 0 || MW === 0) continue; // no taps reach this phase (zeroed above)
      // correlation: res[u] = Σ_{m'} dyPadded[u + m'] g[m'], dyPadded[j] = dy[j + qH0 - MH + 1]
      const top = MH - 1 - qH0;
      const left = MW - 1 - qW0;
      const bottom = QH + MH - 1 - OH - top;
      const right = QW + MW - 1 - OW - left;
      const g = flippedFilter(backend, filter, rH, rW, sH, sW); // [MH, MW, Co, Ci]
      let res: TensorInfo;
      if (top >= 0 && left >= 0 && bottom >= 0 && right >= 0) {
        res = conv2dRaw(backend, dy, g, [top, bottom, left, right]);
      } else {
        // rare (pads larger than the filter): build the padded/cropped input explicitly
        const HP = QH + MH - 1;
        const WP = QW + MW - 1;
        const buf = backend.makeOutput([N, HP, WP, Co], 'float32');
        const src = f32(backend, dy);
        const dst = f32(backend, buf);
        dst.fill(0);
        for (let n = 0; n < N; n++) {
          for (let j = 0; j < HP; j++) {
            const oh = j - top;
            if (oh < 0 || oh >= OH) continue;
            const c0 = Math.max(0, left);
            const c1 = Math.min(WP, OW + left);
            if (c1 <= c0) continue;
            const s = ((n * OH + oh) * OW + (c0 - left)) * Co;
            dst.set(src.subarray(s, s + (c1 - c0) * Co), ((n * HP + j) * WP + c0) * Co);
          }
        }
        res = conv2dRaw(backend, buf, g, [0, 0, 0, 0]);
        backend.disposeData(buf.dataId);
      }
      backend.disposeData(g.dataId);
      // scatter res[n, u, v, :] -> out[n, (u+qH0)*sH + rH - pT, (v+qW0)*sW + rW - pL, :]
      const rs = f32(backend, res);
      const o = f32(backend, out);
      for (let n = 0; n < N; n++) {
        for (let u = 0; u < QH; u++) {
          const i = (u + qH0) * sH + rH - pT;
          const oRow = (n * H + i) * W;
          const rRow = (n * QH + u) * QW;
          if (sW === 1) {
            const j0 = qW0 + rW - pL;
            o.set(rs.subarray(rRow * Ci, (rRow + QW) * Ci), (oRow + j0) * Ci);
          } else {
            for (let v = 0; v < QW; v++) {
              const j = (v + qW0) * sW + rW - pL;
              const s = (rRow + v) * Ci;
              o.set(rs.subarray(s, s + Ci), (oRow + j) * Ci);
            }
          }
        }
      }
      backend.disposeData(res.dataId);
    }
  }
  return out;
}

/**
 * dx via one GEMM and col2im: cols[(kh,kw,ci), p] = Σ_co w[kh,kw,ci,co] · dy[p, co], i.e. the
 * filter as it lies in memory ([K, Co], the GEMM's *input*: no weight transform or packing of the
 * filter) times dy^T as the (small, packed) weights, then dx[n, oh·s+kh-pT, ow·s+kw-pL, ci] +=
 * cols[(kh,kw,ci), (n,oh,ow)] in JS. Multiplies no inserted zeros at any stride.
 */
function backpropInputGemm(backend: WasmBackendLike, a: InputArgs): TensorInfo {
  const { dy, filter, N, H, W, Ci, OH, OW, Co, KH, KW, sH, sW, pT, pL } = a;
  const P = N * OH * OW;
  const K = KH * KW * Ci;
  const dyT = transposeRaw(backend, view(dy, [P, Co]), [1, 0]); // [Co, P]
  const cols = batchMatMulK({
    inputs: { a: view(filter, [1, K, Co]), b: view(dyT, [1, Co, P]) },
    backend,
    attrs: { transposeA: false, transposeB: false } as unknown as NamedAttrMap,
  }); // [1, K, P]
  backend.disposeData(dyT.dataId);
  const out = backend.makeOutput([N, H, W, Ci], 'float32');
  const c = f32(backend, cols);
  const dx = f32(backend, out);
  dx.fill(0);
  for (let kh = 0; kh < KH; kh++) {
    const ohLo = Math.max(0, Math.ceil((pT - kh) / sH));
    const ohHi = Math.min(OH, Math.floor((H - 1 + pT - kh) / sH) + 1);
    for (let kw = 0; kw < KW; kw++) {
      const owLo = Math.max(0, Math.ceil((pL - kw) / sW));
      const owHi = Math.min(OW, Math.floor((W - 1 + pL - kw) / sW) + 1);
      if (owHi <= owLo) continue;
      const step = sW * Ci;
      for (let ci = 0; ci < Ci; ci++) {
        const row = ((kh * KW + kw) * Ci + ci) * P;
        for (let n = 0; n < N; n++) {
          for (let oh = ohLo; oh < ohHi; oh++) {
            const ih = oh * sH + kh - pT;
            let d = ((n * H + ih) * W + owLo * sW + kw - pL) * Ci + ci;
            let s = row + (n * OH + oh) * OW + owLo;
            const end = s + (owHi - owLo);
            for (; s < end; s++, d += step) dx[d] += c[s];
          }
        }
      }
    }
  }
  backend.disposeData(cols.dataId);
  return out;
}

/**
 * Measured on the classroom and standard presets' shapes (kernelBench.ts [--standard]):
 * the conv forms pay a filter transform + XNNPACK weight packing ∝ K·Co per call and run XNNPACK with
 * Ci output channels; 'gemm' pays packing ∝ P·Co and a JS col2im ∝ K·P, and runs the GEMM with Co as
 * its reduction. So: tiny Co → conv form; tiny Ci → gemm; otherwise gemm when P < 4·Co (big filters
 * on small images: residual blocks at 16², the discriminator's deep layers).
 */
function chooseInputMethod(a: InputArgs): 'dilate' | 'phase' | 'gemm' {
  const conv = a.sH === 1 && a.sW === 1 ? 'dilate' : 'phase';
  if (a.Co < 8) return conv;
  if (a.Ci < 8) return 'gemm';
  return a.N * a.OH * a.OW < 4 * a.Co ? 'gemm' : conv;
}

function conv2DBackpropInput(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: NamedAttrMap }): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { dy, filter } = args.inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as {
    strides: number | [number, number];
    pad: PadArg;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number];
  };
  checkChannelsLast('Conv2DBackpropInput', dataFormat);
  const convInfo = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const [N, H, W, Ci] = inputShape;
  const [, OH, OW, Co] = dy.shape;
  const [KH, KW] = filter.shape;
  const [sH, sW] = pair(strides);
  const a: InputArgs = { dy, filter, N, H, W, Ci, OH, OW, Co, KH, KW, sH, sW, pT: convInfo.padInfo.top, pL: convInfo.padInfo.left };
  let method = options.input;
  if (method === 'stock' && stockBackpropInput) return stockBackpropInput(args as Parameters<RawKernelFunc>[0]);
  if (method === 'auto' || method === 'stock') method = chooseInputMethod(a);
  if (method === 'gemm') return backpropInputGemm(backend, a);
  return method === 'phase' ? backpropInputPhase(backend, a) : backpropInputDilate(backend, a);
}

// ---------------------------------------------------------------------------------------------
// Reverse (not missing, but the stock C++ kernel costs ~13 ns per element; the exact reflection-pad
// gradient reverses dy's border strips, so it runs a few hundred times per CycleGAN step)

let stockReverse: RawKernelFunc | undefined;

function reverseKernel(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: NamedAttrMap }): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x } = args.inputs;
  const { dims } = args.attrs as unknown as { dims: number | number[] };
  const shape = x.shape;
  const rank = shape.length;
  if (x.dtype === 'string' || rank === 0) return stockReverse!(args as Parameters<RawKernelFunc>[0]);
  const axes = new Set((Array.isArray(dims) ? dims : [dims]).map((a) => (a < 0 ? a + rank : a)).filter((a) => shape[a] > 1));
  const out = backend.makeOutput(shape.slice(), x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  if (axes.size === 0) {
    dst.set(src);
    return out;
  }
  const last = Math.max(...axes);
  let inner = 1;
  for (let d = last + 1; d < rank; d++) inner *= shape[d];
  let blocks = 1;
  for (let d = 0; d <= last; d++) blocks *= shape[d];
  // strides (in blocks) of dims 0..last
  const bStride = new Array<number>(last + 1);
  for (let d = last, st = 1; d >= 0; d--) {
    bStride[d] = st;
    st *= shape[d];
  }
  for (let b = 0; b < blocks; b++) {
    let rem = b;
    let from = 0;
    for (let d = 0; d <= last; d++) {
      const c = Math.floor(rem / bStride[d]);
      rem -= c * bStride[d];
      from += (axes.has(d) ? shape[d] - 1 - c : c) * bStride[d];
    }
    const s0 = from * inner;
    const d0 = b * inner;
    if (inner >= 16) {
      dst.set(src.subarray(s0, s0 + inner), d0);
    } else {
      for (let i = 0; i < inner; i++) dst[d0 + i] = src[s0 + i];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Registration

let registered = false;
/** Marks our kernel functions, so that a second copy of this module (another bundle) does not re-register. */
const MARK = Symbol.for('cyclegan-studio/wasmTrainingKernels');

function marked<F extends object>(f: F): F {
  (f as Record<symbol, boolean>)[MARK] = true;
  return f;
}

/**
 * Registers (idempotently) `Conv2DBackpropFilter`, a fast `Conv2DBackpropInput` and a fast
 * `Reverse` for the 'wasm' backend. Call after importing '@tensorflow/tfjs-backend-wasm'; it may
 * be called before or after tf.setBackend('wasm').
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  const existing = tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc as unknown as Record<symbol, boolean> | undefined;
  if (existing?.[MARK]) {
    registered = true; // registered by another copy of this module
    return;
  }
  conv2dK = wasmKernel('Conv2D');
  transposeK = wasmKernel('Transpose');
  batchMatMulK = wasmKernel('BatchMatMul');
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  stockBackpropInput = original?.kernelFunc as unknown as RawKernelFunc | undefined;

  const filterCfg: KernelConfig = {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: marked(conv2DBackpropFilter) as unknown as KernelFunc,
  };
  const inputCfg: KernelConfig = {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: marked(conv2DBackpropInput) as unknown as KernelFunc,
    // keep the stock kernel's wasm setup (cwrap) in case the backend initialises after this
    setupFunc: original?.setupFunc,
  };
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel(filterCfg);
  if (original) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel(inputCfg);
  const reverse = tf.getKernel('Reverse', 'wasm');
  if (reverse) {
    stockReverse = reverse.kernelFunc as unknown as RawKernelFunc;
    tf.unregisterKernel('Reverse', 'wasm');
    tf.registerKernel({ kernelName: 'Reverse', backendName: 'wasm', kernelFunc: marked(reverseKernel) as unknown as KernelFunc, setupFunc: reverse.setupFunc });
  }
  registered = true;
}

/** Whether registerWasmTrainingKernels() has run in this realm. */
export function isWasmTrainingKernelsRegistered(): boolean {
  return registered;
}
