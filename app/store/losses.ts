import type { StateCreator } from 'zustand/vanilla';
import { LossBuffer } from './lossBuffer';
import type { LossesSlice, Studio, StudioDeps } from './types';

/**
 * Loss points go straight into the typed-array buffer; React hears about them through `losses.version`,
 * bumped at most once per animation frame however many batches arrived in between.
 */
export const createLossesSlice =
  (deps: StudioDeps): StateCreator<Studio, [], [], LossesSlice> =>
  (set, get) => {
    let bumpQueued = false;
    const bump = () => {
      if (bumpQueued) return;
      bumpQueued = true;
      deps.scheduleFrame(() => {
        bumpQueued = false;
        const b = get().lossBuffer;
        set({ losses: { version: b.version, count: b.length } });
      });
    };
    return {
      lossBuffer: new LossBuffer(),
      losses: { version: 0, count: 0 },
      appendLosses: (points) => {
        get().lossBuffer.append(points);
        bump();
      },
      clearLosses: () => {
        get().lossBuffer.clear();
        bump();
      },
    };
  };
