import { describe, expect, it } from 'vitest';
import { createChartEventsSlice } from './chartEvents';
import { createExplainSlice } from './explain';
import { createStudioStore } from './index';
import { createTimelineSlice } from './timeline';
import type { Studio } from './types';

/** Slices are spread into one object: a key two slices share silently keeps only the last one. */
describe('classroom UI slices', () => {
  it('own every key they define in the composed store', () => {
    const store = createStudioStore({ engine: () => null, scheduleFrame: (cb) => cb() });
    const noop = () => {};
    const args = [noop, () => store.getState(), store] as unknown as Parameters<typeof createTimelineSlice>;
    for (const create of [createTimelineSlice, createChartEventsSlice, createExplainSlice]) {
      const own = (create as (...a: typeof args) => object)(...args);
      for (const [key, value] of Object.entries(own)) {
        const composed = store.getState()[key as keyof Studio];
        if (typeof value === 'function') expect(String(composed), key).toBe(String(value));
        else expect(composed, key).toEqual(value);
      }
    }
  });
});
