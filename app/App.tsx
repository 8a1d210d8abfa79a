/** The studio's layout: controls and status on top, data and settings on the left, images and charts in the middle. */
import { CheckpointControls } from './components/CheckpointControls';
import { ConfigPanel } from './components/ConfigPanel';
import { DiscriminatorView } from './components/DiscriminatorView';
import { Controls } from './components/Controls';
import { DemoPicker, TryDemo } from './components/DemoPicker';
import { DomainPanel } from './components/DomainPanel';
import { ErrorBanner } from './components/ErrorBanner';
import { ExportButton } from './components/ExportButton';
import { PytorchExportButton } from './components/PytorchExportButton';
import { ExplainPanel } from './components/ExplainPanel';
import { Gallery } from './components/Gallery';
import { LossCharts } from './components/LossCharts';
import { MemoryNotice } from './components/MemoryNotice';
import { RecoveryBanner } from './components/RecoveryBanner';
import { PresenterExport } from './components/PresenterExport';
import { PresenterToggle } from './components/PresenterToggle';
import { ResumeOffer, SaveFailedNotice } from './components/ResumeOffer';
import { SharePanel } from './components/SharePanel';
import { StatusBar } from './components/StatusBar';
import { StepCard } from './components/StepCard';
import { Timeline } from './components/Timeline';
import { TranslatePanel } from './components/TranslatePanel';
import type { ControlId } from './constants';
import { useStudio } from './store/react';
import { useLaunch } from './useLaunch';
import { useUrlSync } from './useUrlSync';

export function App() {
  useUrlSync();
  useLaunch();
  const presenter = useStudio((s) => s.settings.presenter);
  const hidden = useStudio((s) => s.settings.hidden);
  const shown = (id: ControlId) => !hidden.includes(id);
  return (
    <div className={`studio${presenter ? ' presenter' : ''}`}>
      <header className="topbar">
        <h1>
          CycleGAN <span>Studio</span>
        </h1>
        <Controls />
        {/* ── classroom: Export stays reachable when presenter mode hides the left column ── */}
        <PresenterExport />
        <PresenterToggle />
      </header>
      <StatusBar />
      <ErrorBanner />
      {/* ── faults and memory: the recovery banner, the estimate before Train ── */}
      <RecoveryBanner />
      <MemoryNotice />
      <div className="layout">
        <aside className="sidebar" aria-label="Data and settings">
          {shown('data') && (
            <>
              <DemoPicker />
              <DomainPanel domain="A" />
              <DomainPanel domain="B" />
            </>
          )}
          {shown('settings') && <ConfigPanel />}
          {/* ── models: export and checkpoints ── */}
          <ExportButton />
          <PytorchExportButton />
          <CheckpointControls />
          {/* ── classroom ── */}
          <SharePanel />
        </aside>
        <main className="main">
          {/* ── checkpoints: resume offer, save failed ── */}
          <ResumeOffer />
          <SaveFailedNotice />
          <TryDemo />
          {/* ── classroom: what a step changed, beside the images ── */}
          <Gallery aside={shown('steps') ? <StepCard /> : undefined} />
          <LossCharts />
          {/* ── models: export and checkpoints ── */}
          <TranslatePanel />
          {/* ── classroom ── */}
          <DiscriminatorView />
          {shown('timeline') && <Timeline />}
          {shown('explain') && <ExplainPanel />}
        </main>
      </div>
    </div>
  );
}
