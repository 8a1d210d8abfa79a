/**
 * PyTorch's weight layouts and ours, for every .pth read or written (models/networks.py in
 * junyanz/pytorch-CycleGAN-and-pix2pix builds the layers; torch.nn fixes their layouts):
 *
 *   Conv2d(in, out, k)           PyTorch OIHW [out, in, kH, kW]   ↔ tfjs [kH, kW, in, out]
 *   ConvTranspose2d(in, out, k)  PyTorch IOHW [in, out, kH, kW]   ↔ tfjs [kH, kW, out, in]
 *   bias                         [out]                            ↔ [out]
 *
 * Both 4-D cases are one axis permutation (no flip): tfjs = torch.transpose(2, 3, 1, 0), and back,
 * torch = tfjs.transpose(3, 2, 0, 1). The key of every weight comes from the networks' own spec lists
 * (generatorSpecs / discriminatorSpecs, see netSpecs in src/model/cyclegan.ts), so the reader and the writer
 * walk the same table.
 */
import type { ParamSpec } from '../../model/params';

export interface WeightArray {
  shape: number[];
  data: Float32Array;
}

/** A spec's shape (tfjs layout) as PyTorch stores it. */
export function torchShape(s: Pick<ParamSpec, 'shape'>): number[] {
  return s.shape.length === 4 ? [s.shape[3], s.shape[2], s.shape[0], s.shape[1]] : [...s.shape];
}

/** PyTorch layout → tfjs layout (conv OIHW → [kH, kW, I, O]; ConvTranspose2d IOHW → [kH, kW, O, I]). */
export function toTfjsLayout(w: WeightArray): WeightArray {
  if (w.shape.length !== 4) return w;
  const [a, b, kh, kw] = w.shape;
  const out = new Float32Array(w.data.length);
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) out[((y * kw + x) * b + j) * a + i] = w.data[((i * b + j) * kh + y) * kw + x];
  return { shape: [kh, kw, b, a], data: out };
}

/** tfjs layout → PyTorch layout: the inverse of toTfjsLayout. */
export function toTorchLayout(w: WeightArray): WeightArray {
  if (w.shape.length !== 4) return w;
  const [kh, kw, b, a] = w.shape;
  const out = new Float32Array(w.data.length);
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) out[((i * b + j) * kh + y) * kw + x] = w.data[((y * kw + x) * b + j) * a + i];
  return { shape: [a, b, kh, kw], data: out };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
