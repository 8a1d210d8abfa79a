/**
 * PIL's Image.resize(size, BICUBIC), bit for bit: a separable, antialiased convolution (the filter widens by the
 * downscale factor), horizontal pass then vertical, 8-bit intermediate, 22-bit fixed-point weights
 * (Pillow's libImaging/Resample.c). The reference resizes every training image this way (load_size, aspect ignored).
 */
import type { RGBImage } from './image';

const PRECISION_BITS = 32 - 8 - 2;

function bicubic(x: number): number {
  const a = -0.5;
  x = Math.abs(x);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

interface Coeffs {
  bounds: Int32Array; // [xmin, count] per output pixel
  k: Int32Array; // ksize weights per output pixel, fixed point
  ksize: number;
}

function precompute(inSize: number, outSize: number): Coeffs {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = 2 * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const k = new Int32Array(outSize * ksize);
  const w = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterscale;
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      w[x] = bicubic((x + xmin - center + 0.5) * ss);
      ww += w[x];
    }
    for (let x = 0; x < xmax; x++) {
      const v = ww !== 0 ? w[x] / ww : w[x];
      k[xx * ksize + x] = Math.trunc(v < 0 ? v * (1 << PRECISION_BITS) - 0.5 : v * (1 << PRECISION_BITS) + 0.5);
    }
    bounds[2 * xx] = xmin;
    bounds[2 * xx + 1] = xmax;
  }
  return { bounds, k, ksize };
}

const clip8 = (v: number) => {
  const r = Math.floor(v / 2 ** PRECISION_BITS); // arithmetic shift of a value that may exceed 32 bits
  return r < 0 ? 0 : r > 255 ? 255 : r;
};

/** One pass along x (horizontal) of an image with `c` channels. */
function passH(src: Uint8Array, w: number, h: number, c: number, outW: number): Uint8Array {
  const { bounds, k, ksize } = precompute(w, outW);
  const out = new Uint8Array(outW * h * c);
  for (let y = 0; y < h; y++) {
    for (let xx = 0; xx < outW; xx++) {
      const xmin = bounds[2 * xx], xmax = bounds[2 * xx + 1];
      for (let ch = 0; ch < c; ch++) {
        let ss = 1 << (PRECISION_BITS - 1);
        for (let x = 0; x < xmax; x++) ss += src[(y * w + x + xmin) * c + ch] * k[xx * ksize + x];
        out[(y * outW + xx) * c + ch] = clip8(ss);
      }
    }
  }
  return out;
}

function passV(src: Uint8Array, w: number, h: number, c: number, outH: number): Uint8Array {
  const { bounds, k, ksize } = precompute(h, outH);
  const out = new Uint8Array(w * outH * c);
  for (let yy = 0; yy < outH; yy++) {
    const ymin = bounds[2 * yy], ymax = bounds[2 * yy + 1];
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        let ss = 1 << (PRECISION_BITS - 1);
        for (let y = 0; y < ymax; y++) ss += src[((y + ymin) * w + x) * c + ch] * k[yy * ksize + y];
        out[(yy * w + x) * c + ch] = clip8(ss);
      }
    }
  }
  return out;
}

/** Image.resize((outW, outH), Image.BICUBIC). */
export function resizeBicubic(img: RGBImage, outW: number, outH: number): RGBImage {
  let data = img.data;
  let w = img.width;
  if (outW !== img.width) {
    data = passH(data, w, img.height, img.channels, outW);
    w = outW;
  }
  if (outH !== img.height) data = passV(data, w, img.height, img.channels, outH);
  return { ...img, width: outW, height: outH, data };
}
