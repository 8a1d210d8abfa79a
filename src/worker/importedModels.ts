/**
 * The imported generators, as the page knows them across worker restarts. A fresh worker numbers its imports from
 * m1 again, so the page keeps its own ids: each one maps to the id of the worker that holds the generator now
 * (the same id until a restart). The files each came from are kept, to import it again into a fresh worker.
 */
import type { EngineApi, ImportedModelInfo, Request, RequestKind, ReturnTypes } from '../protocol/messages';

interface Held {
  /** As the page knows it (the page's id). */
  info: ImportedModelInfo;
  files: File[];
  /** The id in the worker that holds it now. */
  inWorker: string;
}

export class ImportedModels {
  private readonly held = new Map<string, Held>(); // by the page's id, in import order

  /** The request as the worker knows it: a page id becomes the worker's. */
  toWorker<K extends RequestKind>(request: Extract<Request, { kind: K }>): Extract<Request, { kind: K }> {
    const r = request as Request;
    if (r.kind === 'translate' && r.source !== 'run') return { ...r, source: { model: this.workerId(r.source.model) } } as typeof request;
    if (r.kind === 'dropImportedModel') return { ...r, id: this.workerId(r.id) } as typeof request;
    return request;
  }

  /** What the worker returned, as the page knows it; an import's files are kept. */
  toPage<K extends RequestKind>(request: Extract<Request, { kind: K }>, value: ReturnTypes[K]): ReturnTypes[K] {
    if (request.kind === 'importGenerator') return this.add(value as ImportedModelInfo, (request as Extract<Request, { kind: 'importGenerator' }>).files) as ReturnTypes[K];
    if (request.kind === 'dropImportedModel') return this.list(value as ImportedModelInfo[]) as ReturnTypes[K];
    return value;
  }

  /** The worker's list (an importedModels event, a drop's answer) with the page's ids; models no longer held are forgotten. */
  list(models: ImportedModelInfo[]): ImportedModelInfo[] {
    const byWorker = new Map([...this.held.values()].map((h) => [h.inWorker, h]));
    const kept = new Set<string>();
    const listed = models.map((m) => {
      const h = byWorker.get(m.id);
      const info = h ? { ...m, id: h.info.id } : this.add(m, null);
      kept.add(info.id);
      return info;
    });
    for (const id of [...this.held.keys()]) if (!kept.has(id)) this.held.delete(id);
    return listed;
  }

  /**
   * Imports every held generator into a fresh worker again (its ids change, the page's stay). Returns the list the
   * page shows and what it says, or null when none was held.
   */
  async reimport(engine: EngineApi): Promise<{ models: ImportedModelInfo[]; notice: string } | null> {
    if (this.held.size === 0) return null;
    const lost: string[] = [];
    for (const [id, h] of [...this.held]) {
      try {
        if (h.files.length === 0) throw new Error('its files are not kept');
        h.inWorker = (await engine.call({ kind: 'importGenerator', files: h.files })).id;
      } catch (e) {
        this.held.delete(id);
        lost.push(`${h.info.name} (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    const models = [...this.held.values()].map((h) => h.info);
    const notice = lost.length
      ? `The training worker was restarted; these imported generators could not be loaded again and were removed: ${lost.join('; ')}. Import them again.`
      : `The training worker was restarted; the imported generator${models.length === 1 ? ' was' : 's were'} loaded into it again.`;
    return { models, notice };
  }

  private workerId(pageId: string): string {
    return this.held.get(pageId)?.inWorker ?? pageId;
  }

  /** A generator the worker now holds: the page gets the worker's id unless another model has it already. */
  private add(m: ImportedModelInfo, files: File[] | null): ImportedModelInfo {
    const same = [...this.held.values()].find((h) => h.inWorker === m.id);
    if (same) {
      if (files) same.files = files;
      return same.info;
    }
    let id = m.id;
    for (let n = 2; this.held.has(id); n++) id = `${m.id}-${n}`;
    const info = { ...m, id };
    this.held.set(id, { info, files: files ?? [], inWorker: m.id });
    return info;
  }
}
