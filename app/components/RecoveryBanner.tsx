/**
 * What went wrong during training and what the studio did about it, large enough to read from the back
 * of a classroom: a divergence rolled back, a lost GPU, running out of memory, a crashed or stuck worker. While
 * the worker restarts it says so; afterwards it offers the one-click fix that fits (halve the lr, smaller preset).
 */
import { presetLabel } from '../store/recovery';
import { useStudio, useStudioShallow } from '../store/react';
import './recovery.css';

export function RecoveryBanner() {
  const notice = useStudio((s) => s.recovery.notice);
  const state = useStudio((s) => s.run.status.state);
  const busy = useStudio((s) => Object.keys(s.run.pending).some((k) => k !== 'snapshot' && k !== 'ping'));
  const { dismiss, halve, smaller } = useStudioShallow((s) => ({ dismiss: s.dismissRecovery, halve: s.halveLrAndResume, smaller: s.useSmallerPreset }));
  if (!notice) return null;
  const restarting = notice.phase === 'restarting';
  return (
    <div className={`recovery-banner k-${notice.kind} p-${notice.phase}`} data-testid="recovery-banner" data-kind={notice.kind} data-phase={notice.phase} role="alert" aria-live="assertive">
      <div className="recovery-text">
        <strong className="recovery-title" data-testid="recovery-title">
          {restarting && <span className="recovery-spinner" aria-hidden />}
          {notice.title}
        </strong>
        <p className="recovery-message" data-testid="recovery-message">{notice.message}</p>
      </div>
      {!restarting && (
        <div className="recovery-actions">
          {notice.kind === 'diverged' && state === 'paused' && (
            <button type="button" className="primary" data-testid="recovery-halve-lr" disabled={busy} onClick={() => void halve()}>
              Halve the learning rate and resume
            </button>
          )}
          {notice.smallerPreset && (
            <button type="button" className="primary" data-testid="recovery-smaller" disabled={busy} onClick={() => void smaller()}>
              Train with the smaller preset: {presetLabel(notice.smallerPreset)}
            </button>
          )}
          <button type="button" className="small" data-testid="recovery-dismiss" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
