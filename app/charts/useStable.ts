/**
 * `value`, or the previous one while `same` says nothing changed: recharts re-registers an axis or a reference line
 * (and recomputes the whole chart) whenever one of its props is a new object, even an equal one.
 */
import { useRef } from 'react';

export function useStable<T>(value: T, same: (a: T, b: T) => boolean): T {
  const kept = useRef(value);
  if (kept.current !== value && !same(kept.current, value)) kept.current = value;
  return kept.current;
}

/** Equal lengths and equal items (Object.is, or `item` for objects). */
export function sameList<T>(a: readonly T[], b: readonly T[], item: (x: T, y: T) => boolean = Object.is): boolean {
  return a.length === b.length && a.every((x, i) => item(x, b[i]));
}
