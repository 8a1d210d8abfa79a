/**
 * The Checkpoints panel: autosave period, Save now, Download, Load a .ckpt (pick or drop), and the runs saved in
 * this browser (Resume / Delete). Plus AutosaveStatus, the status bar's "Autosaved at iteration k · 12 s ago".
 */
import { memo, useState, type DragEvent } from 'react';
import type { AutosaveEvery } from '../../src/protocol/messages';
import { useStudio } from '../store/react';
import { formatInt } from './format';
import { ago, domainsOf, halfNote, imagesNote, useDownloadCheckpoint, useNow } from './ResumeOffer';

const REASON = { autosave: 'Autosaved', pause: 'Saved on pause', manual: 'Saved', loaded: 'Loaded' } as const;
const size = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1e3))} kB`);

/** Memoised (no props): it sits among the status bar's counters, which change with every loss message. */
export const AutosaveStatus = memo(function AutosaveStatus() {
  const last = useStudio((s) => s.checkpoints.last);
  const failure = useStudio((s) => s.checkpoints.failure);
  const now = useNow(1000);
  if (failure && (!last || failure.iter > last.iter))
    return (
      <span className="autosave failed" data-testid="autosave-status" data-iter={failure.iter}>
        Save failed at iteration {formatInt(failure.iter)}
      </span>
    );
  if (!last) return null;
  return (
    <span className="autosave" data-testid="autosave-status" data-iter={last.iter} title={`${size(last.bytes)} in this browser's storage`}>
      {REASON[last.reason]} at iteration {formatInt(last.iter)} · {ago(last.savedAt, now)}
    </span>
  );
});

function AutosaveSetting() {
  const every = useStudio((s) => s.checkpoints.autosaveEvery);
  const set = useStudio((s) => s.setAutosaveEvery);
  const [n, setN] = useState(typeof every === 'number' && every > 0 ? String(every) : '100');
  const mode = every === 'auto' ? 'auto' : every === 0 ? 'off' : 'iters';
  const valid = /^\d+$/.test(n) && Number(n) >= 1;
  const choose = (m: string) => void set((m === 'auto' ? 'auto' : m === 'off' ? 0 : valid ? Number(n) : 100) as AutosaveEvery);
  return (
    <div className="autosave-setting">
      <label htmlFor="autosave-mode">Autosave</label>
      <select id="autosave-mode" data-testid="autosave-mode" value={mode} onChange={(e) => choose(e.target.value)}>
        <option value="auto">every ~2 minutes</option>
        <option value="iters">every N iterations</option>
        <option value="off">off</option>
      </select>
      {mode === 'iters' && (
        <input
          aria-label="Autosave every N iterations" data-testid="autosave-every" inputMode="numeric" value={n}
          aria-invalid={!valid} onChange={(e) => setN(e.target.value)}
          onBlur={() => valid && void set(Number(n))} onKeyDown={(e) => e.key === 'Enter' && valid && void set(Number(n))}
        />
      )}
      {mode === 'iters' && !valid && <span className="field-error">a whole number ≥ 1</span>}
    </div>
  );
}

export function CheckpointControls() {
  const state = useStudio((s) => s.run.status.state);
  const ready = useStudio((s) => s.run.engine === 'ready');
  const saved = useStudio((s) => s.checkpoints.saved);
  const pending = useStudio((s) => s.run.pending);
  const save = useStudio((s) => s.saveCheckpoint);
  const load = useStudio((s) => s.loadCheckpointFile);
  const resume = useStudio((s) => s.resumeCheckpoint);
  const discard = useStudio((s) => s.discardCheckpoint);
  const download = useDownloadCheckpoint();
  const [over, setOver] = useState(false);
  const now = useNow(1000);
  const hasRun = state === 'training' || state === 'paused' || state === 'done';
  const training = state === 'training';
  const why = !ready ? 'The engine is starting.' : !hasRun ? 'No run yet: Train or Step first.' : null;
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) void load(f);
  };
  return (
    <section
      className={`panel checkpoints${over ? ' over' : ''}`} aria-label="Checkpoints" data-testid="checkpoints"
      onDragOver={(e) => { if (e.dataTransfer.types.includes('Files')) { e.preventDefault(); setOver(true); } }}
      onDragLeave={() => setOver(false)} onDrop={onDrop}
    >
      <header className="panel-head">
        <h2>Checkpoints</h2>
      </header>
      <AutosaveSetting />
      <div className="ckpt-buttons">
        <button type="button" data-testid="ckpt-save" disabled={!!why || !!pending.saveCheckpoint} title={why ?? 'Save the run in this browser now'} onClick={() => void save()}>
          Save now
        </button>
        <button type="button" data-testid="ckpt-download" disabled={!!why || !!pending.downloadCheckpoint} title={why ?? 'The whole run as one .ckpt file'} onClick={() => void download()}>
          {pending.downloadCheckpoint ? 'Preparing…' : 'Download'}
        </button>
        <label className={`button${training || !ready ? ' disabled' : ''}`} title={training ? 'Pause first: loading replaces the run' : 'Load a .ckpt file (or drop it here)'}>
          Load…
          <input
            type="file" accept=".ckpt" className="visually-hidden" data-testid="ckpt-file" disabled={training || !ready}
            onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void load(f); }}
          />
        </label>
      </div>
      {saved.length > 0 && (
        <ul className="ckpt-list" data-testid="ckpt-list">
          {saved.map((c) => (
            <li key={c.id} data-testid="ckpt-item">
              <div>
                <strong>{domainsOf(c)}</strong>
                <div className="hint">
                  iteration {formatInt(c.iter)} · {c.model} · {size(c.bytes)} · {ago(c.savedAt, now)}. {imagesNote(c)}{halfNote(c)}
                </div>
              </div>
              <div className="ckpt-item-actions">
                <button type="button" className="small" data-testid="ckpt-resume" disabled={training} onClick={() => void resume(c.id)}>
                  Resume
                </button>
                <button type="button" className="small" data-testid="ckpt-delete" onClick={() => void discard(c.id)}>
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
