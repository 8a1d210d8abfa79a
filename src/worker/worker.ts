/**
 * The training worker: the engine, with the browser's decoder and backend selection, served over postMessage.
 * The device watcher reports a lost WebGPU device or GPU out-of-memory to the engine. A worker named with
 * "faults" (TEST-ONLY: the page's ?faults=1) accepts injected faults (src/engine/faults.ts).
 */
import { destroyDevice, watchDevice } from '../backend/deviceWatch';
import { backendMemoryLimits } from '../backend/memoryLimits';
import { selectBackend } from '../backend/select';
import { decodeImageFile } from '../data/decodeBrowser';
import { Engine } from '../engine/engine';
import { IdbCheckpointStore } from '../io/idb/idbStore';
import { serve, type WorkerScope } from './handler';

const scope = self as unknown as WorkerScope & { name: string; close(): void };
const engine: Engine = new Engine({
  decode: decodeImageFile,
  checkpointStore: new IdbCheckpointStore(),
  setupBackend: async (choice, threads) => {
    const info = await selectBackend(choice, threads ?? navigator.hardwareConcurrency ?? 1);
    watchDevice(info, (kind, detail) => engine.fatal(kind, detail));
    return { ...info, memory: backendMemoryLimits(info.name) };
  },
  faults: {
    enabled: /\bfaults\b/.test(scope.name),
    crash: () => {
      throw new Error('injected fault: the worker crashed');
    },
    hang: () => {
      for (;;); // a stuck thread: only the client's watchdog can end it
    },
    loseDevice: destroyDevice,
  },
});
serve(scope, engine);
