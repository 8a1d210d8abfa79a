import type { StateCreator } from 'zustand/vanilla';
import type { ErrorInfo } from '../../src/protocol/messages';
import type { ErrorsSlice, Studio } from './types';

/** {name, message} from whatever was thrown or sent (ErrorInfo, Error, string, anything). */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e && typeof e === 'object') {
    const o = e as { name?: unknown; message?: unknown };
    const message = typeof o.message === 'string' && o.message ? o.message : JSON.stringify(e);
    return { name: typeof o.name === 'string' && o.name ? o.name : 'Error', message };
  }
  return { name: 'Error', message: String(e) };
}

let nextId = 1;

export const createErrorsSlice: StateCreator<Studio, [], [], ErrorsSlice> = (set) => ({
  errors: [],
  pushError: (context, error) => {
    const { name, message } = toErrorInfo(error);
    set((s) => {
      const same = s.errors.find((x) => x.context === context && x.name === name && x.message === message);
      if (same) return { errors: s.errors.map((x) => (x === same ? { ...x, count: x.count + 1 } : x)) };
      return { errors: [...s.errors, { id: nextId++, context, name, message, count: 1 }] };
    });
  },
  dismissError: (id) => set((s) => ({ errors: s.errors.filter((x) => x.id !== id) })),
});
