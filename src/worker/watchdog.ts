/**
 * The client's heartbeat on the worker: a worker that closed itself, or whose thread is stuck, sends nothing and
 * raises no event — only silence tells. The watchdog pings every `intervalMs` and calls `onSilent` when a ping
 * has gone unanswered (and nothing else arrived) for longer than the timeout.
 *
 * Why silence is measured from the unanswered ping, not from the last message: a background tab's timers are
 * throttled (Chrome: once a minute), so long gaps between our own pings are normal and prove nothing.
 * Why the timeout grows with the slowest iteration: on wasm and cpu an iteration runs synchronously and the
 * worker cannot answer until it ends; the Paper preset's takes over a minute. Before the first one ends, the
 * engine's status says how long it may take (an estimate from the config's compute), and that counts too.
 */
export interface WatchdogOptions {
  intervalMs: number;
  /** Silence after a ping that means the worker is gone (raised to 5× the slowest iteration seen, or expected). */
  timeoutMs: number;
}

export class Watchdog {
  private timer: ReturnType<typeof setInterval> | null = null;
  private pingSent: number | null = null; // the oldest ping sent since we last heard anything
  private slowest = 0;
  private expected = 0; // the engine's latest estimate for the iteration to come

  constructor(
    private readonly opts: WatchdogOptions,
    private readonly ping: () => void,
    private readonly onSilent: (silentMs: number) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get timeoutMs(): number {
    return Math.max(this.opts.timeoutMs, 5 * this.slowest, 5 * this.expected);
  }

  start(): void {
    this.stop();
    this.heard();
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.pingSent = null;
  }

  /** Any message from the worker: it is alive. */
  heard(): void {
    this.pingSent = null;
  }

  /** An iteration took `ms` (from the losses): the worker may be that long without answering. */
  iteration(ms: number): void {
    if (ms > this.slowest) this.slowest = ms;
  }

  /** The engine expects the next iterations to take `ms` (its latest word replaces the last: a smaller run, less). */
  expect(ms: number): void {
    this.expected = ms;
  }

  tick(): void {
    const now = this.now();
    if (this.pingSent === null) {
      this.pingSent = now;
      this.ping();
      return;
    }
    const silent = now - this.pingSent;
    if (silent > this.timeoutMs) {
      this.stop();
      this.onSilent(silent);
    }
  }
}
