/**
 * What the run controls (Train, Pause, Stop, the steps) share: whether the engine takes a request now, and if not,
 * why (their tooltips). Each button adds the run states it applies to.
 */
import { resolveConfig } from '../store/config';
import { useStudio } from '../store/react';

export function useRunGate() {
  const state = useStudio((s) => s.run.status.state);
  // faults: while a restarted worker is set up again, the buttons wait (its requests must not interleave with theirs)
  const engineReady = useStudio((s) => s.run.engine === 'ready' && s.recovery.notice?.phase !== 'restarting');
  const hasData = useStudio((s) => (s.domains.A.summary?.count ?? 0) > 0 && (s.domains.B.summary?.count ?? 0) > 0);
  const loading = useStudio((s) => s.domains.A.loading || s.domains.B.loading);
  // reads (a snapshot, the classroom's weight digest) do not hold the controls
  const pending = useStudio((s) => Object.keys(s.run.pending).some((k) => k !== 'snapshot' && k !== 'netDigest'));
  const configOk = useStudio((s) => resolveConfig(s.settings.preset, s.settings.overrides, s.settings.sampleEvery).error === null);
  // 'empty' with both domains loaded: the engine's status event may still be on its way.
  const fresh = state === 'ready' || state === 'empty';
  const why = !engineReady
    ? 'The engine is starting'
    : !hasData
      ? 'Load images into both domains first (or the demo)'
      : !configOk
        ? 'Fix the highlighted setting first'
        : undefined;
  return {
    state,
    fresh,
    /** Nothing in the way of a request that changes the run. */
    free: engineReady && !pending,
    /** …and data to train on, and a valid configuration. */
    ready: engineReady && !pending && !loading && hasData && configOk,
    why,
  };
}
