/**
 * After a reload or a crash: "Resume your last run?" with what it was (domains, iteration, model, when saved) and
 * Resume / Discard. Also the save-failed notice (storage full): training goes on, the download is offered instead.
 */
import { useEffect, useRef, useState } from 'react';
import type { CheckpointSummary } from '../../src/protocol/messages';
import { useStudio, useStudioStore } from '../store/react';
import { downloadBytes } from './download';
import { formatInt } from './format';

/** Re-renders every `ms` (for "12 s ago"). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export function ago(t: number, now: number): string {
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(t).toLocaleString();
}

export const domainsOf = (c: CheckpointSummary) => `${c.domains.A.source} (${c.domains.A.count}) ↔ ${c.domains.B.source} (${c.domains.B.count})`;

/** A save between Step G and Step D: which half is done, which is next (the run resumes as it was left). */
export function halfNote(c: CheckpointSummary): string {
  const h = c.halfStep;
  if (!h) return '';
  return ` Iteration ${formatInt(h.iter)} was half done (${h.gUpdates ? 'Step G' : 'Step D'} ran): ${h.gUpdates ? 'Step D' : 'Step G'} or Step both finishes it.`;
}

/** Where the resume takes its images from, in words. */
export function imagesNote(c: CheckpointSummary): string {
  if (c.demo) return 'The demo images are regenerated.';
  if (c.imagesStored) return 'Its images are saved with it.';
  return `Needs its images: drop “${c.domains.A.source}” into A and “${c.domains.B.source}” into B first (they are checked).`;
}

export function useDownloadCheckpoint(): () => Promise<void> {
  const download = useStudio((s) => s.downloadCheckpoint);
  return async () => {
    const file = await download();
    if (file) downloadBytes(file.fileName, file.bytes, 'application/octet-stream');
  };
}

export function ResumeOffer() {
  const store = useStudioStore();
  const ready = useStudio((s) => s.run.engine === 'ready');
  const offer = useStudio((s) => s.checkpoints.offer);
  const training = useStudio((s) => s.run.status.state === 'training');
  const busy = useStudio((s) => (s.run.pending.resumeCheckpoint ?? 0) + (s.run.pending.deleteCheckpoint ?? 0) > 0);
  const resume = useStudio((s) => s.resumeCheckpoint);
  const discard = useStudio((s) => s.discardCheckpoint);
  const asked = useRef(false);
  const now = useNow(5000);
  useEffect(() => {
    if (!ready || asked.current) return;
    asked.current = true;
    void store.getState().offerResume();
  }, [ready, store]);
  if (!offer || training) return null;
  return (
    <section className="resume-offer" data-testid="resume-offer" aria-label="Resume the last run">
      <div className="resume-text">
        <h2>Resume your last run?</h2>
        <p>
          <strong>{domainsOf(offer)}</strong> · iteration <strong data-testid="resume-iter">{formatInt(offer.iter)}</strong>
          {offer.totalIters > 0 && ` of ${formatInt(offer.totalIters)}`} · epoch {offer.epoch} · {offer.model} · saved {ago(offer.savedAt, now)}
        </p>
        <p className="hint">
          {imagesNote(offer)}
          {halfNote(offer)}
        </p>
      </div>
      <div className="resume-actions">
        <button type="button" className="primary" data-testid="resume-accept" disabled={busy} onClick={() => void resume(offer.id)}>
          Resume
        </button>
        <button type="button" data-testid="resume-discard" disabled={busy} onClick={() => void discard(offer.id)}>
          Discard
        </button>
      </div>
    </section>
  );
}

export function SaveFailedNotice() {
  const failure = useStudio((s) => s.checkpoints.failure);
  const dismiss = useStudio((s) => s.dismissCheckpointFailure);
  const busy = useStudio((s) => (s.run.pending.downloadCheckpoint ?? 0) > 0);
  const download = useDownloadCheckpoint();
  if (!failure) return null;
  return (
    <section className="save-failed" data-testid="save-failed" data-name={failure.name} role="alert">
      <p>
        <strong>Checkpoint not saved.</strong> {failure.message}
      </p>
      <div className="resume-actions">
        <button type="button" className="primary" data-testid="save-failed-download" disabled={busy} onClick={() => void download()}>
          {busy ? 'Preparing…' : 'Download checkpoint'}
        </button>
        <button type="button" data-testid="save-failed-dismiss" onClick={dismiss}>
          Dismiss
        </button>
      </div>
    </section>
  );
}
