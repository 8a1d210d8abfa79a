/**
 * The Translate panel's state: which generator (the run's G_A / G_B, or an imported one), the images dropped
 * for translation and their results, and the imported generators the engine holds. Errors stay inline in the
 * panel (per image, per import) instead of the global banner: a bad file there disturbs nothing else.
 * Images are translated one at a time, in the order they were dropped (the engine queues them between
 * training iterations anyway).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { Direction, ImportedModelInfo, TranslateResult } from '../../src/protocol/messages';
import type { Studio, StudioDeps } from './types';

export interface TranslateItem {
  id: number;
  file: File;
  status: 'queued' | 'running' | 'done' | 'error';
  result?: TranslateResult;
  /** The direction the result was made in (names the download: *_fake_B.png for A→B). */
  direction?: Direction;
  error?: string;
}

export interface TranslationState {
  /** 'run', or an imported model's id. */
  source: string;
  /** For the run: G_A (A→B) or G_B (B→A). An imported generator has its own. */
  direction: Direction;
  items: TranslateItem[];
  models: ImportedModelInfo[];
  importing: boolean;
  importError: string | null;
  /** What the engine said about the imported models (e.g. reloaded after a backend switch). */
  notice: string | null;
  /** Translate every image again whenever the run sends new visuals (watch them change as it trains). */
  follow: boolean;
}

export interface TranslateSlice {
  translation: TranslationState;
  setTranslateSource: (source: string) => void;
  setTranslateDirection: (d: Direction) => void;
  /** Queues images for translation with the current generator. */
  translateFiles: (files: File[]) => Promise<void>;
  /** Translates every image again with the current generator (e.g. after more training). */
  retranslateAll: () => Promise<void>;
  removeTranslation: (id: number) => void;
  clearTranslations: () => void;
  importModel: (files: File[]) => Promise<boolean>;
  dropModel: (id: string) => Promise<void>;
  dismissImportError: () => void;
  setFollow: (on: boolean) => void;
  /** From the engine's importedModels event. */
  setImportedModels: (models: ImportedModelInfo[], notice?: string) => void;
}

/** Files the panel treats as a generator to import rather than an image to translate (.zip: our Export). */
export const isModelFile = (f: File): boolean => /\.(pth|pt|json|bin|zip)$/i.test(f.name);

/** The direction a translation with `model` (or the run, when undefined) takes: a pair (an Export) has both. */
export const directionFor = (model: ImportedModelInfo | undefined, chosen: Direction): Direction =>
  model && !model.pair ? model.direction : chosen;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export const createTranslateSlice =
  (deps: StudioDeps): StateCreator<Studio, [], [], TranslateSlice> =>
  (set, get, api) => {
    let nextId = 1;
    let draining = false;
    const patch = (p: Partial<TranslationState>) => set((s) => ({ translation: { ...s.translation, ...p } }));
    const patchItem = (id: number, p: Partial<TranslateItem>) =>
      set((s) => ({ translation: { ...s.translation, items: s.translation.items.map((it) => (it.id === id ? { ...it, ...p } : it)) } }));

    /** Works through the queued items one by one; a second call while it runs is a no-op. */
    const drain = async (): Promise<void> => {
      if (draining) return;
      draining = true;
      try {
        for (let item = next(); item; item = next()) {
          const { source, direction, models } = get().translation;
          const model = models.find((m) => m.id === source);
          const dir = directionFor(model, direction);
          patchItem(item.id, { status: 'running', error: undefined });
          const engine = deps.engine();
          try {
            if (!engine) throw new Error('The training engine is not running; reload the page.');
            const result = await engine.call({ kind: 'translate', source: model ? { model: model.id } : 'run', direction: dir, file: item.file });
            patchItem(item.id, { status: 'done', result, direction: dir });
          } catch (e) {
            patchItem(item.id, { status: 'error', error: message(e) });
          }
        }
      } finally {
        draining = false;
      }
    };
    const next = () => get().translation.items.find((it) => it.status === 'queued');

    // Follow the run: new visuals mean new weights (every sampleEvery iterations); skipped while a pass is running.
    const latest = (v: Studio['visuals']) => Math.max(-1, ...Object.values(v).map((x) => x?.iter ?? -1));
    api.subscribe((s, prev) => {
      const t = s.translation;
      if (!t.follow || t.source !== 'run' || draining || t.items.length === 0) return;
      if (latest(s.visuals) > latest(prev.visuals)) void get().retranslateAll();
    });

    return {
      translation: { source: 'run', direction: 'AtoB', items: [], models: [], importing: false, importError: null, notice: null, follow: false },

      setTranslateSource: (source) => patch({ source }),
      setTranslateDirection: (direction) => patch({ direction }),

      translateFiles: async (files) => {
        const added: TranslateItem[] = files.map((file) => ({ id: nextId++, file, status: 'queued' }));
        patch({ items: [...get().translation.items, ...added] });
        await drain();
      },

      retranslateAll: async () => {
        set((s) => ({ translation: { ...s.translation, items: s.translation.items.map((it) => (it.status === 'running' ? it : { ...it, status: 'queued' as const, error: undefined })) } }));
        await drain();
      },

      removeTranslation: (id) => patch({ items: get().translation.items.filter((it) => it.id !== id) }),
      clearTranslations: () => patch({ items: [] }), // a translation in flight comes back to no item and is dropped

      importModel: async (files) => {
        const engine = deps.engine();
        patch({ importing: true, importError: null, notice: null });
        try {
          if (!engine) throw new Error('The training engine is not running; reload the page.');
          const info = await engine.call({ kind: 'importGenerator', files });
          const models = get().translation.models.some((m) => m.id === info.id) ? get().translation.models : [...get().translation.models, info];
          patch({ importing: false, models, source: info.id }); // translate with what was just imported
          return true;
        } catch (e) {
          patch({ importing: false, importError: `${files.map((f) => f.name).join(', ')}: ${message(e)}` });
          return false;
        }
      },

      dropModel: async (id) => {
        const engine = deps.engine();
        try {
          if (!engine) throw new Error('The training engine is not running; reload the page.');
          get().setImportedModels(await engine.call({ kind: 'dropImportedModel', id }));
        } catch (e) {
          patch({ importError: message(e) });
        }
      },

      dismissImportError: () => patch({ importError: null }),
      setFollow: (follow) => patch({ follow }),

      setImportedModels: (models, notice) => {
        const { source } = get().translation;
        patch({ models, source: source === 'run' || models.some((m) => m.id === source) ? source : 'run', ...(notice ? { notice } : {}) });
      },
    };
  };
