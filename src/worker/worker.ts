/** The training worker: the engine, with the browser's decoder and backend selection, served over postMessage. */
import { selectBackend } from '../backend/select';
import { decodeImageFile } from '../data/decodeBrowser';
import { Engine } from '../engine/engine';
import { IdbCheckpointStore } from '../io/idb/idbStore';
import { serve, type WorkerScope } from './handler';

serve(self as unknown as WorkerScope, new Engine({ decode: decodeImageFile, setupBackend: selectBackend, checkpointStore: new IdbCheckpointStore() }));
