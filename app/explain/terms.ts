/**
 * The CycleGAN objective, term by term (classroom), in the studio's names (the reference's: G_A, G_B,
 * D_A, D_B, cycle_A/B, idt_A/B). One table links each term to its curves (coloured as LOSS_STYLE, the charts'
 * one colour table) and to its images in the gallery, so the explain panel, the charts and the gallery agree.
 */
import type { LossName, VisualName } from '../constants';

export interface Term {
  id: string;
  /** As written in the objective, e.g. "L_GAN(G_A, D_A)". */
  symbol: string;
  /** The weight in front of it, from the live settings (empty for the adversarial terms). */
  weight: (l: { lambdaA: number; lambdaB: number; lambdaIdentity: number }) => string;
  /** The curves that plot it (the first gives the term its colour). */
  losses: readonly LossName[];
  /** The gallery images it compares or judges. */
  visuals: readonly VisualName[];
  /** What it measures, in one plain sentence. */
  plain: string;
}

const num = (v: number) => String(+v.toPrecision(3));

export const TERMS: readonly Term[] = [
  {
    id: 'gan_A',
    symbol: 'L_GAN(G_A, D_A)',
    weight: () => '',
    losses: ['G_A', 'D_A'],
    visuals: ['fake_B', 'real_B'],
    plain: 'D_A learns to tell real B photos from G_A’s fakes; G_A learns to fool it. G_A plots G_A’s side, D_A the judge’s.',
  },
  {
    id: 'gan_B',
    symbol: 'L_GAN(G_B, D_B)',
    weight: () => '',
    losses: ['G_B', 'D_B'],
    visuals: ['fake_A', 'real_A'],
    plain: 'The same game the other way: D_B judges A photos against G_B’s fakes.',
  },
  {
    id: 'cycle_A',
    symbol: 'L_cyc(A)',
    weight: (l) => `${num(l.lambdaA)} ·`,
    losses: ['cycle_A'],
    visuals: ['real_A', 'rec_A'],
    plain: 'Translate A to B and back: rec_A should be real_A again (mean absolute difference).',
  },
  {
    id: 'cycle_B',
    symbol: 'L_cyc(B)',
    weight: (l) => `${num(l.lambdaB)} ·`,
    losses: ['cycle_B'],
    visuals: ['real_B', 'rec_B'],
    plain: 'B to A and back: rec_B should be real_B again.',
  },
  {
    id: 'idt_A',
    symbol: 'L_idt(A)',
    weight: (l) => `${num(l.lambdaIdentity)} · ${num(l.lambdaB)} ·`,
    losses: ['idt_A'],
    visuals: ['idt_A', 'real_B'],
    plain: 'Give G_A a photo that is already B: it should leave it alone (idt_A ≈ real_B).',
  },
  {
    id: 'idt_B',
    symbol: 'L_idt(B)',
    weight: (l) => `${num(l.lambdaIdentity)} · ${num(l.lambdaA)} ·`,
    losses: ['idt_B'],
    visuals: ['idt_B', 'real_A'],
    plain: 'Give G_B a photo that is already A: idt_B ≈ real_A.',
  },
];

const BY_ID = new Map(TERMS.map((t) => [t.id, t]));

/** The curves to emphasise while the pointer is on a term (an empty set when none). */
export function highlightedLosses(id: string | null): ReadonlySet<LossName> {
  return new Set(id ? (BY_ID.get(id)?.losses ?? []) : []);
}

/** The gallery images to outline while the pointer is on a term. */
export function highlightedVisuals(id: string | null): ReadonlySet<VisualName> {
  return new Set(id ? (BY_ID.get(id)?.visuals ?? []) : []);
}
