/**
 * How many threads WebAssembly trains on. All cores by default; fewer leaves the machine room for other work, and
 * 1 is the single-thread build. Like the backend, the thread count is fixed when the engine starts, so changing it
 * reloads the studio.
 */
import { useStudio } from '../store/react';
import { MAX_THREADS } from '../constants';
import { Help } from './Help';

export function ThreadsField({ disabled }: { disabled: boolean }) {
  const threads = useStudio((s) => s.settings.threads);
  const setThreads = useStudio((s) => s.setThreads);
  const cores = navigator.hardwareConcurrency || 1;
  const counts = Array.from({ length: Math.min(MAX_THREADS, Math.max(cores, threads ?? 1)) }, (_, i) => i + 1);
  return (
    <div className="field">
      <label htmlFor="threads-select">
        Threads <Help text={`WebAssembly's threads (this machine reports ${cores} cores). More threads train faster; they need a cross-origin isolated page, which the studio sets up. Changing it reloads the studio.`} />
      </label>
      <select
        id="threads-select"
        data-testid="threads-select"
        value={threads ?? 'auto'}
        disabled={disabled}
        title={disabled ? 'Stop the run to change the threads (the page reloads)' : undefined}
        onChange={(e) => setThreads(e.target.value === 'auto' ? null : Number(e.target.value))}
      >
        <option value="auto">All cores ({Math.min(cores, MAX_THREADS)})</option>
        {counts.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </div>
  );
}
