/** Collects items and hands them over in batches, at most once per `ms` (and at once on flush()). */
export class Batcher<T> {
  private items: T[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly ms: number, private readonly send: (items: T[]) => void) {}

  push(item: T): void {
    this.items.push(item);
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.ms);
  }

  /** Sends what is pending now (nothing when empty). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.items.length > 0) this.send(this.items.splice(0));
  }

  /** Drops what is pending. */
  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.items = [];
  }
}
