/**
 * "Share this lesson": what the link opens (demo, autostart, presenter mode, hidden panels) and a Copy link
 * button. The link carries the preset, seed and backend too, so it reproduces the same seeded run.
 * Single knobs can be hidden as well by naming them in the link's hide= list (e.g. hide=beta1,poolSize).
 */
import { useEffect, useState } from 'react';
import { DEMOS, HIDE_PANELS, type ControlId } from '../constants';
import { useStudio, useStudioShallow } from '../store/react';
import { shareLink } from '../store/share';
import { Help } from './Help';

const PANEL_LABEL: Record<(typeof HIDE_PANELS)[number], string> = {
  data: 'Data panels',
  settings: 'Settings',
  steps: 'Step G, D, slow motion',
  timeline: 'Timeline',
  explain: 'Explain panel',
  chartOptions: 'Chart options',
  step: 'Step both',
};

export function SharePanel() {
  const settings = useStudio((s) => s.settings);
  const { setHidden, setPresenter, setLaunch } = useStudioShallow((s) => ({ setHidden: s.setHidden, setPresenter: s.setPresenter, setLaunch: s.setLaunch }));
  const link = shareLink(settings, window.location);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'select'>('idle');
  useEffect(() => setCopied('idle'), [link]);
  const demoLabel = DEMOS.find((d) => d.name === settings.demo)?.label ?? settings.demo;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('copied');
    } catch {
      // No clipboard permission (e.g. plain http): select the text so Ctrl+C does it.
      (document.getElementById('share-link') as HTMLInputElement | null)?.select();
      setCopied('select');
    }
  };

  return (
    <section className="panel share" aria-label="Share this lesson" data-testid="share-panel">
      <header className="panel-head">
        <h2>
          Share this lesson{' '}
          <Help text="A link that opens this studio as set here: the same preset, seed and backend (so the same run), the chosen demo, and with the ticked panels hidden. Prepare it before class; open it on the projector." />
        </h2>
      </header>
      <div className="share-options">
        <label>
          <input type="checkbox" data-testid="share-demo" checked={settings.launch.demo} onChange={(e) => setLaunch({ demo: e.target.checked })} />
          Load the demo on open ({demoLabel})
        </label>
        <label>
          <input type="checkbox" data-testid="share-autostart" checked={settings.launch.demo && settings.launch.autostart} disabled={!settings.launch.demo} onChange={(e) => setLaunch({ autostart: e.target.checked })} />
          … and start training
        </label>
        <label>
          <input type="checkbox" data-testid="share-presenter" checked={settings.presenter} onChange={(e) => setPresenter(e.target.checked)} />
          Presenter mode
        </label>
      </div>
      <fieldset className="share-hide">
        <legend>Hide for class</legend>
        {HIDE_PANELS.map((id: ControlId) => (
          <label key={id}>
            <input type="checkbox" data-testid={`hide-${id}`} checked={settings.hidden.includes(id)} onChange={(e) => setHidden(id, e.target.checked)} />
            {PANEL_LABEL[id as (typeof HIDE_PANELS)[number]]}
          </label>
        ))}
      </fieldset>
      <div className="share-link">
        <input id="share-link" type="text" readOnly value={link} data-testid="share-link" aria-label="Link to this lesson" onFocus={(e) => e.target.select()} />
        <button type="button" className="primary" data-testid="copy-link" onClick={() => void copy()}>
          {copied === 'copied' ? 'Copied ✓' : 'Copy link'}
        </button>
      </div>
      {copied === 'select' && <p className="hint">The browser did not allow copying: the link is selected, press Ctrl+C.</p>}
    </section>
  );
}
