/** The explain panel's one piece of shared state: the term the pointer is on, highlighted on the charts and in the gallery. */
import type { StateCreator } from 'zustand/vanilla';
import type { Studio } from './types';

export interface ExplainSlice {
  /** The id of the objective term under the pointer (app/explain/terms.ts), or null. */
  highlight: string | null;
  setHighlight: (term: string | null) => void;
}

export const createExplainSlice: StateCreator<Studio, [], [], ExplainSlice> = (set) => ({
  highlight: null,
  setHighlight: (highlight) => set({ highlight }),
});
