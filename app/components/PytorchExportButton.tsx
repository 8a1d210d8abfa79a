/**
 * "Continue on a GPU (PyTorch)": the run packed for the official PyTorch trainer (its four networks as
 * latest_net_*.pth, the training images, a README with the train.py command), downloaded as one zip. Beside
 * Export, enabled whenever a run exists; otherwise it says why not. The way back is a drop on Translate.
 */
import { useStudio } from '../store/react';
import { downloadBytes } from './download';
import { formatBytes } from './dropFiles';

export function PytorchExportButton() {
  const state = useStudio((s) => s.run.status.state);
  const engineReady = useStudio((s) => s.run.engine === 'ready');
  const busy = useStudio((s) => (s.run.pending.exportPytorch ?? 0) > 0);
  const exported = useStudio((s) => s.pytorchExported);
  const imported = useStudio((s) => s.officialImported);
  const exportPytorch = useStudio((s) => s.exportPytorch);
  const hasRun = state === 'training' || state === 'paused' || state === 'done';
  const why = !engineReady ? 'The engine is starting.' : !hasRun ? 'Nothing to continue yet: Train or Step first.' : null;

  const onExport = async () => {
    const file = await exportPytorch();
    if (file) downloadBytes(file.fileName, file.bytes);
  };

  return (
    <section className="panel pytorch-export" aria-label="Continue on PyTorch">
      <header className="panel-head">
        <h2>Continue on a GPU</h2>
      </header>
      <button type="button" className="export-pytorch" data-testid="export-pytorch" disabled={!!why || busy} title={why ?? 'Download the run for the official PyTorch trainer (zip)'} onClick={() => void onExport()}>
        {busy ? 'Packing…' : 'Continue on a GPU (PyTorch)'}
      </button>
      <p className="hint export-what">
        A zip for the official PyTorch CycleGAN trainer: the four networks (<code>latest_net_*.pth</code>), the training images
        and a README with the <code>train.py</code> command. Back here: drop its checkpoint folder (the four{' '}
        <code>latest_net_*.pth</code>, <code>loss_log.txt</code>) on Translate.
      </p>
      {why && (
        <p className="hint" data-testid="export-pytorch-why">
          {why}
        </p>
      )}
      {exported && !why && (
        <p className="hint" data-testid="export-pytorch-done">
          Saved <strong>{exported.fileName}</strong> ({formatBytes(exported.size)}).{exported.imagesNote ? ` Without the images: ${exported.imagesNote}.` : ''}
        </p>
      )}
      {imported && (
        <p className="hint" data-testid="official-imported">
          {imported}
        </p>
      )}
    </section>
  );
}
