/**
 * The loss buffer's version as one chart sees it: it follows the store's `losses.version` at most once per `ms`
 * (the latest version always lands) and lands in a React transition, so a redraw yields to typing and clicks.
 * A loss message costs the charts one comparison; the drawing happens a few times a second whatever the rate.
 *
 * Redraws land on a clock shared by all charts, each chart at its own `offset` into the period: charts offset by a
 * third of it redraw in three separate tasks instead of one three times as long.
 */
import { startTransition, useEffect, useState } from 'react';
import { useStudioStore } from '../store/react';

export function useRedrawVersion(ms: number, offset = 0): number {
  const store = useStudioStore();
  const [version, setVersion] = useState(() => store.getState().losses.version);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastSlot = -Infinity;
    const land = (slot: number) => {
      timer = undefined;
      lastSlot = slot;
      const v = store.getState().losses.version;
      startTransition(() => setVersion(v));
    };
    const schedule = () => {
      if (timer !== undefined) return;
      const now = performance.now();
      const slot = Math.max(Math.ceil((now - offset) / ms) * ms + offset, lastSlot + ms); // this chart's next turn
      timer = setTimeout(() => land(slot), slot - now);
    };
    schedule(); // points that arrived before this chart subscribed
    const off = store.subscribe((s, prev) => {
      if (s.losses !== prev.losses) schedule();
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [store, ms, offset]);
  return version;
}
