/** Conv2DBackpropFilter for the wasm backend: the weight gradient of every conv ('im2col' or 'conv', see wasmKernels.ts). */
import type { TensorInfo, NamedAttrMap } from '@tensorflow/tfjs';
import { conv2dRaw, convDims, f32, options, stock, transposeRaw, view, type ConvDims, type ConvGradAttrs, type WasmBackendLike } from './raw';

interface FilterArgs extends ConvDims {
  x: TensorInfo;
  dy: TensorInfo;
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
  const out = stock.batchMatMul({
    inputs: { a: cols, b },
    backend,
    attrs: { transposeA: false, transposeB: false } as unknown as NamedAttrMap,
  });
  backend.disposeData(cols.dataId);
  if (dyp) backend.disposeData(dyp.dataId);
  out.shape = [KH, KW, Ci, Co];
  return out;
}

export function conv2DBackpropFilter(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: NamedAttrMap }): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, dy } = args.inputs;
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: [number, number, number, number] };
  const a: FilterArgs = { x, dy, ...convDims('Conv2DBackpropFilter', x.shape, attrs.filterShape, dy.shape, attrs) };
  if (a.pT < 0 || a.pL < 0) throw new Error('wasm Conv2DBackpropFilter: negative padding is not supported.');
  let method = options.filter;
  if (method === 'auto') method = chooseFilterMethod(a);
  return method === 'im2col' ? backpropFilterIm2col(backend, a) : backpropFilterConv(backend, a);
}

/**
 * im2col + GEMM wins unless the GEMM is tiny in one dimension: XNNPACK's GEMM tiles 8 output
 * channels (Co < 8 wastes most of it), and for small K = KH·KW·Ci the fixed costs dominate
 * (see src/bench/kernelBench.ts: C32 4×4×3→32, c7s1-3 7×7×32→3, out 4×4×256→1 prefer 'conv').
 */
function chooseFilterMethod(a: FilterArgs): 'conv' | 'im2col' {
  return a.Co < 8 || a.KH * a.KW * a.Ci < 64 ? 'conv' : 'im2col';
}

