/**
 * Step G · Step D · Step both, beside Train/Pause (classroom; GAN Lab's step modes): one generator update
 * only, one discriminator update only, or one full iteration. Keys G, D, B (and S, the studio's one-iteration key,
 * for Step both). What each step changed shows beside the reconstructions (StepCard).
 * `hide=steps` hides the two half-steps, `hide=step` the full step; enabled exactly when the engine takes a step.
 */
import { useEffect } from 'react';
import type { StepPart } from '../../src/protocol/messages';
import { useStudio } from '../store/react';
import { isTyping } from './isTyping';
import { useRunGate } from './useRunGate';

const STEPS: { part: StepPart; label: string; testid: string; keys: string[]; title: string }[] = [
  { part: 'G', label: 'Step G', testid: 'step-G', keys: ['g'], title: 'One generator update: G_A and G_B learn to fool the discriminators (D_A, D_B frozen) — key G' },
  { part: 'D', label: 'Step D', testid: 'step-D', keys: ['d'], title: 'One discriminator update: D_A and D_B learn to tell real from fake (generators frozen) — key D' },
  // testid 'step': this is the studio's one-iteration Step (it finishes an iteration a Step G or Step D began)
  { part: 'both', label: 'Step both', testid: 'step', keys: ['b', 's'], title: 'One full iteration: G, then D (finishes an iteration a Step G or Step D began) — key B or S' },
];

/** Whether the engine takes a step now, and if not, why (the buttons' tooltip). */
export function useCanStep(): { can: boolean; why: string | undefined } {
  const { state, fresh, ready, why } = useRunGate();
  return {
    can: ready && (fresh || state === 'paused'),
    why: why ?? (state === 'training' ? 'Pause training first' : state === 'done' ? 'The schedule is complete' : undefined),
  };
}

export function StepButtons() {
  const hidden = useStudio((s) => s.settings.hidden);
  const slowOpen = useStudio((s) => s.classroom.staged !== null);
  const stepPart = useStudio((s) => s.stepPart);
  const { can, why } = useCanStep();
  const shown = STEPS.filter((s) => !hidden.includes(s.part === 'both' ? 'step' : 'steps'));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || isTyping(e.target, e.key) || !can || slowOpen) return;
      const s = shown.find((x) => x.keys.includes(e.key.toLowerCase()));
      if (!s) return;
      e.preventDefault();
      void stepPart(s.part);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [can, slowOpen, shown, stepPart]);

  if (shown.length === 0) return null;
  return (
    <div className="step-group" role="group" aria-label="Step by step">
      {shown.map((s) => (
        <button key={s.part} type="button" data-testid={s.testid} disabled={!can} title={why ?? s.title} onClick={() => void stepPart(s.part)}>
          {s.label}
        </button>
      ))}
    </div>
  );
}
