/** Small synthetic images for tests and benchmarks (deterministic, no files). */
import type { RGBImage } from '../data/image';
import { Rng } from '../rng';

/** A smooth random image: a few coloured blobs on a gradient. */
export function syntheticImage(name: string, width: number, height: number, seed: number): RGBImage {
  const rng = new Rng(seed);
  const blobs = Array.from({ length: 4 }, () => ({
    x: rng.random() * width, y: rng.random() * height, r: (0.1 + 0.3 * rng.random()) * width,
    c: [rng.int(256), rng.int(256), rng.int(256)],
  }));
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      let col = [(x / width) * 255, (y / height) * 255, 128];
      for (const b of blobs) if ((x - b.x) ** 2 + (y - b.y) ** 2 < b.r ** 2) col = b.c;
      data[i] = col[0]; data[i + 1] = col[1]; data[i + 2] = col[2];
    }
  return { name, width, height, channels: 3, data };
}

export function syntheticDomain(prefix: string, n: number, size: number, seed: number): RGBImage[] {
  return Array.from({ length: n }, (_, i) => syntheticImage(`${prefix}${i}.png`, size + (i % 3) * 5, size, seed * 1000 + i));
}
