/** The studio's layout: controls and status on top, data and settings on the left, images and charts in the middle. */
import { ConfigPanel } from './components/ConfigPanel';
import { Controls } from './components/Controls';
import { DemoPicker, TryDemo } from './components/DemoPicker';
import { DomainPanel } from './components/DomainPanel';
import { ErrorBanner } from './components/ErrorBanner';
import { Gallery } from './components/Gallery';
import { LossCharts } from './components/LossCharts';
import { StatusBar } from './components/StatusBar';
import { useStudio } from './store/react';
import { useUrlSync } from './useUrlSync';

export function App() {
  useUrlSync();
  const presenter = useStudio((s) => s.settings.presenter);
  return (
    <div className={`studio${presenter ? ' presenter' : ''}`}>
      <header className="topbar">
        <h1>
          CycleGAN <span>Studio</span>
        </h1>
        <Controls />
      </header>
      <StatusBar />
      <ErrorBanner />
      <div className="layout">
        <aside className="sidebar" aria-label="Data and settings">
          <DemoPicker />
          <DomainPanel domain="A" />
          <DomainPanel domain="B" />
          <ConfigPanel />
          {/* ── models (issue 4) ── */}
          {/* ── classroom (issue 6) ── */}
        </aside>
        <main className="main">
          <TryDemo />
          <Gallery />
          <LossCharts />
          {/* ── models (issue 4) ── */}
          {/* ── classroom (issue 6) ── */}
        </main>
      </div>
    </div>
  );
}
