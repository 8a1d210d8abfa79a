/**
 * The names every layer shares — the networks, the losses, the images of an iteration, the demos, the backends — with no tfjs
 * import, so the page (which never loads tfjs), the protocol and the training code all read these one lists.
 */

/** The four networks of CycleGAN (src/model/cyclegan.ts), by the official checkpoint's names. */
export const NET_NAMES = ['G_A', 'G_B', 'D_A', 'D_B'] as const;
export type NetName = (typeof NET_NAMES)[number];

/** The plotted losses, in the reference's order (models/cycle_gan_model.py loss_names). */
export const LOSS_NAMES = ['D_A', 'G_A', 'cycle_A', 'idt_A', 'D_B', 'G_B', 'cycle_B', 'idt_B'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** The reference's images of an iteration (models/cycle_gan_model.py visual_names): the A row, then the B row. */
export const VISUAL_ROWS = [
  ['real_A', 'fake_B', 'rec_A', 'idt_B'],
  ['real_B', 'fake_A', 'rec_B', 'idt_A'],
] as const;
export const VISUAL_NAMES = ['real_A', 'fake_B', 'rec_A', 'idt_B', 'real_B', 'fake_A', 'rec_B', 'idt_A'] as const satisfies readonly (typeof VISUAL_ROWS)[number][number][];
export type VisualName = (typeof VISUAL_NAMES)[number];

export type DemoName = 'apples2oranges' | 'summer2winter';

/** Options of the procedural demo domains (all optional: 40 images of 96 px, seed 1). */
export interface DemoOptions {
  count?: number;
  size?: number;
  seed?: number;
}

/** The procedural demos (src/data/demo.ts): the picker's label and what each domain shows. */
export const DEMOS: Record<DemoName, { label: string; A: string; B: string }> = {
  apples2oranges: { label: 'Apples ↔ oranges', A: 'apples', B: 'oranges' },
  summer2winter: { label: 'Summer ↔ winter', A: 'summer', B: 'winter' },
};

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** A backend's name on the badge and in sentences. */
export const BACKEND_NAME: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' };
/** The long form, which says which build it is. */
export const BACKEND_LABEL: Partial<Record<BackendChoice, string>> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly (wasm)', cpu: 'plain JavaScript (cpu)' };
/** The backend setting's choices as the settings panel lists them. */
export const BACKEND_CHOICE_LABEL: Record<BackendChoice, string> = { auto: 'Auto (fastest)', webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU (slow)' };
