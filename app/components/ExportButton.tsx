/**
 * Export: both generators (A→B, B→A) — and the discriminators — as TensorFlow.js graph models in one zip,
 * with a page and a snippet that run them without the studio. Enabled whenever a run exists (even while
 * training: the worker snapshots the weights between iterations); otherwise it says why not.
 */
import { useStudio } from '../store/react';
import { downloadBytes } from './download';

const formatSize = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1e3))} kB`);

export function ExportButton() {
  const state = useStudio((s) => s.run.status.state);
  const engineReady = useStudio((s) => s.run.engine === 'ready');
  const busy = useStudio((s) => (s.run.pending.exportModel ?? 0) > 0);
  const exported = useStudio((s) => s.exported);
  const exportModel = useStudio((s) => s.exportModel);
  const hasRun = state === 'training' || state === 'paused' || state === 'done';
  const why = !engineReady ? 'The engine is starting.' : !hasRun ? 'Nothing to export yet: Train or Step first.' : null;

  const onExport = async () => {
    const file = await exportModel();
    if (file) downloadBytes(file.fileName, file.bytes);
  };

  return (
    <section className="panel export" aria-label="Export">
      <header className="panel-head">
        <h2>Export model</h2>
        <button type="button" data-testid="export" disabled={!!why || busy} title={why ?? 'Download both generators as TensorFlow.js models (zip)'} onClick={() => void onExport()}>
          {busy ? 'Exporting…' : 'Export'}
        </button>
      </header>
      <p className="hint export-what">
        Both generators (A→B, B→A) as TensorFlow.js graph models in a zip, with a web page and a snippet that run them
        with plain <code>@tensorflow/tfjs</code>.
      </p>
      {why && (
        <p className="hint" data-testid="export-why">
          {why}
        </p>
      )}
      {exported && !why && (
        <p className="hint" data-testid="export-done">
          Saved <strong>{exported.fileName}</strong> ({formatSize(exported.size)}, iteration {exported.iter}).
        </p>
      )}
    </section>
  );
}
