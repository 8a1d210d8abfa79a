/**
 * Pixel-exact image transforms the Node decoder needs to give what the browser gives:
 * the EXIF orientation (createImageBitmap's imageOrientation: 'from-image'; PIL's ImageOps.exif_transpose)
 * and an integer box reduction (PIL's Image.reduce) that takes a huge photo down cheaply before the exact
 * bicubic resize, so a 100 MP file costs one pass, not a 140-tap filter per output pixel.
 */
import type { RGBImage } from './image';

/**
 * Applies EXIF orientation o (1–8). For output pixel (x, y) of the upright image, the stored pixel is:
 * 2 mirror · 3 rotate 180 · 4 flip · 5 transpose · 6 rotate 90° clockwise · 7 transverse · 8 rotate 90° counter-clockwise.
 */
export function applyOrientation(img: RGBImage, o: number): RGBImage {
  if (o <= 1 || o > 8) return img;
  const { width: w, height: h, channels: c } = img;
  const swap = o >= 5;
  const W = swap ? h : w, H = swap ? w : h;
  const out = new Uint8Array(W * H * c);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let sx: number, sy: number;
      switch (o) {
        case 2: sx = w - 1 - x; sy = y; break;
        case 3: sx = w - 1 - x; sy = h - 1 - y; break;
        case 4: sx = x; sy = h - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = h - 1 - x; break;
        case 7: sx = w - 1 - y; sy = h - 1 - x; break;
        default: sx = w - 1 - y; sy = x; break; // 8
      }
      const si = (sy * w + sx) * c, di = (y * W + x) * c;
      for (let k = 0; k < c; k++) out[di + k] = img.data[si + k];
    }
  return { ...img, width: W, height: H, data: out };
}

/** Averages factor × factor blocks (edge blocks average what they have), as PIL's Image.reduce. */
export function reduceBox(img: RGBImage, factor: number): RGBImage {
  if (factor <= 1) return img;
  const { width: w, height: h, channels: c } = img;
  const W = Math.ceil(w / factor), H = Math.ceil(h / factor);
  const sums = new Uint32Array(W * c);
  const out = new Uint8Array(W * H * c);
  for (let Y = 0; Y < H; Y++) {
    sums.fill(0);
    const y1 = Math.min(h, (Y + 1) * factor);
    for (let y = Y * factor; y < y1; y++) {
      const row = y * w * c;
      for (let x = 0; x < w; x++) {
        const d = ((x / factor) | 0) * c, s = row + x * c;
        for (let k = 0; k < c; k++) sums[d + k] += img.data[s + k];
      }
    }
    const rows = y1 - Y * factor;
    for (let X = 0; X < W; X++) {
      const n = rows * (Math.min(w, (X + 1) * factor) - X * factor);
      for (let k = 0; k < c; k++) out[(Y * W + X) * c + k] = Math.round(sums[X * c + k] / n);
    }
  }
  return { ...img, width: W, height: H, data: out };
}
