/**
 * Whether a configuration can train within a backend's memory, by the estimate of ./memoryEstimate.ts, and
 * what to say when it cannot: the studio before Train, the recovery notice and the CLI after a real
 * out-of-memory. No tfjs: the page uses it.
 *
 * Known limits: wasm's heap (4 GB, 32-bit addresses) for everything; WebGPU's largest buffer (the adapter's
 * maxBufferSize / maxStorageBufferBindingSize) for the largest tensor — its total memory is not knowable from a
 * page. WebGL and cpu: no limit known here.
 */
import { PRESETS, makeConfig, type CycleGANConfig, type PresetName } from '../config';
import { estimateTrainingMemory } from './memoryEstimate';

/** What a backend can hold (bytes); a limit left out is not known. */
export interface MemoryLimits {
  /** Everything a run allocates (the wasm heap). */
  totalBytes?: number;
  /** One tensor (a WebGPU buffer bound to a shader). */
  bufferBytes?: number;
}

/** The wasm heap's most: 65,535 pages of 64 KiB (Emscripten's getHeapMax), "4 GB". */
export const WASM_HEAP_MAX_BYTES = 4294901760;
export const WASM_LIMITS: MemoryLimits = { totalBytes: WASM_HEAP_MAX_BYTES };

export interface MemoryFit {
  fits: boolean;
  /** What was compared: the whole run's peak, or the largest tensor. */
  what: 'total' | 'tensor';
  needBytes: number;
  limitBytes: number;
}

/** The tightest comparison the limits allow; null when no limit is known. */
export function checkFit(c: CycleGANConfig, limits: MemoryLimits): MemoryFit | null {
  const e = estimateTrainingMemory(c);
  const checks: MemoryFit[] = [];
  if (limits.totalBytes) checks.push({ what: 'total', needBytes: e.peakBytes, limitBytes: limits.totalBytes, fits: e.peakBytes <= limits.totalBytes });
  if (limits.bufferBytes) checks.push({ what: 'tensor', needBytes: e.largestTensorBytes, limitBytes: limits.bufferBytes, fits: e.largestTensorBytes <= limits.bufferBytes });
  return checks.find((f) => !f.fits) ?? checks[0] ?? null;
}

/** The preset's sizes on top of `c` (its other settings, the pool size among them, stay). */
export const withPreset = (c: CycleGANConfig, p: PresetName): CycleGANConfig => makeConfig({ ...c, ...PRESETS[p].config });

/** The largest preset that fits `limits` and needs less than `c` does; null when none. */
export function largestPresetThatFits(c: CycleGANConfig, limits: MemoryLimits): PresetName | null {
  const need = estimateTrainingMemory(c).peakBytes;
  const presets = (Object.keys(PRESETS) as PresetName[]).reverse(); // largest first
  return presets.find((p) => {
    const fit = checkFit(withPreset(c, p), limits);
    return (fit?.fits ?? true) && estimateTrainingMemory(withPreset(c, p)).peakBytes < need;
  }) ?? null;
}

/** "256 px, ngf 64, 9 blocks, ndf 64": the sizes that decide the memory. */
export const sizeLabel = (c: CycleGANConfig) => `${c.cropSize} px, ngf ${c.ngf}, ${c.nBlocks} block${c.nBlocks === 1 ? '' : 's'}, ndf ${c.ndf}`;

/** "259 MB", "4 GB", "8.2 GB", "176 GB": no more digits than an estimate has. */
export function bytesText(bytes: number): string {
  const gib = bytes / 2 ** 30;
  if (gib < 1) return `${Math.round(bytes / 2 ** 20)} MB`;
  return gib < 10 ? `${gib.toFixed(1).replace(/\.0$/, '')} GB` : `${Math.round(gib)} GB`;
}
