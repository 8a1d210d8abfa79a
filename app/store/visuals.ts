import type { StateCreator } from 'zustand/vanilla';
import type { Studio, VisualsSlice } from './types';

export const createVisualsSlice: StateCreator<Studio, [], [], VisualsSlice> = (set) => ({
  visuals: {},
  setVisuals: (iter, images) =>
    set((s) => {
      const visuals = { ...s.visuals };
      for (const [name, picture] of Object.entries(images) as [keyof typeof visuals, NonNullable<(typeof images)[keyof typeof images]>][])
        visuals[name] = { picture, iter };
      return { visuals };
    }),
  clearVisuals: () => set({ visuals: {} }),
});
