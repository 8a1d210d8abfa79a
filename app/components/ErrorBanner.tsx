/** Every engine error and rejected request, specific and dismissable; nothing goes only to the console. */
import { useStudio } from '../store/react';

export function ErrorBanner() {
  const errors = useStudio((s) => s.errors);
  const dismiss = useStudio((s) => s.dismissError);
  if (errors.length === 0) return null;
  return (
    <div className="error-banner" data-testid="error-banner" role="alert">
      {errors.map((e) => (
        <div className="error-item" key={e.id} data-testid="error-item" data-name={e.name}>
          <div className="error-text">
            <strong>{e.context}.</strong> {e.message}
            {e.name !== 'Error' && <span className="error-name"> ({e.name})</span>}
            {e.count > 1 && <span className="error-count"> ×{e.count}</span>}
          </div>
          <button type="button" className="small" data-testid="error-dismiss" aria-label={`Dismiss: ${e.context}`} onClick={() => dismiss(e.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
