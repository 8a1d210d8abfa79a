/**
 * Train · Pause/Resume · Step G/D/both · Stop/Reset, and their keys (space; the steps' in StepButtons) — ignored
 * while typing in a field. Each button is enabled exactly when the engine accepts its request in the current run state.
 */
import { useEffect } from 'react';
import { useStudio, useStudioShallow } from '../store/react';
import { isTyping } from './isTyping';
import { StepButtons } from './StepButtons';
import { useRunGate } from './useRunGate';

export function Controls() {
  const { state, fresh, free, ready, why: blocked } = useRunGate();
  const hidden = useStudio((s) => s.settings.hidden);
  const { train, togglePause, stop } = useStudioShallow((s) => ({ train: s.train, togglePause: s.togglePause, stop: s.stop }));

  const canTrain = ready && fresh; // done: raise the epochs (then Resume) or Stop first
  const canPause = free && (state === 'training' || state === 'paused');
  const canStop = free && (state === 'training' || state === 'paused' || state === 'done');

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || isTyping(e.target, e.key)) return;
      if (e.key === ' ' && canPause) {
        e.preventDefault();
        void togglePause();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canPause, togglePause]);

  const stepKeys = [...(hidden.includes('steps') ? [] : ['G', 'D']), ...(hidden.includes('step') ? [] : ['B'])];

  // Icons come from CSS (data-icon::before) so each button's text is exactly its name.
  const why = blocked ?? (state === 'done' ? 'The schedule is complete: raise the epochs and Resume, or Stop to start over' : undefined);

  return (
    <div className="controls" role="toolbar" aria-label="Training controls">
      {/* presenter mode shows one of Train / Pause·Resume: the one that can apply to this run (`not-now`) */}
      <button type="button" className={`primary big${canTrain && fresh ? ' pulse' : ''}${fresh ? '' : ' not-now'}`} data-testid="train" disabled={!canTrain} title={why} data-icon="▶" onClick={() => void train()}>
        Train
      </button>
      <button type="button" className={`big${fresh ? ' not-now' : ''}`} data-testid="pause" disabled={!canPause} title="Space" data-icon={state === 'paused' ? '▶' : '❚❚'} onClick={() => void togglePause()}>
        {state === 'paused' ? 'Resume' : 'Pause'}
      </button>
      <StepButtons />
      <button type="button" className="big danger" data-testid="stop" disabled={!canStop} title="Stop and discard the run (the data stays)" data-icon="■" onClick={() => void stop()}>
        Stop
      </button>
      <span className="keys" aria-hidden>
        <kbd>Space</kbd> pause ·{' '}
        {stepKeys.length > 0 && (
          <>
            {stepKeys.map((k) => (
              <kbd key={k}>{k}</kbd>
            ))}{' '}
            step ·{' '}
          </>
        )}
        <kbd>P</kbd> presenter
      </span>
    </div>
  );
}
