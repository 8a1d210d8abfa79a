/**
 * The CLI's words for a run that ran out of memory: the configuration, what the estimate says it needs against
 * what the backend holds, and the largest preset that would fit, as flags to paste.
 */
import { PRESETS, type CycleGANConfig, type PresetName } from '../config';
import { errorText } from '../engine/errors';
import { estimateTrainingMemory } from '../train/memoryEstimate';
import { checkFit, bytesText, largestPresetThatFits, sizeLabel, withPreset, type MemoryLimits } from '../train/memoryFit';

const presetFlags = (c: CycleGANConfig) => `--size ${c.cropSize} --ngf ${c.ngf} --blocks ${c.nBlocks} --ndf ${c.ndf}`;

/** "out of memory: training … on wasm (…). By estimate … Try …" (the caller prefixes "error: "). */
export function outOfMemoryMessage(c: CycleGANConfig, backend: string, limits: MemoryLimits, e: unknown): string {
  const parts = [`out of memory: training ${sizeLabel(c)} on ${backend} (${errorText(e)}).`];
  const fit = checkFit(c, limits);
  if (fit && !fit.fits)
    parts.push(`By estimate, this configuration needs about ${bytesText(fit.needBytes)}${fit.what === 'tensor' ? ' for its largest tensor' : ''}; ${backend} holds ${bytesText(fit.limitBytes)} at most.`);
  const p: PresetName | null = largestPresetThatFits(c, limits);
  if (p) {
    const smaller = withPreset(c, p);
    const name = PRESETS[p].label.split(' — ')[0];
    parts.push(`Try a smaller configuration, e.g. the ${name} preset (about ${bytesText(estimateTrainingMemory(smaller).peakBytes)}): ${presetFlags(smaller)}.`);
  } else parts.push('Try a smaller --size, --ngf or --blocks.');
  return parts.join(' ');
}
