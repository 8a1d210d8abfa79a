import type { StateCreator } from 'zustand/vanilla';
import type { Domain, DomainSummary } from '../../src/protocol/messages';
import { makeCallEngine } from './call';
import type { DomainState, DomainsSlice, Studio, StudioDeps } from './types';

/** Main-thread time one part of a load may take to post (a long task is > 50 ms); the first part is small, to measure. */
const POST_BUDGET_MS = 16;
const FIRST_PART = 8;
const MAX_PART = 64;

/** The engine's file order (src/engine/domains.ts byPath), without importing the engine into the page. */
const byPath = new Intl.Collator(undefined, { numeric: true });

const fileLabel = (f: File) => f.webkitRelativePath || f.name;

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
        // In parts: posting a File to the worker costs 0.4–3 ms of main thread (Chromium registers its blob),
        // so 5,000 at once would freeze the page for seconds. Each part is one short task, sized from how long
        // the last one took to post (aiming at POST_BUDGET_MS); the engine counts progress over the whole folder
        // and appends. Sorted first, as the engine sorts, so the parts keep one stable order.
        const sorted = files
          .map((f) => ({ f, label: fileLabel(f) })) // read each path once: 5,000 files make ~60,000 comparisons
          .sort((a, b) => byPath.compare(a.label, b.label))
          .map((x) => x.f);
        let r: Awaited<ReturnType<typeof call<'loadFiles'>>> = { ok: false };
        let size = FIRST_PART;
        for (let offset = 0; offset === 0 || offset < sorted.length; ) {
          const part = { offset, total: sorted.length };
          const request = { kind: 'loadFiles', domain, files: sorted.slice(offset, offset + size), source, append: offset > 0, part } as const;
          const t0 = performance.now();
          const pending = call(request, `Could not load the images for domain ${domain}`); // posts synchronously
          const msPerFile = (performance.now() - t0) / Math.max(1, request.files.length);
          size = Math.max(1, Math.min(MAX_PART, Math.floor(POST_BUDGET_MS / Math.max(msPerFile, 0.01))));
          r = await pending;
          if (!r.ok) break;
          offset += request.files.length;
          // the part's summary event ended "loading": the folder is not done yet
          if (offset < sorted.length) patch(domain, { loading: true, progress: { done: offset, total: sorted.length } });
        }
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
