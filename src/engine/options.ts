/** What an Engine is made with, and the defaults of what it does not say. */
import { SAMPLE_EVERY } from '../config';
import type { CheckpointStore } from '../io/checkpointStore';
import type { SetupBackend } from './backend';
import type { Decoder } from './domains';
import type { FaultOptions } from './faults';
import type { RunSettings } from './run';

export interface EngineOptions {
  /** File → RGB (browser: createImageBitmap + OffscreenCanvas; Node: pngjs/jpeg-js). */
  decode: Decoder;
  /** Starts a backend. Without it, the engine reports whatever tfjs has (Node tests). */
  setupBackend?: SetupBackend;
  lossFlushMs?: number; // default 100 (≤ 10 loss messages a second)
  /** Default visuals period in iterations (the reference displays every 400; the studio wants to see more). */
  sampleEvery?: number;
  /** Take an in-memory "last good" state at least every this many iterations (default 50). */
  guardEvery?: number;
  /** TEST-ONLY fault injection (./faults.ts); off unless enabled. */
  faults?: FaultOptions;
  /** Where checkpoints are kept (the worker: IndexedDB). Default: in memory, for Node tests and tools. */
  checkpointStore?: CheckpointStore;
}

export const runSettings = (o: EngineOptions): RunSettings => ({
  lossFlushMs: o.lossFlushMs ?? 100,
  sampleEvery: o.sampleEvery ?? SAMPLE_EVERY.default,
  guardEvery: o.guardEvery ?? 50,
});
