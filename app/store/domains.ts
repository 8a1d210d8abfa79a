import type { StateCreator } from 'zustand/vanilla';
import type { Domain, DomainSummary } from '../../src/protocol/messages';
import { makeCallEngine } from './call';
import type { DomainState, DomainsSlice, Studio, StudioDeps } from './types';

const EMPTY: DomainState = { summary: null, progress: null, loading: false };

export const createDomainsSlice =
  (deps: StudioDeps): StateCreator<Studio, [], [], DomainsSlice> =>
  (set, _get, api) => {
    const call = makeCallEngine(api, deps);
    const patch = (d: Domain, p: Partial<DomainState>) => set((s) => ({ domains: { ...s.domains, [d]: { ...s.domains[d], ...p } } }));
    const done = (summary: DomainSummary) => patch(summary.domain, { summary, progress: null, loading: false });

    return {
      domains: { A: EMPTY, B: EMPTY },

      loadFiles: async (domain, files, source) => {
        patch(domain, { loading: true, progress: { done: 0, total: files.length } });
        const r = await call({ kind: 'loadFiles', domain, files, source }, `Could not load the images for domain ${domain}`);
        if (r.ok) done(r.value);
        else patch(domain, { loading: false, progress: null });
      },

      loadDemo: async (demo) => {
        patch('A', { loading: true, progress: null });
        patch('B', { loading: true, progress: null });
        const r = await call({ kind: 'loadDemo', demo }, `Could not load the demo "${demo}"`);
        if (r.ok) r.value.forEach(done);
        else for (const d of ['A', 'B'] as const) patch(d, { loading: false, progress: null });
        return r.ok;
      },

      clearDomain: async (domain) => {
        const r = await call({ kind: 'clearDomain', domain }, `Could not clear domain ${domain}`);
        if (r.ok) patch(domain, EMPTY);
      },
    };
  };
