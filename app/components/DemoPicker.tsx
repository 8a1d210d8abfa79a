/** The built-in demo domains: pick one, load it into A and B with one click. */
import type { DemoName } from '../../src/protocol/messages';
import { DEMOS } from '../constants';
import { useStudio } from '../store/react';

export function DemoPicker() {
  const demo = useStudio((s) => s.settings.demo);
  const setDemo = useStudio((s) => s.setDemo);
  const loadDemo = useStudio((s) => s.loadDemo);
  const busy = useStudio((s) => s.domains.A.loading || s.domains.B.loading || s.run.status.state === 'training' || s.run.engine !== 'ready');
  return (
    <section className="panel demo" aria-label="Demo data">
      <header className="panel-head">
        <h2>
          <label htmlFor="demo-select">Demo data</label>
        </h2>
        <button type="button" data-testid="load-demo" disabled={busy} onClick={() => void loadDemo(demo)}>
          Load demo
        </button>
      </header>
      <select id="demo-select" data-testid="demo-select" value={demo} onChange={(e) => setDemo(e.target.value as DemoName)}>
        {DEMOS.map((d) => (
          <option key={d.name} value={d.name}>
            {d.label}
          </option>
        ))}
      </select>
    </section>
  );
}

/** First visit, nothing loaded: one click loads the chosen demo and starts training. */
export function TryDemo() {
  const show = useStudio((s) => !s.domains.A.summary && !s.domains.B.summary && !s.domains.A.loading && !s.domains.B.loading);
  const ready = useStudio((s) => s.run.engine === 'ready');
  const loadDemo = useStudio((s) => s.loadDemo);
  const train = useStudio((s) => s.train);
  const demo = useStudio((s) => DEMOS.find((d) => d.name === s.settings.demo) ?? DEMOS[0]);
  if (!show) return null;
  return (
    <div className="try-demo" role="note">
      <div>
        <strong>No data yet?</strong> Train on the built-in {demo.label.toLowerCase()} (drawn procedurally) in one click — or load your own folders on the left.
      </div>
      <button
        type="button"
        className="primary big"
        data-testid="try-demo"
        disabled={!ready}
        data-icon="▶"
        onClick={async () => {
          if (await loadDemo(demo.name)) await train();
        }}
      >
        Train on the demo
      </button>
    </div>
  );
}
