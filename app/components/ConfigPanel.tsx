/**
 * Run settings: backend, preset and the reference's knobs, each with its help text and reference default.
 * Values are validated by makeConfig as you type; the failing field shows the message inline.
 * While a run exists only the knobs the engine takes live (lr, λs, image period) stay editable.
 */
import { useEffect, useRef, useState } from 'react';
import { CONFIG_FIELDS, PRESETS, helpText, type CycleGANConfig, type PresetName } from '../../src/config';
import { BACKEND_CHOICE_LABEL } from '../../src/names';
import type { BackendChoice } from '../../src/protocol/messages';
import { BACKEND_CHOICES } from '../constants';
import { SAMPLE_EVERY, baseValue, fieldErrors, isLive } from '../store/config';
import { useStudio, useStudioShallow } from '../store/react';
import { Help } from './Help';
import { ThreadsField } from './ThreadsField';
import type { ControlId } from '../store/types';

/** The knobs shown as numbers: the fields with a label and a step (src/config.ts), in the panel's order. */
const NUMBER_KEYS = ['lambdaA', 'lambdaB', 'lambdaIdentity', 'lr', 'beta1', 'poolSize', 'nEpochs', 'nEpochsDecay', 'seed'] as const satisfies readonly (keyof CycleGANConfig)[];
const NUMBER_FIELDS = NUMBER_KEYS.map((key) => ({ key, label: CONFIG_FIELDS[key].label!, step: CONFIG_FIELDS[key].step! }));

/** Why a knob is greyed out while a run exists. */
const LOCKED_REASON = 'Changing this rebuilds the networks or the data: Stop the run to change it.';

/** A number input that keeps the text as typed; the store gets a number (NaN for junk, so validation names it). */
function NumberInput(props: { id: string; value: number; step: number; disabled: boolean; invalid: boolean; onChange: (v: number | undefined) => void }) {
  const [text, setText] = useState(String(props.value));
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current && Number(text) !== props.value && !(Number.isNaN(props.value) && text.trim() !== '')) setText(String(props.value));
  }, [props.value, text]);
  return (
    <input
      id={props.id}
      data-testid={`cfg-${props.id}`}
      type="text"
      inputMode="decimal"
      value={text}
      disabled={props.disabled}
      title={props.disabled ? LOCKED_REASON : undefined}
      aria-invalid={props.invalid}
      onFocus={() => (focused.current = true)}
      onBlur={() => {
        focused.current = false;
        if (text.trim() === '') setText(String(props.value));
      }}
      onChange={(e) => {
        setText(e.target.value);
        const t = e.target.value.trim();
        props.onChange(t === '' ? undefined : Number(t));
      }}
      onKeyDown={(e) => {
        if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
        e.preventDefault();
        const v = Number(text);
        if (!Number.isFinite(v)) return;
        const next = +(v + (e.key === 'ArrowUp' ? props.step : -props.step)).toPrecision(12);
        setText(String(next));
        props.onChange(next);
      }}
    />
  );
}

export function ConfigPanel() {
  const { preset, overrides, sampleEvery, backend, hidden } = useStudioShallow((s) => ({
    preset: s.settings.preset,
    overrides: s.settings.overrides,
    sampleEvery: s.settings.sampleEvery,
    backend: s.settings.backend,
    hidden: s.settings.hidden,
  }));
  const runState = useStudio((s) => s.run.status.state);
  const { setPreset, setOverride, setSampleEvery, setBackendChoice, resetOverrides, sendLive } = useStudioShallow((s) => ({
    setPreset: s.setPreset,
    setOverride: s.setOverride,
    setSampleEvery: s.setSampleEvery,
    setBackendChoice: s.setBackendChoice,
    resetOverrides: s.resetOverrides,
    sendLive: s.sendLive,
  }));
  const runExists = runState === 'training' || runState === 'paused' || runState === 'done';
  const errors = fieldErrors(preset, overrides, sampleEvery);
  const shown = (id: ControlId) => !hidden.includes(id);

  // Live knobs reach a running engine shortly after the last keystroke.
  const liveTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const queueLive = () => {
    if (!runExists) return;
    clearTimeout(liveTimer.current);
    liveTimer.current = setTimeout(() => void sendLive(), 400);
  };
  useEffect(() => () => clearTimeout(liveTimer.current), []);

  const fieldError = (key: string) =>
    errors[key] ? (
      <p className="field-error" role="alert" data-testid={`error-${key}`}>
        {errors[key]}
      </p>
    ) : null;
  const shownKeys: string[] = [...NUMBER_FIELDS.map((f) => f.key), 'ganMode', 'sampleEvery'];
  const otherErrors = Object.entries(errors).filter(([k]) => !shownKeys.includes(k) || !shown(k as ControlId));

  const valueOf = <K extends keyof CycleGANConfig>(key: K): CycleGANConfig[K] => (overrides[key] ?? baseValue(preset, key)) as CycleGANConfig[K];

  return (
    <section className="panel config" aria-label="Run settings">
      <header className="panel-head">
        <h2>Settings</h2>
        <button type="button" className="small" disabled={Object.keys(overrides).length === 0 && sampleEvery === SAMPLE_EVERY.default} onClick={() => { resetOverrides(); queueLive(); }}>
          Reset knobs
        </button>
      </header>

      <div className="fields">
        {shown('backend') && (
          <div className="field wide">
            <label htmlFor="backend-select">
              Backend <Help text="Where tfjs runs. Auto tries WebGPU, then WebGL, then WebAssembly, then CPU, and prefers WebAssembly over a software WebGPU adapter. Changing it reloads the studio." reference="auto" />
            </label>
            <select id="backend-select" data-testid="backend-select" value={backend} disabled={runExists} title={runExists ? 'Stop the run to switch the backend (the page reloads)' : undefined} onChange={(e) => setBackendChoice(e.target.value as BackendChoice)}>
              {BACKEND_CHOICES.map((b) => (
                <option key={b} value={b}>
                  {BACKEND_CHOICE_LABEL[b]}
                </option>
              ))}
            </select>
          </div>
        )}
        {shown('backend') && <ThreadsField disabled={runExists} />}

        {shown('preset') && (
          <div className="field wide">
            <label htmlFor="preset">
              Preset <Help text="Image size and network width. Smaller trains much faster in a browser." reference="Paper (256 px, ngf 64, 9 blocks)" />
            </label>
            <select id="preset" data-testid="preset" value={preset} disabled={runExists} title={runExists ? LOCKED_REASON : undefined} onChange={(e) => setPreset(e.target.value as PresetName)}>
              {(Object.keys(PRESETS) as PresetName[]).map((p) => (
                <option key={p} value={p}>
                  {PRESETS[p].label}
                </option>
              ))}
            </select>
          </div>
        )}

        {NUMBER_FIELDS.filter((f) => shown(f.key)).map(({ key, label, step }) => {
          const f = CONFIG_FIELDS[key];
          const locked = runExists && !isLive(key);
          return (
            <div className={`field${overrides[key] !== undefined ? ' changed' : ''}${runExists && isLive(key) ? ' live' : ''}`} key={key}>
              <label htmlFor={key} title={locked ? LOCKED_REASON : undefined}>
                {label} <Help text={helpText(key)} reference={String(f.default)} />
                {runExists && isLive(key) && <span className="live-dot" role="img" aria-label="live" title="Live: applies from the next iteration, and is marked on the loss charts" />}
              </label>
              <NumberInput
                id={key}
                value={valueOf(key)}
                step={step}
                disabled={locked}
                invalid={key in errors}
                onChange={(v) => {
                  setOverride(key, v === baseValue(preset, key) ? undefined : v);
                  if (isLive(key)) queueLive();
                }}
              />
              {fieldError(key)}
            </div>
          );
        })}

        {shown('ganMode') && (
          <div className={`field${overrides.ganMode !== undefined ? ' changed' : ''}`}>
            <label htmlFor="ganMode">
              GAN loss <Help text={CONFIG_FIELDS.ganMode.help} reference={CONFIG_FIELDS.ganMode.default} />
            </label>
            <select id="ganMode" data-testid="cfg-ganMode" value={valueOf('ganMode')} disabled={runExists} title={runExists ? LOCKED_REASON : undefined} onChange={(e) => setOverride('ganMode', e.target.value === CONFIG_FIELDS.ganMode.default ? undefined : (e.target.value as CycleGANConfig['ganMode']))}>
              {CONFIG_FIELDS.ganMode.choices?.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
            {fieldError('ganMode')}
          </div>
        )}

        {shown('sampleEvery') && (
          <div className={`field${sampleEvery !== SAMPLE_EVERY.default ? ' changed' : ''}`}>
            <label htmlFor="sampleEvery">
              Images every <Help text={SAMPLE_EVERY.help} reference="400 (studio: 20)" />
            </label>
            <NumberInput
              id="sampleEvery"
              value={sampleEvery}
              step={1}
              disabled={false}
              invalid={'sampleEvery' in errors}
              onChange={(v) => {
                setSampleEvery(v ?? SAMPLE_EVERY.default);
                queueLive();
              }}
            />
            {fieldError('sampleEvery')}
          </div>
        )}
      </div>

      {otherErrors.map(([k, message]) => (
        <p className="field-error" role="alert" key={k} data-testid={`error-${k}`}>
          {message}
        </p>
      ))}
      {runExists && (
        <p className="hint">
          {runState === 'done' ? 'The schedule is complete: raise Epochs or Decay epochs to keep training, or Stop to start over. ' : ''}
          Greyed-out settings rebuild the networks: Stop the run to change them. The live ones (green dot) apply from the next iteration and are marked on the loss charts.
        </p>
      )}
    </section>
  );
}
