/** Deterministic test data and a relative error, for the kernel tests. */

/** A reproducible pseudo-random array (LCG) of `shape`'s size: uniform in [offset − scale/2, offset + scale/2). */
export function seededData(shape: number[], seed: number, scale = 1, offset = 0): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const a = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    a[i] = (s / 2 ** 32 - 0.5) * scale + offset;
  }
  return a;
}

/** Largest |a − b| over the largest |b| (relative to 1 when b is all zeros). */
export function relErr(a: Float32Array, b: Float32Array): number {
  let e = 0, m = 0;
  for (let i = 0; i < b.length; i++) {
    e = Math.max(e, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return e / (m || 1);
}
