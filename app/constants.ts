/**
 * Names and fixed styles shared by the studio's components. The lists themselves (losses, images, demos,
 * backends) come from src/names.ts, which imports no tfjs: the main thread never loads it.
 */
import { BACKEND_CHOICES, BACKEND_LABEL, BACKEND_NAME, DEMOS as DEMO_INFO, LOSS_NAMES, VISUAL_NAMES, VISUAL_ROWS, type DemoName, type LossName, type VisualName } from '../src/names';

export type { LossName, VisualName };
export { BACKEND_CHOICES, BACKEND_LABEL, BACKEND_NAME, LOSS_NAMES, VISUAL_NAMES, VISUAL_ROWS };

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

/** The most WebAssembly threads the studio offers: the prebuilt tfjs-backend-wasm module has workers for 8. */
export const MAX_THREADS = 8;

/** The demo picker's list, in the order it shows them. */
export const DEMOS: readonly { name: DemoName; label: string }[] = (Object.keys(DEMO_INFO) as DemoName[]).map((name) => ({ name, label: DEMO_INFO[name].label }));

/**
 * What a teacher can hide for class (classroom mode; round-trips in the URL's `hide=`): whole panels,
 * the Step button, the chart options, and any single knob of the settings.
 */
export const HIDE_PANELS = ['data', 'settings', 'steps', 'timeline', 'explain', 'chartOptions', 'step'] as const;
export const HIDE_KNOBS = ['backend', 'preset', 'lr', 'lambdaA', 'lambdaB', 'lambdaIdentity', 'beta1', 'poolSize', 'nEpochs', 'nEpochsDecay', 'seed', 'ganMode', 'sampleEvery'] as const;
export const HIDEABLE = [...HIDE_PANELS, ...HIDE_KNOBS] as const;
export type ControlId = (typeof HIDEABLE)[number];

/** While training, the counters that move with every loss message (iteration, it/s, ETA) show the run at most this often. */
export const COUNTERS_MS = 250;
