/**
 * The round trip with the official PyTorch trainer: the export for it (built in the worker; the component saves
 * the bytes), its four networks dropped back as a new run (the settings take that run's config, so Train
 * continues it), and its loss_log.txt, parsed here and charted beside the run's own losses.
 */
import type { StateCreator } from 'zustand/vanilla';
import { parseLossLog } from '../../src/io/official/lossLog';
import type { LossPoint, ReturnTypes } from '../../src/protocol/messages';
import { makeCallEngine } from './call';
import { overridesFor } from './checkpoints';
import type { Studio, StudioDeps } from './types';

export interface PytorchLosses {
  file: string;
  points: LossPoint[];
  /** Lines of the file that were not understood. */
  skipped: number;
}

export interface OfficialSlice {
  /** The last export for PyTorch, for the panel's "saved" line. */
  pytorchExported: { fileName: string; size: number; imagesNote?: string } | null;
  /** What the last import of a PyTorch run did, in words (null: none yet). */
  officialImported: string | null;
  /** A PyTorch run's losses (its loss_log.txt), drawn as a second series on the charts. */
  pytorchLosses: PytorchLosses | null;
  exportPytorch: () => Promise<ReturnTypes['exportPytorch'] | null>;
  importOfficialRun: (files: File[]) => Promise<boolean>;
  loadLossLog: (file: File) => Promise<boolean>;
  clearPytorchLosses: () => void;
}

export const createOfficialSlice =
  (deps: StudioDeps): StateCreator<Studio, [], [], OfficialSlice> =>
  (set, get, api) => {
    const call = makeCallEngine(api, deps);
    return {
      pytorchExported: null,
      officialImported: null,
      pytorchLosses: null,

      exportPytorch: async () => {
        const r = await call({ kind: 'exportPytorch' }, 'Could not export the run for PyTorch');
        if (!r.ok) return null;
        const { fileName, bytes, imagesNote } = r.value;
        set({ pytorchExported: { fileName, size: bytes.byteLength, ...(imagesNote ? { imagesNote } : {}) } });
        return r.value;
      },

      importOfficialRun: async (files) => {
        const r = await call({ kind: 'importOfficialRun', files }, 'Could not continue the PyTorch run');
        if (!r.ok) return false;
        const { config, changed, status } = r.value;
        set((s) => ({ settings: { ...s.settings, overrides: overridesFor(s.settings.preset, config) } })); // Train continues this run
        get().applyEvent({ type: 'status', status });
        const adapted = changed.length ? ` Settings changed to fit the files: ${changed.join(', ')}.` : '';
        set({ officialImported: `Loaded the PyTorch run's four networks: a new run from iteration 0 (fresh Adam, empty pools; the files record no iteration).${adapted}` });
        return true;
      },

      loadLossLog: async (file) => {
        const s = get();
        const counts = [s.domains.A.summary?.count ?? 0, s.domains.B.summary?.count ?? 0];
        const itersPerEpoch = s.run.status.itersPerEpoch || Math.max(1, ...counts); // as both trainers count epochs
        try {
          const log = parseLossLog(await file.text(), { itersPerEpoch });
          if (log.points.length === 0) throw new Error(`no loss lines in it (${log.skipped.length} lines not understood); the official trainer writes checkpoints/NAME/loss_log.txt`);
          set({ pytorchLosses: { file: file.name, points: log.points, skipped: log.skipped.length } });
          return true;
        } catch (e) {
          get().pushError(`Could not read ${file.name}`, e);
          return false;
        }
      },

      clearPytorchLosses: () => set({ pytorchLosses: null }),
    };
  };
