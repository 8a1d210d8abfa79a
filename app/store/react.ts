/** React access to the studio store: components select the smallest piece; derived objects via useShallow. */
import { createContext, useContext, useEffect, useRef, useState } from 'react';
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

/**
 * `selector`'s value, following the store at most once per `ms` while it keeps changing (the latest value always
 * lands): for counters that move with every loss message, which nobody reads ten times a second. When `urgent`'s
 * value changes (e.g. the run's state), the new value shows at once.
 */
export function useThrottledStudio<T>(selector: (s: Studio) => T, ms: number, urgent?: (s: Studio) => unknown): T {
  const store = useStudioStore();
  const read = useRef({ selector, urgent });
  read.current = { selector, urgent };
  const [value, setValue] = useState(() => selector(store.getState()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = -Infinity;
    let shown = read.current.selector(store.getState());
    let shownKey = read.current.urgent?.(store.getState());
    const land = () => {
      clearTimeout(timer);
      timer = undefined;
      last = performance.now();
      const s = store.getState();
      shown = read.current.selector(s);
      shownKey = read.current.urgent?.(s);
      setValue(() => shown);
    };
    land(); // what changed before this component subscribed
    const off = store.subscribe((s) => {
      if (Object.is(read.current.selector(s), shown)) return;
      if (!Object.is(read.current.urgent?.(s), shownKey)) land();
      else if (timer === undefined) timer = setTimeout(land, Math.max(0, last + ms - performance.now()));
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [store, ms]);
  return value;
}
