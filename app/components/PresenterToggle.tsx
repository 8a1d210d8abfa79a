/**
 * Presenter mode (classroom): large type and images for a projector, advanced controls hidden.
 * One key, P, toggles it from anywhere but a text field; the button shows the key, and in presenter mode a
 * corner hint says how to leave.
 */
import { useEffect } from 'react';
import { useStudio } from '../store/react';
import { isTyping } from './isTyping';

export function PresenterToggle() {
  const on = useStudio((s) => s.settings.presenter);
  const setPresenter = useStudio((s) => s.setPresenter);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || isTyping(e.target, e.key)) return;
      if (e.key === 'p' || e.key === 'P') {
        e.preventDefault();
        setPresenter(!on);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [on, setPresenter]);
  return (
    <>
      <button type="button" className="presenter-toggle" data-testid="presenter-toggle" aria-pressed={on} title="Presenter mode: large type for a projector, advanced controls hidden (P)" onClick={() => setPresenter(!on)}>
        {on ? 'Exit presenter' : 'Presenter'} <kbd>P</kbd>
      </button>
      {on && (
        <p className="presenter-hint" data-testid="presenter-hint" aria-live="polite">
          Presenter mode · press <kbd>P</kbd> to show all controls
        </p>
      )}
    </>
  );
}
