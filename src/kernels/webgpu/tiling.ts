/**
 * How the instance-norm reductions (per sample and channel, over H·W positions of an NHWC tensor) are spread over
 * workgroups, and the WGSL that every such reduction begins with.
 *
 * A workgroup of 256 invocations is CB adjacent channels × R rows: the CB invocations of a row read CB adjacent
 * floats of one position (coalesced), the R rows take every R-th position of the workgroup's range. One workgroup
 * per (sample, block of CB channels, split): H·W is split into S ranges of `chunk` positions so that there are
 * enough workgroups to fill a GPU (a 256 px layer of 64 channels: 256 of them) while each invocation still reduces
 * ≥ 16 positions; each split gives a partial result that a second, small program combines (S = 1: none needed).
 */
import { i32, type Uniform } from './program';

export const REDUCE_WORKGROUP = 256;
const TARGET_WORKGROUPS = 256;
const MIN_POSITIONS_PER_INVOCATION = 16;
const MAX_SPLITS = 128;

export interface Tiling {
  N: number;
  HW: number;
  C: number;
  CB: number; // channels per workgroup (a power of two, 4…32)
  R: number; // rows per workgroup: REDUCE_WORKGROUP / CB
  blocks: number; // ⌈C / CB⌉
  S: number; // splits of H·W
  chunk: number; // positions per split (the last may have fewer)
}

export function tiling(N: number, HW: number, C: number): Tiling {
  let CB = 4;
  while (CB < C && CB < 32) CB *= 2;
  const R = REDUCE_WORKGROUP / CB, blocks = Math.ceil(C / CB);
  const S = Math.max(1, Math.min(MAX_SPLITS, Math.ceil(TARGET_WORKGROUPS / (N * blocks)), Math.floor(HW / (R * MIN_POSITIONS_PER_INVOCATION))));
  return { N, HW, C, CB, R, blocks, S, chunk: Math.ceil(HW / S) };
}

export const workgroups = (t: Tiling): number => t.N * t.blocks * t.S;

/** Declared in every reduction program's `uniforms`, in this order (tilingUniforms gives the values). */
export const TILING_UNIFORMS = 'batch : i32, hw : i32, channels : i32, blocks : i32, splits : i32, chunk : i32, iters : i32,';

export const tilingUniforms = (t: Tiling): Uniform[] => [i32(t.N), i32(t.HW), i32(t.C), i32(t.blocks), i32(t.S), i32(t.chunk), i32(Math.ceil(t.chunk / t.R))];

/**
 * WGSL, inside `fn main(index : i32)`: this invocation's sample `n`, channel `c`, split, row `ly`, the position
 * range [p0, p1) of its split, and whether it has a channel at all (`live`). The position loop then runs
 * `uniforms.iters` times in every invocation (uniform control flow, for the barriers after it).
 */
export const tileHeader = (t: Tiling): string => `
    let wg = index / ${REDUCE_WORKGROUP};
    let t = index % ${REDUCE_WORKGROUP};
    let lc = t % ${t.CB};
    let ly = t / ${t.CB};
    let split = wg % uniforms.splits;
    let blk = (wg / uniforms.splits) % uniforms.blocks;
    let n = wg / (uniforms.splits * uniforms.blocks);
    let c = blk * ${t.CB} + lc;
    let live = n < uniforms.batch && c < uniforms.channels;
    let p0 = split * uniforms.chunk;
    let p1 = min(p0 + uniforms.chunk, uniforms.hw);`;

/** WGSL: the positions [p0, p1) split `s` covers, as a count (for merging partial moments). */
export const SPLIT_COUNT_FN = `
  fn splitCount(s : i32) -> f32 {
    return f32(clamp(uniforms.hw - s * uniforms.chunk, 0, uniforms.chunk));
  }`;
