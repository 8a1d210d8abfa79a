/**
 * The fused kernels as plain loops over Float32Arrays (NHWC, channels innermost): the reference implementation
 * that the cpu backend runs on its own arrays and the wasm backend runs in place on its heap. Sums are taken in
 * float64 and each result is rounded once to float32.
 */
import type { AdamAttrs, InstanceNormAttrs } from './names';

/**
 * Per-channel scale a = 1/√(var + eps) and shift b = −mean·a of sample n, so that x̂ = x·a + b: one pass of float64
 * sums of x and x² (float32 inputs: E[x²] − mean² keeps ~1e-16·mean²/var relative error, far below float32's).
 */
function stats(x: Float32Array, base: number, HW: number, C: number, eps: number, a: Float64Array, b: Float64Array): void {
  a.fill(0);
  b.fill(0);
  for (let i = 0, o = base; i < HW; i++, o += C)
    for (let c = 0; c < C; c++) {
      const v = x[o + c];
      a[c] += v;
      b[c] += v * v;
    }
  for (let c = 0; c < C; c++) {
    const mean = a[c] / HW;
    const r = 1 / Math.sqrt(Math.max(0, b[c] / HW - mean * mean) + eps);
    a[c] = r;
    b[c] = -mean * r;
  }
}

/** y = act(x̂), or y = residual + x̂ when a residual is given (no activation then). */
export function instanceNorm(x: Float32Array, y: Float32Array, N: number, HW: number, C: number, at: InstanceNormAttrs, residual?: Float32Array): void {
  const a = new Float64Array(C), b = new Float64Array(C);
  const [lo, hi] = actSlopes(at);
  for (let n = 0; n < N; n++) {
    const base = n * HW * C;
    stats(x, base, HW, C, at.eps, a, b);
    if (residual)
      for (let i = 0, o = base; i < HW; i++, o += C) for (let c = 0; c < C; c++) y[o + c] = residual[o + c] + Math.fround(x[o + c] * a[c] + b[c]);
    else
      for (let i = 0, o = base; i < HW; i++, o += C)
        for (let c = 0; c < C; c++) {
          const v = x[o + c] * a[c] + b[c];
          y[o + c] = v * (lo + hi * +(v > 0));
        }
  }
}

/** act(v) = v·(lo + hi·[v > 0]) and act'(v) = lo + hi·[v > 0]: no branch per element (half of them go each way). */
function actSlopes(at: InstanceNormAttrs): [number, number] {
  const lo = at.activation === 'none' ? 1 : at.activation === 'relu' ? 0 : at.alpha;
  return [lo, 1 - lo];
}

/**
 * dx of y = act(x̂), x̂ = (x − μ)·r:  g = dy·act'(x̂);  dx = r·(g − mean(g) − x̂·mean(g·x̂)) per sample and channel.
 * act'(x̂) is 1 for x̂ > 0 and 0 (ReLU) or α (LeakyReLU) otherwise, as PyTorch's backward.
 */
export function instanceNormGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, N: number, HW: number, C: number, at: InstanceNormAttrs): void {
  const a = new Float64Array(C), b = new Float64Array(C);
  const sg = new Float64Array(C), sgx = new Float64Array(C);
  const [lo, hi] = actSlopes(at);
  for (let n = 0; n < N; n++) {
    const base = n * HW * C;
    stats(x, base, HW, C, at.eps, a, b);
    sg.fill(0);
    sgx.fill(0);
    for (let i = 0, o = base; i < HW; i++, o += C)
      for (let c = 0; c < C; c++) {
        const xh = x[o + c] * a[c] + b[c];
        const g = dy[o + c] * (lo + hi * +(xh > 0));
        sg[c] += g;
        sgx[c] += g * xh;
      }
    for (let c = 0; c < C; c++) {
      sg[c] /= HW;
      sgx[c] /= HW;
    }
    for (let i = 0, o = base; i < HW; i++, o += C)
      for (let c = 0; c < C; c++) {
        const xh = x[o + c] * a[c] + b[c];
        const g = dy[o + c] * (lo + hi * +(xh > 0));
        dx[o + c] = a[c] * (g - sg[c] - xh * sgx[c]);
      }
  }
}

/** Source index along one axis of length n for padded index j (reflection without repeating the edge). */
function reflect(j: number, n: number, p: number): number {
  const i = j - p;
  return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
}

/** y [N, H+2p, W+2p, C] = ReflectionPad2d(p)(x [N, H, W, C]); whole rows of C channels are copied at once. */
export function reflectPad(x: Float32Array, y: Float32Array, N: number, H: number, W: number, C: number, p: number): void {
  const PH = H + 2 * p, PW = W + 2 * p;
  for (let n = 0; n < N; n++)
    for (let r = 0; r < PH; r++) {
      const src = (n * H + reflect(r, H, p)) * W * C;
      const dst = (n * PH + r) * PW * C;
      y.set(x.subarray(src, src + W * C), dst + p * C); // the centre of the row
      for (let j = 0; j < p; j++) {
        const l = src + reflect(j, W, p) * C, rr = src + reflect(p + W + j, W, p) * C;
        y.set(x.subarray(l, l + C), dst + j * C);
        y.set(x.subarray(rr, rr + C), dst + (p + W + j) * C);
      }
    }
}

/**
 * dx [N, H, W, C] = the adjoint of reflectPad: every padded cell's gradient added to the input cell it copied. Most
 * input cells were copied once: their gradient is one row copy. The cells near the border were copied two or four
 * times: their gradients are summed in float64 in dy's order (row by row) and rounded once.
 */
export function reflectPadGrad(dy: Float32Array, dx: Float32Array, N: number, H: number, W: number, C: number, p: number): void {
  const PW = W + 2 * p;
  const rows = copiedFrom(H, p), cols = copiedFrom(W, p);
  const allCols = cols.map((_, j) => j), borderCols = allCols.filter((j) => cols[j].length > 1);
  for (let n = 0; n < N; n++) {
    const dyN = n * (H + 2 * p) * PW * C, dxN = n * H * W * C;
    for (let i = 0; i < H; i++) {
      const src = dyN + ((i + p) * PW + p) * C;
      dx.set(dy.subarray(src, src + W * C), dxN + i * W * C); // every cell's own copy
    }
    for (let i = 0; i < H; i++) {
      const rs = rows[i];
      for (const j of rs.length > 1 ? allCols : borderCols) {
        const qs = cols[j], d = dxN + (i * W + j) * C;
        for (let c = 0; c < C; c++) {
          let sum = 0;
          for (const r of rs) for (const q of qs) sum += dy[dyN + (r * PW + q) * C + c];
          dx[d + c] = sum;
        }
      }
    }
  }
}

/** For each of the n cells of a line padded by p on both sides: the padded positions (ascending) copied from it. */
function copiedFrom(n: number, p: number): number[][] {
  const from: number[][] = Array.from({ length: n }, () => []);
  for (let r = 0; r < n + 2 * p; r++) from[reflect(r, n, p)].push(r);
  return from;
}

/**
 * torch.optim.Adam for one parameter, its gradient the float32 sum of `grads` in order:
 * m ← β1m + (1−β1)g;  v ← β2v + (1−β2)g²;  p ← p − (lr/bc1)·m / (√v/√bc2 + eps).
 */
export function adam(p: Float32Array, m: Float32Array, v: Float32Array, grads: Float32Array[], outP: Float32Array, outM: Float32Array, outV: Float32Array, a: AdamAttrs): void {
  const bc1 = 1 - a.beta1 ** a.step;
  const sqrtBc2 = Math.sqrt(1 - a.beta2 ** a.step);
  const stepSize = a.lr / bc1;
  const b1 = a.beta1, b2 = a.beta2, c1 = 1 - a.beta1, c2 = 1 - a.beta2, eps = a.eps;
  const [g0, g1, g2] = grads;
  for (let i = 0; i < p.length; i++) {
    let gi = g0[i];
    if (g1) gi = Math.fround(gi + g1[i]);
    if (g2) gi = Math.fround(gi + g2[i]);
    const mi = Math.fround(b1 * m[i] + c1 * gi);
    const vi = Math.fround(b2 * v[i] + c2 * gi * gi);
    outM[i] = mi;
    outV[i] = vi;
    outP[i] = p[i] - stepSize * (mi / (Math.sqrt(vi) / sqrtBc2 + eps));
  }
}
