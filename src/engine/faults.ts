/**
 * Faults that end a run's device, and TEST-ONLY fault injection.
 *
 * Fatal faults (the backend cannot go on; the worker's supervisor restarts it): a lost WebGPU device, and running out of
 * memory (GPU or the wasm heap). `outOfMemory` (./outOfMemory.ts) recognises the latter in whatever an op threw.
 *
 * Injection (`injectFault`) is refused unless the engine was created with `faults.enabled` — the worker enables
 * it only when started as `cyclegan-engine faults` (the page's `?faults=1`, which nothing in the studio sets by
 * itself). Each injected fault goes through the same path as the real one, so the real guard is what catches it:
 *   nan        poisons one weight before the next iteration → the divergence guard sees non-finite weights
 *   oom        the next iteration throws what an out-of-memory op throws → classified as out of memory
 *   deviceLost destroys the real WebGPU device when there is one (its `lost` promise fires), else reports a
 *              loss through the same handler `device.lost` uses
 *   crash      an uncaught error in the worker (its `error` event reaches the client)
 *   hang       the worker's thread spins forever (no event at all: the client's watchdog notices, terminates it)
 */
import * as tf from '@tensorflow/tfjs';
import type { FaultKind } from '../protocol/messages';
import type { CycleGANTrainer } from '../train/trainer';

export class FaultsDisabledError extends Error {
  override name = 'FaultsDisabledError';
}

/** Hooks the host provides (the worker); in-process engines have none for crash/hang. */
export interface FaultOptions {
  enabled: boolean;
  crash?: () => void;
  hang?: () => void;
  /** Destroys the backend's real device; false when there is none (not WebGPU). */
  loseDevice?: () => boolean;
}

export class Faults {
  private armed: 'nan' | 'oom' | null = null;

  constructor(private readonly opts: FaultOptions = { enabled: false }) {}

  /** Arms or fires one fault; `lost` is the engine's device-lost handler (what the real `device.lost` calls). */
  inject(kind: FaultKind, lost: (message: string) => void): void {
    if (!this.opts.enabled)
      throw new FaultsDisabledError('Fault injection is for tests only: open the studio with ?faults=1 to enable it.');
    switch (kind) {
      case 'nan':
      case 'oom':
        this.armed = kind;
        return;
      case 'deviceLost':
        if (!this.opts.loseDevice?.()) lost('The GPU device was lost (injected fault: the device reported "destroyed").');
        return;
      case 'crash':
      case 'hang': {
        const f = this.opts[kind];
        if (!f) throw new FaultsDisabledError(`The "${kind}" fault needs a worker (this engine runs in-process).`);
        setTimeout(f, 0); // after the answer is posted
        return;
      }
    }
  }

  /** Called before each iteration is enqueued: applies an armed fault to it. */
  beforeIteration(t: CycleGANTrainer): void {
    const armed = this.armed;
    if (!armed) return;
    this.armed = null;
    if (armed === 'oom') throw new Error('Out of memory: could not allocate a buffer for the next iteration (injected fault).');
    const [, w] = [...t.models.params('D_A')][0]; // the first conv of D_A
    tf.tidy(() => w.assign(tf.mul(w, NaN)));
  }
}

/** A request after a fatal fault: the engine is waiting to be restarted. */
export class EngineFaultError extends Error {
  override name = 'EngineFaultError';
}
