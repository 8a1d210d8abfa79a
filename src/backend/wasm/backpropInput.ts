/** Conv2DBackpropInput for the wasm backend: the input gradient of every conv and the forward of conv2dTranspose ('dilate', 'phase' or 'gemm', see wasmKernels.ts). */
import type { TensorInfo, NamedAttrMap } from '@tensorflow/tfjs';
import { conv2dRaw, convDims, f32, options, stock, transposeRaw, view, type ConvDims, type ConvGradAttrs, type RawKernelFunc, type WasmBackendLike } from './raw';

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

interface InputArgs extends ConvDims {
  dy: TensorInfo;
  filter: TensorInfo;
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
  const cols = stock.batchMatMul({
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
 * Measured on the classroom and standard presets' shapes (src/bench/kernelBench.ts [--standard]):
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

export function conv2DBackpropInput(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: NamedAttrMap }): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { dy, filter } = args.inputs;
  const attrs = args.attrs as unknown as ConvGradAttrs & { inputShape: [number, number, number, number] };
  const a: InputArgs = { dy, filter, ...convDims('Conv2DBackpropInput', attrs.inputShape, filter.shape, dy.shape, attrs) };
  let method = options.input;
  if (method === 'stock' && stock.backpropInput) return stock.backpropInput(args as Parameters<RawKernelFunc>[0]);
  if (method === 'auto' || method === 'stock') method = chooseInputMethod(a);
  if (method === 'gemm') return backpropInputGemm(backend, a);
  return method === 'phase' ? backpropInputPhase(backend, a) : backpropInputDilate(backend, a);
}

