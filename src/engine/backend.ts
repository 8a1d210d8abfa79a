/**
 * The backend the engine runs on: which one was asked for, what runs (BackendInfo), and switching. A switch frees
 * the imported generators' tensors on the old backend (after the translations in flight) and rebuilds them on the
 * new one — on whichever backend is active, even after a failed start.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice, BackendInfo, BackendName } from '../protocol/messages';
import type { Events } from './events';
import type { Translator } from './translate';

/** Starts a backend (`threads`: how many wasm may use; undefined = all) and reports what runs. */
export type SetupBackend = (choice: BackendChoice, threads: number | undefined) => Promise<BackendInfo>;

/** Without a setup: whatever backend the host process set up (Node tests and tools). */
const hostBackend: SetupBackend = async (choice) =>
  ({ name: tf.getBackend() as BackendName, requested: choice, reason: 'In-process engine: the backend the host set up.' });

export class Backend {
  info: BackendInfo | null = null;
  private requested: BackendChoice = 'auto'; // a forced choice that failed is retried, never swapped for auto

  constructor(private readonly setup: SetupBackend = hostBackend, private readonly translator: Translator, private readonly events: Events) {}

  /** Starts `choice`. The caller has disposed the run first: its tensors belong to the old backend. */
  async start(choice: BackendChoice, threads?: number): Promise<BackendInfo> {
    await this.translator.releaseTensors();
    this.requested = choice;
    this.info = null;
    const info = await this.setup(choice, threads).finally(() => this.translator.rebuild(tf.getBackend()));
    this.info = info;
    this.events.emit({ type: 'backend', info });
    this.events.status();
    return info;
  }

  /** Starts the requested backend when none runs (after a failed start, the same choice again). */
  async ensure(): Promise<void> {
    if (!this.info) await this.start(this.requested);
  }
}
