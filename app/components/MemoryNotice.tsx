/**
 * Before Train: says when the configuration will not fit the backend's memory (by an estimate from the shapes,
 * app/store/memory.ts) and offers the largest preset that does, in one click. Train stays possible: the estimate
 * can be wrong, and a real out-of-memory is recovered from (restart, pause, smaller preset offered).
 */
import { PRESETS } from '../../src/config';
import { resolveConfig } from '../store/config';
import { limitsOf, memoryAdvice } from '../store/memory';
import { useStudio, useStudioShallow } from '../store/react';
import './recovery.css';

export function MemoryNotice() {
  const { preset, overrides, sampleEvery, setting, backend, state } = useStudioShallow((s) => ({
    preset: s.settings.preset,
    overrides: s.settings.overrides,
    sampleEvery: s.settings.sampleEvery,
    setting: s.settings.backend,
    backend: s.run.backend,
    state: s.run.status.state,
  }));
  const switchPreset = useStudio((s) => s.switchPreset);
  const recovering = useStudio((s) => s.recovery.notice?.kind === 'oom'); // its banner offers the preset already
  const config = resolveConfig(preset, overrides, sampleEvery).config;
  const fresh = state === 'ready' || state === 'empty'; // a run that exists has fitted already
  const advice = config && fresh && !recovering ? memoryAdvice(config, limitsOf(backend, setting), backend, setting) : null;
  if (!advice) return null;
  return (
    <div className="recovery-banner memory-notice" data-testid="memory-notice" role="status">
      <div className="recovery-text">
        <strong className="recovery-title">Probably too large for this device's memory</strong>
        <p className="recovery-message" data-testid="memory-message">{advice.message}</p>
      </div>
      {advice.preset && (
        <div className="recovery-actions">
          <button type="button" className="primary" data-testid="memory-use-preset" onClick={() => switchPreset(advice.preset!)}>
            Use {PRESETS[advice.preset].label}
          </button>
        </div>
      )}
    </div>
  );
}
