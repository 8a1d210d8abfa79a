/**
 * Keeps the address bar in step with the settings it carries (preset, seed, hidden controls, presenter mode,
 * the demo a link loads): rewritten in place, so the address is always a link to this studio. A new backend or
 * thread count reloads the page with the new URL, because tfjs's backend is chosen once per worker and a reload is
 * the one switch that cannot leave half-moved tensors behind.
 */
import { useEffect } from 'react';
import { useStudio } from './store/react';
import { urlStateOf } from './store/share';
import { format, parse } from './store/url';

export function useUrlSync(): void {
  const settings = useStudio((s) => s.settings);
  const state = urlStateOf(settings);
  const search = format(state, window.location.search);
  useEffect(() => {
    const loaded = parse(window.location.search).state;
    if (loaded.backend !== state.backend || loaded.threads !== state.threads) {
      window.location.search = search; // reloads
      return;
    }
    if (search !== window.location.search) window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
  }, [search, state.backend, state.threads]);
}
