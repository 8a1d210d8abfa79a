/**
 * The memory check before Train: the studio's configuration against what its backend can hold, by the estimate
 * of src/train/memoryEstimate.ts, and the largest preset that fits. Pure: the notice and the recovery use it.
 */
import { PRESETS, type CycleGANConfig, type PresetName } from '../../src/config';
import type { BackendChoice, BackendInfo } from '../../src/protocol/messages';
import { estimateTrainingMemory } from '../../src/train/memoryEstimate';
import { WASM_LIMITS, checkFit, bytesText, largestPresetThatFits, sizeLabel, type MemoryFit, type MemoryLimits } from '../../src/train/memoryFit';
import { BACKEND_NAME } from '../constants';

/** What the running backend reported; before it has, wasm's known cap when wasm is the setting. */
export function limitsOf(backend: BackendInfo | null, setting: BackendChoice): MemoryLimits {
  if (backend) return backend.memory ?? (backend.name === 'wasm' ? WASM_LIMITS : {});
  return setting === 'wasm' ? WASM_LIMITS : {};
}

export interface MemoryAdvice {
  fit: MemoryFit;
  /** The largest preset that fits (null: none does). */
  preset: PresetName | null;
  message: string;
}

/** Why `c` will not fit (and what would), or null when it fits or nothing is known about the backend. */
export function memoryAdvice(c: CycleGANConfig, limits: MemoryLimits, backend: BackendInfo | null, setting: BackendChoice): MemoryAdvice | null {
  const fit = checkFit(c, limits);
  if (!fit || fit.fits) return null;
  const name = BACKEND_NAME[backend?.name ?? (setting === 'auto' ? 'wasm' : setting)];
  const preset = largestPresetThatFits(c, limits);
  // the pool fills over the first poolSize iterations: say so when it is most of the need
  const pools = estimateTrainingMemory(c).parts.pools > fit.needBytes / 2 ? `, most of it the image pool once full (${c.poolSize} fakes per domain)` : '';
  const need = fit.what === 'total'
    ? `This configuration (${sizeLabel(c)}) needs about ${bytesText(fit.needBytes)} to train${pools}, by our estimate; ${name} can hold ${bytesText(fit.limitBytes)}.`
    : `This configuration (${sizeLabel(c)}) has tensors of about ${bytesText(fit.needBytes)}, by our estimate; this ${name} device allows ${bytesText(fit.limitBytes)} per buffer.`;
  const next = preset ? ` The largest preset that fits is ${PRESETS[preset].label}.` : ' No preset fits: lower the pool size.';
  return { fit, preset, message: `${need}${next} Train anyway, and if memory runs out the studio stops safely and offers a smaller preset.` };
}
