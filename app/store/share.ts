/** The settings a link carries, and the link itself (pure: the page passes its own location in). */
import type { SettingsSlice } from './types';
import { format, type UrlState } from './url';

export function urlStateOf(s: SettingsSlice['settings']): UrlState {
  return {
    backend: s.backend,
    threads: s.threads,
    preset: s.preset,
    seed: typeof s.overrides.seed === 'number' && Number.isInteger(s.overrides.seed) ? s.overrides.seed : null,
    demo: s.launch.demo ? s.demo : null,
    hide: s.hidden,
    presenter: s.presenter,
    autostart: s.launch.demo && s.launch.autostart,
  };
}

/** The shareable address for these settings, keeping the page's other parameters and its hash. */
export function shareLink(s: SettingsSlice['settings'], location: { origin: string; pathname: string; search: string; hash: string }): string {
  return `${location.origin}${location.pathname}${format(urlStateOf(s), location.search)}${location.hash}`;
}
