/**
 * Names and fixed styles shared by the studio's components. Only *types* come from the engine's modules
 * (they import tfjs at runtime, the main thread never does), so the lists are restated here and
 * type-checked against the engine's unions.
 */
import type { LossName } from '../src/train/losses';
import type { VisualName } from '../src/train/step';
import type { BackendChoice, BackendName, DemoName } from '../src/protocol/messages';

export type { LossName, VisualName };

/** The plotted losses in the reference's order (REFERENCE.md › Names). */
export const LOSS_NAMES = ['D_A', 'G_A', 'cycle_A', 'idt_A', 'D_B', 'G_B', 'cycle_B', 'idt_B'] as const satisfies readonly LossName[];

/** The reference's images: the A row, then the B row. */
export const VISUAL_ROWS = [
  ['real_A', 'fake_B', 'rec_A', 'idt_B'],
  ['real_B', 'fake_A', 'rec_B', 'idt_A'],
] as const satisfies readonly (readonly VisualName[])[];
export const VISUAL_NAMES: readonly VisualName[] = VISUAL_ROWS.flat();

// Compile-time proof that the restated lists cover the engine's unions.
type Covers<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
export const LISTS_COMPLETE: Covers<LossName, (typeof LOSS_NAMES)[number]> & Covers<VisualName, (typeof VISUAL_ROWS)[number][number]> = true;

/** One colour per loss, distinct across all three charts, ≥ 4.5:1 on white; B losses dashed for colour-blind readers. */
export const LOSS_STYLE: Record<LossName, { color: string; dash?: string; label: string }> = {
  G_A: { color: '#1d4ed8', label: 'G_A  (A→B fools D_A)' },
  G_B: { color: '#c2410c', dash: '8 4', label: 'G_B  (B→A fools D_B)' },
  D_A: { color: '#7e22ce', label: 'D_A  (judges B)' },
  D_B: { color: '#047857', dash: '8 4', label: 'D_B  (judges A)' },
  cycle_A: { color: '#0e7490', label: 'cycle_A  |rec_A − real_A|' },
  cycle_B: { color: '#b91c1c', dash: '8 4', label: 'cycle_B  |rec_B − real_B|' },
  idt_A: { color: '#a16207', label: 'idt_A  |G_A(B) − B|' },
  idt_B: { color: '#be185d', dash: '8 4', label: 'idt_B  |G_B(A) − A|' },
};

export type ChartId = 'generators' | 'discriminators' | 'cycle';
export const CHART_GROUPS: readonly { id: ChartId; title: string; losses: readonly LossName[] }[] = [
  { id: 'generators', title: 'Generators (adversarial)', losses: ['G_A', 'G_B'] },
  { id: 'discriminators', title: 'Discriminators', losses: ['D_A', 'D_B'] },
  { id: 'cycle', title: 'Cycle & identity (L1)', losses: ['cycle_A', 'cycle_B', 'idt_A', 'idt_B'] },
];

/** Each image's short name and how it was made. */
export const VISUAL_CAPTION: Record<VisualName, { name: string; formula: string }> = {
  real_A: { name: 'real A', formula: 'input' },
  fake_B: { name: 'fake B', formula: '= G_A(real A)' },
  rec_A: { name: 'rec A', formula: '= G_B(fake B)' },
  idt_B: { name: 'idt B', formula: '= G_B(real A)' },
  real_B: { name: 'real B', formula: 'input' },
  fake_A: { name: 'fake A', formula: '= G_B(real B)' },
  rec_B: { name: 'rec B', formula: '= G_A(fake A)' },
  idt_A: { name: 'idt A', formula: '= G_A(real B)' },
};

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** A backend's name on the badge and in sentences; the long form says which build it is. */
export const BACKEND_NAME: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' };
export const BACKEND_LABEL: Partial<Record<BackendChoice, string>> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly (wasm)', cpu: 'plain JavaScript (cpu)' };

export const DEMOS: readonly { name: DemoName; label: string }[] = [
  { name: 'apples2oranges', label: 'Apples ↔ oranges' },
  { name: 'summer2winter', label: 'Summer ↔ winter' },
];

/**
 * What a teacher can hide for class (classroom mode, issue 6; round-trips in the URL's `hide=`): whole panels,
 * the Step button, the chart options, and any single knob of the settings.
 */
export const HIDE_PANELS = ['data', 'settings', 'steps', 'timeline', 'explain', 'chartOptions', 'step'] as const;
export const HIDE_KNOBS = ['backend', 'preset', 'lr', 'lambdaA', 'lambdaB', 'lambdaIdentity', 'beta1', 'poolSize', 'nEpochs', 'nEpochsDecay', 'seed', 'ganMode', 'sampleEvery'] as const;
export const HIDEABLE = [...HIDE_PANELS, ...HIDE_KNOBS] as const;
export type ControlId = (typeof HIDEABLE)[number];

/** While training, the counters that move with every loss message (iteration, it/s, ETA) show the run at most this often. */
export const COUNTERS_MS = 250;
