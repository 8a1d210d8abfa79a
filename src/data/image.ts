/** Decoded images as plain bytes: the one image type the data pipeline, the worker and the CLI share. */

export interface RGBImage {
  name: string;
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array; // HWC, row-major
  /** What the user should know about how the file was read (first frame of an animated GIF, transparency dropped). */
  note?: string;
}

/** PIL's convert('L'): L = R·299/1000 + G·587/1000 + B·114/1000, in PIL's fixed point. */
export function toGray(img: RGBImage): RGBImage {
  if (img.channels === 1) return img;
  const n = img.width * img.height;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = img.data[3 * i], g = img.data[3 * i + 1], b = img.data[3 * i + 2];
    out[i] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
  }
  return { ...img, channels: 1, data: out };
}

/** Gray → RGB by repeating the channel (what the reference's convert('RGB') does). */
export function toRGB(img: RGBImage): RGBImage {
  if (img.channels === 3) return img;
  const n = img.width * img.height;
  const out = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = img.data[i];
  return { ...img, channels: 3, data: out };
}

/** RGBA (canvas ImageData, PNG) → RGB: alpha is dropped, as PIL's convert('RGB') drops it. */
export function fromRGBA(name: string, width: number, height: number, rgba: ArrayLike<number>): RGBImage {
  const n = width * height;
  const data = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) {
    data[3 * i] = rgba[4 * i];
    data[3 * i + 1] = rgba[4 * i + 1];
    data[3 * i + 2] = rgba[4 * i + 2];
  }
  return { name, width, height, channels: 3, data };
}

/** RGB(A) → RGBA bytes for a canvas (ImageData). */
export function toRGBA(img: RGBImage): Uint8ClampedArray {
  const n = img.width * img.height;
  const out = new Uint8ClampedArray(4 * n);
  for (let i = 0; i < n; i++) {
    if (img.channels === 3) {
      out[4 * i] = img.data[3 * i];
      out[4 * i + 1] = img.data[3 * i + 1];
      out[4 * i + 2] = img.data[3 * i + 2];
    } else out[4 * i] = out[4 * i + 1] = out[4 * i + 2] = img.data[i];
    out[4 * i + 3] = 255;
  }
  return out;
}
