/**
 * Built-in demo domains, drawn procedurally from a seed (no files, no DOM): the studio trains with zero data.
 *   apples2oranges — A: red/green apples (dip at the top, stem, leaf, streaks); B: oranges (dimpled peel, navel).
 *   summer2winter  — A: green hills, leafy trees, blue sky; B: snowy hills, snow-capped pines, bare trees, grey sky.
 * Both domains of a pair share the scene grammar (backgrounds, layout, lighting) and differ in what CycleGAN
 * should learn to translate: colour and texture. Each image is rendered at 2× and box-filtered (anti-aliasing).
 */
import type { DemoName, DemoOptions } from '../names';
import { Rng } from '../rng';
import type { RGBImage } from './image';

import { DEMOS } from '../names';

export { DEMOS };

export const DEMO_DEFAULTS = { count: 40, size: 96, seed: 1 } as const;

type RGB = [number, number, number]; // linear-ish 0…1

/** A float RGB canvas; shapes are drawn by coverage tests per pixel (the 2× supersampling anti-aliases). */
class Raster {
  readonly px: Float32Array;
  constructor(readonly w: number, readonly h: number) {
    this.px = new Float32Array(w * h * 3);
  }

  /** Runs `f` on every pixel centre of the box (in unit coordinates 0…1 of the image); f returns a colour and opacity. */
  paint(box: [number, number, number, number], f: (u: number, v: number) => [RGB, number] | null): void {
    const x0 = Math.max(0, Math.floor(box[0] * this.w)), x1 = Math.min(this.w, Math.ceil(box[2] * this.w));
    const y0 = Math.max(0, Math.floor(box[1] * this.h)), y1 = Math.min(this.h, Math.ceil(box[3] * this.h));
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) {
        const r = f((x + 0.5) / this.w, (y + 0.5) / this.h);
        if (!r || r[1] <= 0) continue;
        const [c, a] = r;
        const i = (y * this.w + x) * 3;
        for (let k = 0; k < 3; k++) this.px[i + k] += (c[k] - this.px[i + k]) * Math.min(1, a);
      }
  }

  all(f: (u: number, v: number) => [RGB, number] | null): void {
    this.paint([0, 0, 1, 1], f);
  }

  /** Box-filters by `ss` and quantises to 8-bit RGB. */
  toImage(name: string, ss: number): RGBImage {
    const w = Math.floor(this.w / ss), h = Math.floor(this.h / ss);
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < 3; k++) {
          let s = 0;
          for (let dy = 0; dy < ss; dy++) for (let dx = 0; dx < ss; dx++) s += this.px[((y * ss + dy) * this.w + x * ss + dx) * 3 + k];
          data[(y * w + x) * 3 + k] = Math.max(0, Math.min(255, Math.round((s / (ss * ss)) * 255)));
        }
    return { name, width: w, height: h, channels: 3, data };
  }
}

/** Smooth value noise in [0, 1] on a seeded lattice. */
function valueNoise(rng: Rng, cells = 64): (x: number, y: number) => number {
  const n = cells + 1;
  const table = Float32Array.from({ length: n * n }, () => rng.random());
  const s = (t: number) => t * t * (3 - 2 * t);
  return (x, y) => {
    x = ((x % cells) + cells) % cells;
    y = ((y % cells) + cells) % cells;
    const xi = Math.floor(x), yi = Math.floor(y);
    const fx = s(x - xi), fy = s(y - yi);
    const a = table[yi * n + xi], b = table[yi * n + xi + 1], c = table[(yi + 1) * n + xi], d = table[(yi + 1) * n + xi + 1];
    return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
  };
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
const mix = (a: RGB, b: RGB, t: number): RGB => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const scale = (a: RGB, k: number): RGB => [clamp01(a[0] * k), clamp01(a[1] * k), clamp01(a[2] * k)];
const jitter = (rng: Rng, c: RGB, amount: number): RGB => c.map((v) => clamp01(v + (rng.random() - 0.5) * 2 * amount)) as RGB;
const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.random();

/** Inside-test for a thick segment (stems, branches, trunks). */
function segment(r: Raster, ax: number, ay: number, bx: number, by: number, width: number, col: RGB): void {
  const pad = width;
  r.paint([Math.min(ax, bx) - pad, Math.min(ay, by) - pad, Math.max(ax, bx) + pad, Math.max(ay, by) + pad], (u, v) => {
    const dx = bx - ax, dy = by - ay;
    const t = clamp01(((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy || 1));
    const d = Math.hypot(u - (ax + t * dx), v - (ay + t * dy));
    return d < width / 2 ? [col, 1] : null;
  });
}

function ellipse(r: Raster, cx: number, cy: number, rx: number, ry: number, angle: number, col: (u: number, v: number, t: number) => RGB, alpha = 1): void {
  const ext = Math.max(rx, ry);
  const c = Math.cos(angle), s = Math.sin(angle);
  r.paint([cx - ext, cy - ext, cx + ext, cy + ext], (u, v) => {
    const x = ((u - cx) * c + (v - cy) * s) / rx, y = (-(u - cx) * s + (v - cy) * c) / ry;
    const t = x * x + y * y;
    return t < 1 ? [col(x, y, t), alpha] : null;
  });
}

// ---------------------------------------------------------------------------------------------- fruit

/** Table-top scenes shared by apples and oranges: a wall and a table, in one of a few styles. */
function fruitBackground(r: Raster, rng: Rng): number {
  const horizon = between(rng, 0.55, 0.75);
  const wall = jitter(rng, [[0.92, 0.9, 0.85], [0.75, 0.85, 0.95], [0.95, 0.88, 0.75], [0.8, 0.9, 0.8], [0.35, 0.35, 0.4]][rng.int(5)] as RGB, 0.06);
  const style = rng.int(3);
  const wood = jitter(rng, [0.55, 0.35, 0.2], 0.08);
  const cloth = jitter(rng, [[0.8, 0.2, 0.2], [0.2, 0.35, 0.75], [0.3, 0.6, 0.35]][rng.int(3)] as RGB, 0.08);
  const grain = valueNoise(rng);
  r.all((u, v) => {
    if (v < horizon) return [scale(wall, 1.05 - 0.2 * v), 1];
    const depth = (v - horizon) / (1 - horizon);
    if (style === 0) return [scale(wood, 0.8 + 0.3 * grain(u * 3, v * 40) + 0.2 * depth), 1];
    if (style === 1) {
      const check = (Math.floor(u * 8) + Math.floor((v - horizon) * 12)) % 2 === 0;
      return [check ? scale(cloth, 0.8 + 0.3 * depth) : scale([0.95, 0.95, 0.92], 0.85 + 0.15 * depth), 1];
    }
    return [scale([0.85, 0.85, 0.82], 0.8 + 0.25 * depth), 1];
  });
  return horizon;
}

interface Fruit {
  cx: number;
  cy: number;
  rad: number;
}

function placeFruit(rng: Rng): Fruit {
  const rad = between(rng, 0.2, 0.34);
  return { cx: between(rng, 0.3, 0.7), cy: between(rng, 0.42, 0.62), rad };
}

function shadow(r: Raster, f: Fruit): void {
  ellipse(r, f.cx + f.rad * 0.15, f.cy + f.rad * 0.92, f.rad * 1.05, f.rad * 0.22, 0, () => [0.1, 0.08, 0.06], 0.35);
}

/** Sphere lighting: light from the upper left. Returns diffuse+ambient and a specular term. */
function light(x: number, y: number, shininess: number): [number, number] {
  const nz = Math.sqrt(Math.max(0, 1 - x * x - y * y));
  const L = [-0.45, -0.55, 0.7];
  const diff = Math.max(0, x * L[0] + y * L[1] + nz * L[2]);
  const spec = Math.pow(Math.max(0, 2 * diff * nz - L[2]), shininess);
  return [0.35 + 0.75 * diff, spec];
}

function drawApple(r: Raster, rng: Rng, f: Fruit): void {
  const green = rng.random() < 0.35;
  const base = green ? jitter(rng, [0.5, 0.78, 0.22], 0.07) : jitter(rng, [0.78, 0.1, 0.1], 0.07);
  const blush = green ? jitter(rng, [0.85, 0.8, 0.25], 0.05) : jitter(rng, [0.95, 0.75, 0.2], 0.05);
  const streak = valueNoise(rng);
  const wide = between(rng, 1.0, 1.12);
  shadow(r, f);
  r.paint([f.cx - f.rad * 1.3, f.cy - f.rad * 1.3, f.cx + f.rad * 1.3, f.cy + f.rad * 1.3], (u, v) => {
    const x = (u - f.cx) / (f.rad * wide), y = (v - f.cy) / f.rad;
    const ang = Math.atan2(y, x);
    // the dip at the top (ang = −π/2) and a slightly narrower bottom
    const dip = 0.14 * Math.pow(Math.max(0, -Math.sin(ang)), 12) + 0.05 * Math.max(0, Math.sin(ang));
    const d = Math.hypot(x, y);
    if (d > 1 - dip) return null;
    const [lum, spec] = light(x, y, 18);
    const t = clamp01(0.35 + 0.6 * streak(ang * 6 + 20, d * 2) - 0.4 * y);
    const c = mix(blush, base, t);
    return [mix(scale(c, lum), [1, 1, 1], spec * 0.7), 1];
  });
  // stem and leaf
  const top = f.cy - f.rad * 0.86;
  const lean = between(rng, -0.05, 0.05);
  segment(r, f.cx, top + f.rad * 0.05, f.cx + lean, top - f.rad * 0.35, f.rad * 0.09, jitter(rng, [0.35, 0.2, 0.08], 0.05));
  if (rng.random() < 0.75) {
    const side = rng.random() < 0.5 ? -1 : 1;
    const leaf = jitter(rng, [0.25, 0.6, 0.15], 0.06);
    ellipse(r, f.cx + side * f.rad * 0.28, top - f.rad * 0.22, f.rad * 0.3, f.rad * 0.12, side * 0.5, (x, y) => scale(leaf, 0.8 + 0.3 * (1 - Math.abs(y)) - 0.1 * x));
  }
}

function drawOrange(r: Raster, rng: Rng, f: Fruit): void {
  const base = jitter(rng, [1.0, 0.55, 0.05], 0.05);
  const pits = valueNoise(rng);
  const oblate = between(rng, 0.92, 1.0);
  shadow(r, f);
  r.paint([f.cx - f.rad * 1.1, f.cy - f.rad * 1.1, f.cx + f.rad * 1.1, f.cy + f.rad * 1.1], (u, v) => {
    const x = (u - f.cx) / f.rad, y = (v - f.cy) / (f.rad * oblate);
    if (x * x + y * y > 1) return null;
    const [lum, spec] = light(x, y, 6);
    const dimple = 0.88 + 0.2 * pits(u * 90, v * 90); // the peel's pores
    return [mix(scale(base, lum * dimple), [1, 0.95, 0.8], spec * 0.35), 1];
  });
  // navel or stem scar: a small dark green-brown dot near the top
  const ny = f.cy - f.rad * oblate * between(rng, 0.55, 0.8);
  ellipse(r, f.cx + between(rng, -0.05, 0.05) * f.rad, ny, f.rad * 0.08, f.rad * 0.05, 0, () => [0.35, 0.35, 0.1]);
  if (rng.random() < 0.35) {
    const leaf = jitter(rng, [0.15, 0.45, 0.12], 0.05);
    ellipse(r, f.cx + f.rad * 0.3, ny - f.rad * 0.12, f.rad * 0.32, f.rad * 0.13, -0.4, (x, y) => scale(leaf, 0.85 + 0.25 * (1 - Math.abs(y)) - 0.1 * x));
  }
}

// ---------------------------------------------------------------------------------------------- landscapes

interface Season {
  sky: [RGB, RGB]; // top, horizon
  hills: RGB[]; // far → near
  tree: 'leafy' | 'snowy';
}

function landscape(r: Raster, rng: Rng, winter: boolean): void {
  const s: Season = winter
    ? { sky: [jitter(rng, [0.62, 0.66, 0.72], 0.05), jitter(rng, [0.88, 0.9, 0.92], 0.03)], hills: [[0.78, 0.82, 0.9], [0.9, 0.92, 0.96], [0.97, 0.98, 1.0]], tree: 'snowy' }
    : { sky: [jitter(rng, [0.2, 0.45, 0.85], 0.05), jitter(rng, [0.65, 0.82, 0.97], 0.03)], hills: [[0.35, 0.55, 0.45], [0.3, 0.62, 0.22], [0.38, 0.72, 0.2]], tree: 'leafy' };
  const noise = valueNoise(rng);
  // sky
  r.all((_u, v) => [mix(s.sky[0], s.sky[1], clamp01(v / 0.6)), 1]);
  if (!winter && rng.random() < 0.6) ellipse(r, between(rng, 0.1, 0.9), between(rng, 0.08, 0.25), 0.07, 0.07, 0, () => [1, 0.95, 0.6]);
  const clouds = rng.int(3);
  for (let i = 0; i < clouds; i++) {
    const cx = rng.random(), cy = between(rng, 0.08, 0.3), w = between(rng, 0.1, 0.2);
    const cloud: RGB = winter ? [0.8, 0.82, 0.86] : [1, 1, 1];
    for (let k = 0; k < 4; k++) ellipse(r, cx + (k - 1.5) * w * 0.45, cy + (k % 2) * 0.015, w * 0.4, w * 0.22, 0, () => cloud, 0.9);
  }
  // three ranges of hills, far to near: heights from a sum of sines
  const ranges = s.hills.map((col, layer) => {
    const base = 0.48 + layer * 0.14 + between(rng, -0.04, 0.04);
    const waves = Array.from({ length: 3 }, (_, k) => ({ a: between(rng, 0.01, 0.05) / (k + 1), f: between(rng, 1, 4) * (k + 1), p: rng.random() * 6.28 }));
    return { col: jitter(rng, col, 0.04), h: (u: number) => base + waves.reduce((acc, w) => acc + w.a * Math.sin(w.f * 6.28 * u + w.p), 0) };
  });
  ranges.forEach((range, layer) => {
    r.all((u, v) => {
      const top = range.h(u);
      if (v < top) return null;
      // lit crests, darker hollows, a little texture (snow is smoother than grass)
      const crest = Math.exp(-(v - top) * 25);
      const tex = noise(u * 12 + layer * 7, v * 12);
      const shade = winter ? 0.9 + 0.1 * crest + 0.05 * tex : 0.8 + 0.15 * crest + 0.15 * tex;
      return [scale(range.col, shade), 1];
    });
    if (layer === 0) return;
    const trees = 1 + rng.int(layer === 2 ? 5 : 4);
    for (let i = 0; i < trees; i++) {
      const u = rng.random();
      const size = between(rng, 0.08, 0.14) * (layer === 2 ? 1.3 : 0.8);
      tree(r, rng, u, range.h(u) + 0.01 + rng.random() * 0.04, size, s.tree, rng.random() < 0.5);
    }
  });
  if (winter) {
    const flakes = 30 + rng.int(60);
    for (let i = 0; i < flakes; i++) ellipse(r, rng.random(), rng.random(), 0.006, 0.006, 0, () => [1, 1, 1], 0.9);
  }
}

function tree(r: Raster, rng: Rng, x: number, base: number, size: number, kind: Season['tree'], pine: boolean): void {
  const trunk = jitter(rng, [0.35, 0.22, 0.12], 0.04);
  if (pine) {
    segment(r, x, base, x, base - size * 0.4, size * 0.15, trunk);
    const green = jitter(rng, [0.08, 0.3, 0.12], 0.04);
    for (let k = 0; k < 3; k++) {
      const bottom = base - size * (0.3 + k * 0.35), half = size * (0.45 - k * 0.1), height = size * 0.6;
      r.paint([x - half, bottom - height, x + half, bottom], (u, v) => {
        const t = (bottom - v) / height; // 0 at the bottom, 1 at the tip
        if (t < 0 || t > 1 || Math.abs(u - x) > half * (1 - t)) return null;
        const snow = kind === 'snowy' && (v < bottom - height * 0.55 + 0.3 * Math.abs(u - x) || bottom - v < size * 0.06);
        return [snow ? [0.95, 0.96, 1] : scale(green, u < x ? 0.8 : 1.05), 1];
      });
    }
  } else if (kind === 'leafy') {
    segment(r, x, base, x, base - size * 0.7, size * 0.14, trunk);
    const green = jitter(rng, [0.2, 0.55, 0.15], 0.06);
    ellipse(r, x, base - size * 0.95, size * 0.45, size * 0.5, 0, (dx, dy) => scale(green, 1.05 - 0.3 * (dx + dy) * 0.5));
  } else {
    // bare winter tree: a trunk and a few branches
    segment(r, x, base, x, base - size * 1.2, size * 0.12, trunk);
    for (let k = 0; k < 4; k++) {
      const y = base - size * (0.5 + 0.17 * k), dir = k % 2 ? 1 : -1;
      segment(r, x, y, x + dir * size * 0.35, y - size * 0.3, size * 0.05, trunk);
    }
  }
}

// ---------------------------------------------------------------------------------------------- public

const DOMAIN_SEED = { A: 0x0a, B: 0x0b } as const;

function drawOne(demo: DemoName, domain: 'A' | 'B', seed: number, index: number, size: number): RGBImage {
  const ss = 2;
  const rng = new Rng((seed * 7919 + DOMAIN_SEED[domain] * 104729 + index * 15485863 + (demo === 'apples2oranges' ? 0 : 3)) >>> 0);
  const r = new Raster(size * ss, size * ss);
  if (demo === 'apples2oranges') {
    fruitBackground(r, rng);
    const f = placeFruit(rng);
    if (domain === 'A') drawApple(r, rng, f);
    else drawOrange(r, rng, f);
  } else landscape(r, rng, domain === 'B');
  const what = DEMOS[demo][domain];
  return r.toImage(`${what}_${String(index).padStart(3, '0')}.png`, ss);
}

/** The two domains of a demo, deterministic in (demo, seed, size, count). */
export function makeDemo(demo: DemoName, opts: DemoOptions = {}): { A: RGBImage[]; B: RGBImage[] } {
  const count = opts.count ?? DEMO_DEFAULTS.count;
  const size = opts.size ?? DEMO_DEFAULTS.size;
  const seed = opts.seed ?? DEMO_DEFAULTS.seed;
  if (!(count >= 1 && Number.isInteger(count))) throw new RangeError(`demo count: must be a positive integer; got ${count}`);
  if (!(size >= 8 && Number.isInteger(size))) throw new RangeError(`demo size: must be an integer ≥ 8; got ${size}`);
  if (!DEMOS[demo]) throw new RangeError(`demo: unknown demo '${String(demo)}' (expected ${Object.keys(DEMOS).join(' or ')})`);
  const draw = (d: 'A' | 'B') => Array.from({ length: count }, (_, i) => drawOne(demo, d, seed, i, size));
  return { A: draw('A'), B: draw('B') };
}
