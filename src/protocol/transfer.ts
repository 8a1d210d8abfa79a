/**
 * Buffers that a reply hands over for good (an export's zip bytes): the worker adapter transfers them to the
 * page instead of copying. Only buffers marked here move — a reply that shares a buffer the engine keeps
 * (e.g. the latest visuals) must be copied, or the engine's copy would be detached.
 */
const handedOver = new WeakSet<ArrayBufferLike>();

export function transferable<T extends ArrayBufferView>(view: T): T {
  handedOver.add(view.buffer);
  return view;
}

/** The marked buffers among a reply's top-level fields and their fields (e.g. a translation's pictures' rgba). */
export function transfersOf(value: unknown, depth = 2): ArrayBuffer[] {
  if (!value || typeof value !== 'object' || depth === 0) return [];
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(value)) {
    if (ArrayBuffer.isView(v)) {
      if (handedOver.has(v.buffer) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
    } else for (const b of transfersOf(v, depth - 1)) out.add(b);
  }
  return [...out];
}
