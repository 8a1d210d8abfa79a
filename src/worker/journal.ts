/**
 * What a worker was set up with, to set a fresh one up the same way after a fault: the backend, the images (the
 * demo, or each domain's files as they were sent) and the settings. Only requests the engine accepted are kept, and
 * only their latest effect: a domain loaded again forgets its earlier images, configure requests merge as the
 * engine merges them. Also the run's last save, the checkpoint a restart may resume from.
 */
import type { CycleGANConfig } from '../config';
import type { AutosaveEvery, CheckpointSummary, DemoName, DemoOptions, Domain, EngineApi, EngineEvent, Request, RequestKind, ReturnTypes } from '../protocol/messages';

type Req<K extends RequestKind> = Extract<Request, { kind: K }>;

/** What failed while setting a fresh worker up (the page words it). */
export type SetUpFailure =
  | { step: 'backend'; backend: Req<'init'>['backend'] }
  | { step: 'images'; why: string }
  | { step: 'settings' };

export class Journal {
  init: Req<'init'> | null = null;
  private demo: { demo: DemoName; options?: DemoOptions } | null = null;
  /** Per domain: the demo's images, the parts of a folder as they were sent, or nothing. */
  private readonly domains: Record<Domain, 'demo' | Req<'loadFiles'>[] | null> = { A: null, B: null };
  private settings: { config: Partial<CycleGANConfig>; sampleEvery?: number; autosaveEvery?: AutosaveEvery } | null = null;
  /** The saved runs as last listed (to know the one a resumeCheckpoint picks). */
  private saved: CheckpointSummary[] = [];
  private lastSave: CheckpointSummary | null = null;

  /** This run's latest save (its latest checkpoint event, or the saved run it resumed). */
  get last(): CheckpointSummary | null {
    return this.lastSave;
  }

  /** `request` succeeded with `value`. */
  record<K extends RequestKind>(request: Req<K>, value: ReturnTypes[K]): void {
    const r = request as Request;
    switch (r.kind) {
      case 'init':
        this.init = r;
        return;
      case 'loadDemo':
        this.demo = { demo: r.demo, ...(r.options ? { options: r.options } : {}) };
        this.domains.A = this.domains.B = 'demo';
        return;
      case 'loadFiles': {
        const before = this.domains[r.domain];
        this.domains[r.domain] = r.append && Array.isArray(before) ? [...before, r] : [r];
        return;
      }
      case 'clearDomain':
        this.domains[r.domain] = null;
        return;
      case 'configure': {
        const s = this.settings ?? { config: {} };
        this.settings = {
          config: { ...s.config, ...r.config },
          sampleEvery: r.sampleEvery ?? s.sampleEvery,
          autosaveEvery: r.autosaveEvery ?? s.autosaveEvery,
        };
        return;
      }
      case 'listCheckpoints':
        this.saved = value as CheckpointSummary[];
        return;
      case 'resumeCheckpoint':
        this.lastSave = this.saved.find((s) => s.id === r.id) ?? null;
        return;
      case 'deleteCheckpoint':
        if (this.lastSave?.id === r.id) this.lastSave = null;
        return;
    }
  }

  /** An event of the engine: a save is this run's latest. */
  heard(e: EngineEvent): void {
    if (e.type !== 'checkpoint') return;
    this.lastSave = e.summary;
    this.saved = [e.summary, ...this.saved.filter((s) => s.id !== e.summary.id)];
  }

  /** Gives `engine` (fresh, started on its backend) the same images and settings: what failed, or null. */
  async replay(engine: EngineApi): Promise<SetUpFailure | null> {
    const { A, B } = this.domains;
    const demoUsed = this.demo !== null && (A === 'demo' || B === 'demo');
    if (demoUsed && !(await engine.call({ kind: 'loadDemo', ...this.demo! }).then(() => true, () => false)))
      return { step: 'images', why: 'the demo images could not be loaded again' };
    for (const d of ['A', 'B'] as const) {
      const loaded = this.domains[d];
      try {
        if (Array.isArray(loaded)) for (const part of loaded) await engine.call(part);
        else if (!loaded && demoUsed) await engine.call({ kind: 'clearDomain', domain: d });
      } catch (e) {
        return { step: 'images', why: `the images of domain ${d} could not be loaded again (${e instanceof Error ? e.message : String(e)})` };
      }
    }
    if (this.settings && !(await engine.call({ kind: 'configure', ...this.settings }).then(() => true, () => false))) return { step: 'settings' };
    return null;
  }
}
