/**
 * Start-up: read the URL, start the engine in its worker, connect its events to the store, mount React.
 * The main thread never imports tfjs; everything goes through the EngineApi interface.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { EngineApi } from '../src/protocol/messages';
import { createWorkerEngine } from '../src/worker/client';
import { Supervisor } from '../src/worker/supervisor';
import { App } from './App';
import { connectEngine } from './store/bridge';
import { createStudioStore } from './store/index';
import { StudioContext } from './store/react';
import { parse } from './store/url';
import './styles.css';

const { state: fromUrl, problems } = parse(window.location.search);

let engine: EngineApi | null = null;
let startError: unknown = null;
try {
  // the supervisor sets a fresh worker up after a fatal fault; ?faults=1 (TEST-ONLY): the worker accepts injected
  // faults and the watchdog is short (src/engine/faults.ts)
  engine = new Supervisor(createWorkerEngine({ faults: new URLSearchParams(window.location.search).get('faults') === '1' }));
} catch (e) {
  startError = e;
}

const store = createStudioStore({ engine: () => engine, scheduleFrame: (cb) => requestAnimationFrame(() => cb()) }, fromUrl);
for (const p of problems) store.getState().pushError('Ignored a URL parameter', { name: 'UrlParameter', message: p });

if (engine) connectEngine(engine, store, fromUrl.backend);
else {
  store.getState().pushError('Could not start the training engine (Web Worker)', startError);
  store.setState((s) => ({ run: { ...s.run, engine: 'failed' } }));
}
window.addEventListener('pagehide', (e) => {
  if (!e.persisted) engine?.dispose();
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no <div id="root">');
createRoot(root).render(
  <StrictMode>
    <StudioContext.Provider value={store}>
      <App />
    </StudioContext.Provider>
  </StrictMode>,
);
