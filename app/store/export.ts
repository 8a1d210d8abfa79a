/** Export: the run's generators as a tfjs-model zip, built in the worker; the component saves the bytes. */
import type { StateCreator } from 'zustand/vanilla';
import type { ReturnTypes } from '../../src/protocol/messages';
import { makeCallEngine } from './call';
import type { Studio, StudioDeps } from './types';

export type ExportedFile = ReturnTypes['exportModel'];

export interface ExportSlice {
  /** The last export, for the panel's "saved" line. */
  exported: { fileName: string; size: number; iter: number } | null;
  /** Asks the engine for the zip; null (and a banner) when it cannot. */
  exportModel: () => Promise<ExportedFile | null>;
}

export const createExportSlice =
  (deps: StudioDeps): StateCreator<Studio, [], [], ExportSlice> =>
  (set, get, api) => {
    const call = makeCallEngine(api, deps);
    return {
      exported: null,
      exportModel: async () => {
        const iter = get().run.status.iter;
        const r = await call({ kind: 'exportModel' }, 'Could not export the model');
        if (!r.ok) return null;
        const m = /-iter(\d+)\.zip$/.exec(r.value.fileName); // the engine's iteration, which may be ahead of the status
        set({ exported: { fileName: r.value.fileName, size: r.value.bytes.byteLength, iter: m ? Number(m[1]) : iter } });
        return r.value;
      },
    };
  };
