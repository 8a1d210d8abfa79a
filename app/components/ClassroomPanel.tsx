/**
 * Step by step (GAN Lab style): update only the generators, only the discriminators, or both; each step shows the
 * loss terms it optimised, before → after its update on the same images. Slow motion opens the next iteration
 * stage by stage. Step G + Step D is exactly one iteration (see src/train/halves.ts).
 */
import { useEffect } from 'react';
import type { StepPart } from '../../src/protocol/classroom';
import { resolveConfig } from '../store/config';
import { useStudio, useStudioShallow } from '../store/react';
import { isTyping } from './isTyping';
import { SlowMotion } from './SlowMotion';

const STEPS: { part: StepPart; label: string; title: string }[] = [
  { part: 'G', label: 'Step G', title: 'One generator update: G_A and G_B learn to fool the discriminators (D_A, D_B frozen) — key G' },
  { part: 'D', label: 'Step D', title: 'One discriminator update: D_A and D_B learn to tell real from fake (generators frozen) — key D' },
  { part: 'both', label: 'Step both', title: 'One full iteration: G, then D (finishes an iteration a Step G or Step D began) — key B' },
];

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));

function Progress() {
  const p = useStudio((s) => s.classroom.progress);
  if (!p)
    return (
      <p className="hint cls-progress" data-testid="cls-progress">
        Step G then Step D is exactly one training iteration; the charts get a point when both halves ran.
      </p>
    );
  const g = p.gUpdates ? `G updated${p.gUpdates > 1 ? ` ×${p.gUpdates}` : ''}` : 'G not yet';
  const d = p.dUpdates ? `D updated${p.dUpdates > 1 ? ` ×${p.dUpdates}` : ''}` : 'D not yet';
  return (
    <p className="cls-progress half" data-testid="cls-progress">
      Iteration {p.iter} is half done: <strong>{g}</strong> · <strong>{d}</strong>. {p.dUpdates ? 'Step G' : 'Step D'} (or Step both) finishes it.
    </p>
  );
}

function LastStep() {
  const r = useStudio((s) => s.classroom.lastStep);
  if (!r) return null;
  return (
    <div className="cls-changes" key={r.seq} data-testid="cls-changes" data-part={r.part} aria-live="polite">
      <span className="cls-changes-what">
        {r.part === 'both' ? 'Step both' : `Step ${r.part}`} · iteration {r.iter}: updated {r.nets.join(', ')}
        {r.completed ? ' · iteration complete' : ''}
      </span>
      <div className="cls-chips">
        {r.changes.map((c) => (
          <span key={c.name} className={`loss-chip changed ${c.after < c.before ? 'down' : 'up'}`} data-testid={`cls-change-${c.name}`}>
            {c.name} <b>{fmt(c.before)}</b> → <b>{fmt(c.after)}</b> <span aria-label={c.after < c.before ? 'lower' : 'higher'}>{c.after < c.before ? '▼' : '▲'}</span>
          </span>
        ))}
      </div>
    </div>
  );
}

export function ClassroomPanel() {
  const state = useStudio((s) => s.run.status.state);
  const engineReady = useStudio((s) => s.run.engine === 'ready');
  const hasData = useStudio((s) => (s.domains.A.summary?.count ?? 0) > 0 && (s.domains.B.summary?.count ?? 0) > 0);
  const pending = useStudio((s) => Object.keys(s.run.pending).some((k) => k !== 'snapshot' && k !== 'netDigest'));
  const configOk = useStudio((s) => resolveConfig(s.settings.preset, s.settings.overrides, s.settings.sampleEvery).error === null);
  const half = useStudio((s) => s.classroom.progress !== null);
  const { stepPart, slowMotion } = useStudioShallow((s) => ({ stepPart: s.stepPart, slowMotion: s.slowMotion }));

  const fresh = state === 'ready' || state === 'empty';
  const can = engineReady && !pending && hasData && configOk && (fresh || state === 'paused');
  const why = !engineReady
    ? 'The engine is starting'
    : !hasData
      ? 'Load images into both domains first (or the demo)'
      : state === 'training'
        ? 'Pause training first'
        : state === 'done'
          ? 'The schedule is complete'
          : undefined;

  const slowOpen = useStudio((s) => s.classroom.staged !== null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || isTyping(e.target) || !can || slowOpen) return;
      const part = ({ g: 'G', d: 'D', b: 'both' } as const)[e.key.toLowerCase() as 'g' | 'd' | 'b'];
      if (!part) return;
      e.preventDefault();
      void stepPart(part);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [can, slowOpen, stepPart]);

  return (
    <>
      <section className="panel classroom" aria-label="Step by step" data-testid="classroom">
        <header className="panel-head">
          <h2>Step by step</h2>
          <span className="hint">
            G: the forgers (generators) · D: the detectives (discriminators) · keys <kbd>G</kbd> <kbd>D</kbd> <kbd>B</kbd>
          </span>
        </header>
        <div className="cls-buttons">
          {STEPS.map((s) => (
            <button key={s.part} type="button" className="big" data-testid={`step-${s.part}`} disabled={!can} title={why ?? s.title} onClick={() => void stepPart(s.part)}>
              {s.label}
            </button>
          ))}
          <button
            type="button"
            className="big primary"
            data-testid="slow-motion"
            disabled={!can || half}
            title={why ?? (half ? 'Finish the iteration in progress first (Step both)' : 'Run the next iteration and walk through it stage by stage')}
            onClick={() => void slowMotion()}
          >
            ▶ Slow motion
          </button>
        </div>
        <Progress />
        <LastStep />
      </section>
      <SlowMotion />
    </>
  );
}
