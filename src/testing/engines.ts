/**
 * For the engine's tests: the cpu backend, and every engine a test makes (through `track`) stopped and disposed
 * after the test. With `leaks`, the tensor count must then be back where it was before the first test.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, expect } from 'vitest';
import type { Engine } from '../engine/engine';

export function trackEngines(opts: { leaks?: boolean } = {}): ((e: Engine) => Engine) & { baseline(): number } {
  const engines: Engine[] = [];
  let baseline = 0;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    baseline = tf.memory().numTensors;
  });
  afterEach(async () => {
    for (const e of engines.splice(0)) {
      await e.call({ kind: 'stop' }).catch(() => undefined);
      e.dispose();
      await e.idle();
    }
    if (opts.leaks) expect(tf.memory().numTensors).toBe(baseline); // nothing leaks, whatever happened in the test
  });
  const track = (e: Engine): Engine => {
    engines.push(e);
    return e;
  };
  return Object.assign(track, { baseline: () => baseline }); // the tensor count before the first test
}
