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
 * `selector`'s value, following the store at most once per `ms` while `busy` holds (the latest value always lands),
 * at once otherwise: for counters that move with every loss message while training, which nobody reads ten times
 * a second. A pause, a rollback or a step shows as soon as it happens.
 */
export function useThrottledStudio<T>(selector: (s: Studio) => T, ms: number, busy: (s: Studio) => boolean): T {
  const store = useStudioStore();
  const read = useRef({ selector, busy });
  read.current = { selector, busy };
  const [value, setValue] = useState(() => selector(store.getState()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = -Infinity;
    let shown: T;
    let shownBusy = false;
    const land = () => {
      clearTimeout(timer);
      timer = undefined;
      last = performance.now();
      const s = store.getState();
      shown = read.current.selector(s);
      shownBusy = read.current.busy(s);
      setValue(() => shown);
    };
    land(); // what changed before this component subscribed
    const off = store.subscribe((s) => {
      if (Object.is(read.current.selector(s), shown)) return;
      if (!shownBusy || !read.current.busy(s)) land();
      else if (timer === undefined) timer = setTimeout(land, Math.max(0, last + ms - performance.now()));
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [store, ms]);
  return value;
}
