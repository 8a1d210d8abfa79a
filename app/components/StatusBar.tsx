/** Backend in use (and why), then the run's counters: iteration, epoch, it/s, ETA to the schedule's end, lr. */
import { memo } from 'react';
import type { Studio } from '../store';
import { useStudio, useStudioShallow, useThrottledStudio } from '../store/react';
import { backendReason } from '../store/recovery';
import { BACKEND_NAME, COUNTERS_MS } from '../constants';
import { AutosaveStatus } from './CheckpointControls';
import { formatDuration, formatInt, formatLr, formatRate } from './format';

const STATE_LABEL = { empty: 'No data', ready: 'Ready', training: 'Training', paused: 'Paused', done: 'Done' } as const;

/** A saved run coming back (resume, a checkpoint file, a restarted worker): its losses arrive before its images and
 * trainer, so the derived state would read "No data" for a moment; say what is happening instead. */
function useRestoring(): boolean {
  return useStudio((s) => !!(s.run.pending.resumeCheckpoint || s.run.pending.loadCheckpoint) || s.recovery.notice?.phase === 'restarting');
}

const threadCount = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;

/** Memoised (no props): the counters beside it change with every loss message, the backend hardly ever. */
const BackendBadge = memo(function BackendBadge() {
  const engine = useStudio((s) => s.run.engine);
  const info = useStudio((s) => s.run.backend);
  const choice = useStudio((s) => s.settings.backend);
  const setBackendChoice = useStudio((s) => s.setBackendChoice);
  const moved = useStudioShallow((s) => ({ backend: s.recovery.backend, movedFrom: s.recovery.movedFrom }));
  if (!info)
    return (
      <div className="backend" data-testid="backend-badge">
        <span className="badge pending">{engine === 'failed' ? 'No backend' : 'Starting…'}</span>
        <span className="backend-reason" data-testid="backend-reason">
          {engine === 'failed' ? 'The engine could not start: see the error above.' : 'Starting the training engine…'}
        </span>
        {engine === 'failed' && choice !== 'auto' && (
          <button type="button" className="small" data-testid="use-auto" onClick={() => setBackendChoice('auto')}>
            Use Auto instead
          </button>
        )}
      </div>
    );
  const adapter = info.adapter ? `${info.adapter.description || info.adapter.vendor || 'unknown adapter'}${info.adapter.isFallbackAdapter ? ' (software)' : ''}` : '';
  return (
    <div className="backend" data-testid="backend-badge" data-backend={info.name}>
      <span className={`badge b-${info.name}`} data-testid="backend-name">
        {BACKEND_NAME[info.name]}
        {info.threads && ` · ${threadCount(info.threads.count)}`}
      </span>
      <span className="backend-text">
        {adapter && <span className="adapter">{adapter}</span>}
        {info.threads?.why && (
          <span className="threads-why" data-testid="threads-why">
            {threadCount(info.threads.count)} — {info.threads.why}.{' '}
          </span>
        )}
        <span className="backend-reason" data-testid="backend-reason">
          {backendReason(info, moved)}
        </span>
      </span>
    </div>
  );
});

const training = (s: Studio) => s.run.status.state === 'training';

function Stat({ label, testid, children, attrs }: { label: string; testid: string; children: React.ReactNode; attrs?: Record<string, string | number> }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value" data-testid={testid} {...attrs}>
        {children}
      </span>
    </div>
  );
}

export function StatusBar() {
  const st = useThrottledStudio((s) => s.run.status, COUNTERS_MS, training);
  const restoring = useRestoring();
  const remaining = st.totalIters - st.iter;
  const eta = st.state === 'done' ? 0 : st.itsPerSec > 0 && st.totalIters > 0 ? remaining / st.itsPerSec : NaN;
  const hasRun = st.state !== 'empty';
  const totalEpochs = hasRun && st.itersPerEpoch > 0 ? Math.round(st.totalIters / st.itersPerEpoch) : 0;
  return (
    <div className="statusbar" role="status" aria-live="off">
      <BackendBadge />
      <div className="stats">
        <Stat label="State" testid="status-state">
          <span className={`state s-${restoring ? 'restoring' : st.state}`}>{restoring ? 'Restoring…' : STATE_LABEL[st.state]}</span>
        </Stat>
        <Stat label="Iteration" testid="status-iter" attrs={{ 'data-iter': st.iter }}>
          {formatInt(st.iter)}
          {hasRun && st.totalIters > 0 && <small> / {formatInt(st.totalIters)}</small>}
        </Stat>
        <Stat label="Epoch" testid="status-epoch">
          {st.iter > 0 || st.state === 'training' ? st.epoch : '—'}
          {totalEpochs > 0 && <small> / {totalEpochs}</small>}
        </Stat>
        <Stat label="it/s" testid="status-its">
          {formatRate(st.itsPerSec)}
        </Stat>
        <Stat label="ETA" testid="status-eta">
          {formatDuration(eta)}
        </Stat>
        <Stat label="lr" testid="status-lr">
          {st.lr > 0 || st.iter > 0 ? formatLr(st.lr) : '—'}
        </Stat>
        <AutosaveStatus />
      </div>
    </div>
  );
}
