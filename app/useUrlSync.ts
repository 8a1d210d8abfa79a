/**
 * Keeps the address bar in step with the settings it carries: the preset is rewritten in place; a new
 * backend reloads the page with the new URL, because tfjs's backend is chosen once per worker and a
 * reload is the one switch that cannot leave half-moved tensors behind.
 */
import { useEffect } from 'react';
import { useStudio } from './store/react';
import { format, parse } from './store/url';

export function useUrlSync(): void {
  const preset = useStudio((s) => s.settings.preset);
  const backend = useStudio((s) => s.settings.backend);
  useEffect(() => {
    const current = parse(window.location.search).state;
    const search = format({ preset, backend }, window.location.search);
    if (current.backend !== backend) {
      window.location.search = search; // reloads
      return;
    }
    if (search !== window.location.search) window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
  }, [preset, backend]);
}
