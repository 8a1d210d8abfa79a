/**
 * Export from the top bar in presenter mode (classroom): presenter mode hides the left column and with it
 * the Export panel, yet a teacher may want the trained generators at the end of class. Shown only once there is a
 * run to export, so it adds nothing to the bar before then; the full panel (with its explanation) is in the left
 * column outside presenter mode.
 */
import { useStudio } from '../store/react';
import { downloadBytes } from './download';

export function PresenterExport() {
  const presenter = useStudio((s) => s.settings.presenter);
  const state = useStudio((s) => s.run.status.state);
  const engineReady = useStudio((s) => s.run.engine === 'ready');
  const busy = useStudio((s) => (s.run.pending.exportModel ?? 0) > 0);
  const exportModel = useStudio((s) => s.exportModel);
  const hasRun = state === 'training' || state === 'paused' || state === 'done';
  if (!presenter || !hasRun) return null;

  const onExport = async () => {
    const file = await exportModel();
    if (file) downloadBytes(file.fileName, file.bytes);
  };
  return (
    <button type="button" className="presenter-export" data-testid="presenter-export" disabled={!engineReady || busy} title="Download both generators as TensorFlow.js models (zip)" onClick={() => void onExport()}>
      {busy ? 'Exporting…' : 'Export'}
    </button>
  );
}
