/**
 * Beside the reconstructions (classroom): what the last Step G / Step D / Step both changed — each loss
 * term it optimised, before → after its update on the same images, in its curve's colour — whether an iteration is
 * half done, and the Slow motion button. Before any step it says what the steps do. Where the class is already
 * looking, and on the first screen in presenter mode (a panel under the charts was off screen on a projector).
 */
import type { IterationProgress } from '../../src/protocol/messages';
import { LOSS_STYLE } from '../constants';
import { useStudio, useStudioShallow } from '../store/react';
import { SlowMotion } from './SlowMotion';
import { useCanStep } from './StepButtons';

/** Three significant figures at most: read from the back of a room, compared at a glance. */
const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 10 ? v.toFixed(2) : v.toFixed(3));

/** What an iteration a half-step began still needs (short: the card sits beside the images). */
function progressText(p: IterationProgress): string {
  const extra = p.gUpdates > 1 ? ` (G ×${p.gUpdates})` : p.dUpdates > 1 ? ` (D ×${p.dUpdates})` : '';
  return `Half done${extra}: ${p.dUpdates ? 'Step G' : 'Step D'} finishes iteration ${p.iter}.`;
}

function LastStep() {
  const r = useStudio((s) => s.classroom.lastStep);
  // once training, slow motion or a Step has gone past the reported iteration, the report is history: say what the
  // steps do again rather than show stale numbers on the projector (a boolean: training re-renders nothing here)
  const past = useStudio((s) => s.classroom.lastStep !== null && s.run.status.iter > s.classroom.lastStep.iter);
  if (!r || past)
    return (
      <ul className="step-intro" data-testid="cls-intro">
        <li>
          <b>Step G</b>: the forgers (G_A, G_B) learn to fool the detectives.
        </li>
        <li>
          <b>Step D</b>: the detectives (D_A, D_B) learn to spot the fakes.
        </li>
        <li>Step G then Step D is one training iteration.</li>
      </ul>
    );
  return (
    <div className="step-report" key={r.seq} data-testid="cls-changes" data-part={r.part} data-complete={r.completed} aria-live="polite">
      <p className="step-what" title={`Updated ${r.nets.join(', ')}; each term before → after the update, on the same images`}>
        <b>{r.part === 'both' ? 'Step both' : `Step ${r.part}`}</b> · iteration {r.iter}
        {r.completed && (
          <span className="step-complete" title="The iteration is complete: a point on each chart" aria-label="complete">
            {' '}
            ✓
          </span>
        )}
      </p>
      <table className="step-changes">
        <tbody>
          {r.changes.map((c) => {
            const down = c.after < c.before;
            return (
              <tr key={c.name} className={`changed ${down ? 'down' : 'up'}`} data-testid={`cls-change-${c.name}`}>
                <th scope="row" style={{ color: LOSS_STYLE[c.name].color }}>
                  {c.name}
                </th>
                <td>
                  {fmt(c.before)} → <b>{fmt(c.after)}</b>
                </td>
                <td className="step-dir" aria-label={down ? 'lower' : 'higher'}>
                  {down ? '▼' : '▲'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** An iteration a half-step began (also after a checkpoint saved half done is restored, before any step here). */
function Progress() {
  const p = useStudio((s) => s.classroom.progress);
  if (!p) return null;
  return (
    <p className="step-progress" data-testid="cls-progress">
      {progressText(p)}
    </p>
  );
}

export function StepCard() {
  const { can, why } = useCanStep();
  const half = useStudio((s) => s.classroom.progress !== null);
  const { slowMotion } = useStudioShallow((s) => ({ slowMotion: s.slowMotion }));
  return (
    <aside className="step-card" aria-label="Step by step" data-testid="classroom">
      <LastStep />
      <Progress />
      <button
        type="button"
        className="primary"
        data-testid="slow-motion"
        disabled={!can || half}
        title={why ?? (half ? 'Finish the iteration in progress first (Step both)' : 'Run the next iteration and walk through it stage by stage')}
        onClick={() => void slowMotion()}
      >
        ▶ Slow motion
      </button>
      <SlowMotion />
    </aside>
  );
}
