/** React access to the studio store: components select the smallest piece; derived objects via useShallow. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { StudioStore } from './index';
import type { Studio } from './types';

export const StudioContext = createContext<StudioStore | null>(null);

export function useStudioStore(): StudioStore {
  const store = useContext(StudioContext);
  if (!store) throw new Error('useStudio outside <StudioContext.Provider>');
  return store;
}

export function useStudio<T>(selector: (s: Studio) => T): T {
  return useStore(useStudioStore(), selector);
}

/** For selectors that build a new object or array each time (compared shallowly). */
export function useStudioShallow<T>(selector: (s: Studio) => T): T {
  return useStore(useStudioStore(), useShallow(selector));
}
