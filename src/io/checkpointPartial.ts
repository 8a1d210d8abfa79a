/**
 * A classroom half-step in a checkpoint: a save taken between Step G and Step D (src/train/halves.ts).
 *
 * Why it is kept rather than completed or refused: a teacher who pressed Step G and then reloads, or downloads
 * the run to open it in class, expects to find the run as they left it — G updated, D's turn next — and the
 * autosave must not change the run it saves. So the iteration in progress goes into the checkpoint whole: its
 * pair (real A, real B), the fakes D will judge, the loss terms of each half so far, the update counts, the
 * images and D maps of its latest G half, and its lr/epoch. The RNG, Adam moments and pools are already saved
 * as they are after the half (the pair was drawn, the half's update applied), so Step D after a resume does
 * exactly what Step D would have done without the interruption.
 */
import * as tf from '@tensorflow/tfjs';
import type { PartialIteration } from '../train/halves';
import type { IterationInfo } from '../train/trainer';

/** The manifest's record of an iteration in progress; its tensors are stored as `partial/…`. */
export interface PartialManifest {
  info: IterationInfo;
  gUpdates: number;
  dUpdates: number;
}

const SINGLE = ['realA', 'realB', 'fakeA', 'fakeB', 'gLosses', 'dLosses'] as const;
const PREFIX = 'partial/';

/** The iteration's tensors by checkpoint name (the caller reads them; nothing is disposed). */
export function partialTensors(p: PartialIteration): { name: string; x: tf.Tensor }[] {
  const out: { name: string; x: tf.Tensor }[] = [];
  for (const k of SINGLE) {
    const x = p[k];
    if (x) out.push({ name: `${PREFIX}${k}`, x });
  }
  for (const [k, x] of Object.entries(p.visuals)) if (x) out.push({ name: `${PREFIX}visuals/${k}`, x });
  for (const [k, x] of Object.entries(p.taps)) if (x) out.push({ name: `${PREFIX}taps/${k}`, x });
  return out;
}

export function partialManifest(p: PartialIteration): PartialManifest {
  return { info: { ...p.info }, gUpdates: p.gUpdates, dUpdates: p.dUpdates };
}

/**
 * Rebuilds the iteration in progress from the checkpoint's `partial/…` tensors: `names` are the stored tensor
 * names, `read` makes one of them a tensor. Throws (having freed what it made) when the manifest says a half
 * ran but its tensors are missing.
 */
export function restorePartial(m: PartialManifest, names: string[], read: (name: string) => tf.Tensor): PartialIteration {
  const made: tf.Tensor[] = [];
  const get = <T extends tf.Tensor>(name: string): T | null => {
    if (!names.includes(name)) return null;
    const x = read(name);
    made.push(x);
    return x as T;
  };
  try {
    const realA = get<tf.Tensor4D>(`${PREFIX}realA`), realB = get<tf.Tensor4D>(`${PREFIX}realB`);
    if (!realA || !realB) throw new Error('the half-done iteration has no image pair (partial/realA, partial/realB)');
    const counts = [m.gUpdates, m.dUpdates];
    if (!counts.every((n) => Number.isInteger(n) && n >= 0) || m.gUpdates + m.dUpdates === 0)
      throw new Error(`the half-done iteration's update counts are invalid (G ${m.gUpdates}, D ${m.dUpdates})`);
    const p: PartialIteration = {
      info: { ...m.info },
      realA, realB,
      fakeA: get(`${PREFIX}fakeA`), fakeB: get(`${PREFIX}fakeB`),
      gLosses: get(`${PREFIX}gLosses`), dLosses: get(`${PREFIX}dLosses`),
      gUpdates: m.gUpdates, dUpdates: m.dUpdates,
      visuals: {}, taps: {},
    };
    if ((p.gUpdates > 0 && !p.gLosses) || (p.dUpdates > 0 && !p.dLosses) || !p.fakeA || !p.fakeB)
      throw new Error('the half-done iteration misses the losses or fakes of a half it says ran');
    for (const [kind, into] of [['visuals', p.visuals], ['taps', p.taps]] as const)
      for (const n of names.filter((x) => x.startsWith(`${PREFIX}${kind}/`)))
        (into as Record<string, tf.Tensor>)[n.slice(PREFIX.length + kind.length + 1)] = get(n)!;
    return p;
  } catch (e) {
    tf.dispose(made);
    throw e;
  }
}
