/**
 * The reducer for the engine's out-of-band events. A status back at iteration 0 in 'ready'/'empty'
 * means the run was reset (stop, new data, new configuration): the history and images go with it.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { EventsSlice, Studio } from './types';

export const createEventsSlice: StateCreator<Studio, [], [], EventsSlice> = (set, get) => ({
  applyEvent: (e) => {
    const s = get();
    switch (e.type) {
      case 'backend':
        set({ run: { ...s.run, backend: e.info } });
        return;
      case 'loadProgress':
        set({ domains: { ...s.domains, [e.domain]: { ...s.domains[e.domain], loading: true, progress: { done: e.done, total: e.total } } } });
        return;
      case 'domain':
        set({ domains: { ...s.domains, [e.summary.domain]: { summary: e.summary, progress: null, loading: false } } });
        return;
      case 'status': {
        const st = e.status;
        // (not while a restarted worker is being set up again: the run it restores keeps its history)
        if (st.iter === 0 && (st.state === 'ready' || st.state === 'empty') && s.recovery.notice?.phase !== 'restarting') {
          if (s.lossBuffer.length > 0) s.clearLosses();
          if (Object.keys(s.visuals).length > 0) s.clearVisuals();
          if (s.timeline.snapshots.length > 0) s.clearTimeline();
          if (s.chartEvents.list.length > 0 || s.chartEvents.applied) s.clearChartEvents();
          if (s.classroom.progress || s.classroom.staged || s.classroom.verdicts || s.classroom.lastStep) s.resetClassroom(); // ── classroom ──
        }
        s.noteStatus(s.run.status, st);
        set({ run: { ...s.run, status: st } });
        return;
      }
      case 'losses': {
        if (e.points.length === 0) return;
        if (e.points[0].iter <= s.lossBuffer.lastIter()) {
          s.clearLosses(); // a new run began without a reset status
          s.clearTimeline();
        }
        s.appendLosses(e.points);
        const last = e.points[e.points.length - 1];
        if (s.classroom.progress && last.iter >= s.classroom.progress.iter) set({ classroom: { ...s.classroom, progress: null } }); // ── classroom: Train/Step finished it ──
        // The status follows the newest point so the counters move with the charts.
        set({ run: { ...s.run, status: { ...s.run.status, iter: last.iter, epoch: last.epoch, lr: last.lr } } });
        return;
      }
      case 'visuals':
        s.setVisuals(e.iter, e.images);
        s.recordSnapshot(e.iter, e.images);
        return;
      case 'error':
        s.pushError('The training engine reported an error', e.error);
        return;
      // ── classroom ──
      case 'verdicts':
        s.setVerdicts(e.verdicts);
        return;
      // ── models ──
      case 'importedModels':
        s.setImportedModels(e.models, e.notice);
        return;
      case 'checkpoint':
      case 'checkpointError':
        s.applyCheckpointEvent(e);
        return;
      // ── faults ──
      case 'rolledBack':
        s.onRollback(e.rollback);
        return;
      case 'fault':
        void s.onFault(e.fault);
        return;
    }
  },
});
