/**
 * The engine's two domains: loading files (a streamed decode with progress), the demo, clearing, and the
 * `domain` events the UI draws. Resetting the run before the images change is the engine's business (it owns
 * the run); this only keeps the images.
 */
import type { DemoName, DemoOptions, Domain, DomainSummary } from '../protocol/messages';
import type { Domains } from '../train/trainer';
import { appendDomain, decodeAll, DECODE_SHORT_SIDE, demoDomains, emptyDomain, summarize, type Decoder, type DomainData } from './domains';
import { EmptyDomainError } from './errors';
import type { Events } from './events';

/** Which part of a big folder a loadFiles request carries (the UI sends big folders in parts). */
export interface Part {
  offset: number;
  total: number;
}

export class ImageDomains {
  data: Record<Domain, DomainData> = { A: emptyDomain(), B: emptyDomain() };

  constructor(private readonly decode: Decoder, private readonly events: Events) {}

  /** The images a trainer samples from. */
  images(): Domains {
    return { A: this.data.A.images, B: this.data.B.images };
  }

  /** The images to train on; an empty domain throws EmptyDomainError, ending with `next` (what to do). */
  trainable(next: (d: Domain) => string): Domains {
    for (const d of ['A', 'B'] as const)
      if (this.data[d].images.length === 0) throw new EmptyDomainError(`Domain ${d} has no images: ${next(d)}`);
    return this.images();
  }

  counts(): { A: number; B: number } {
    return { A: this.data.A.images.length, B: this.data.B.images.length };
  }

  /** Decodes `files` into `domain` (kept at most max(286, loadSize) on the shorter side), with progress events. */
  async load(domain: Domain, files: File[], source: string, append: boolean, loadSize: number, part: Part = { offset: 0, total: files.length }): Promise<DomainSummary> {
    const shortSide = Math.max(DECODE_SHORT_SIDE, loadSize);
    let last = 0;
    const r = await decodeAll(files, this.decode, shortSide, (done, total) => {
      const now = Date.now();
      if (done === total || now - last >= 100) {
        last = now;
        this.events.emit({ type: 'loadProgress', domain, done: part.offset + done, total: part.total });
      }
    });
    this.data[domain] = append ? appendDomain(this.data[domain], { ...r, source }) : { ...r, source };
    // a part of a big folder: the UI hears about the domain once, after the last part (each summary re-renders it)
    if (part.offset + files.length < part.total) return summarize(domain, this.data[domain]);
    return this.changed(domain);
  }

  demo(demo: DemoName, options?: DemoOptions): [DomainSummary, DomainSummary] {
    this.data = demoDomains(demo, options);
    return [this.changed('A'), this.changed('B')];
  }

  clear(domain: Domain): void {
    this.data[domain] = emptyDomain();
    this.changed(domain);
  }

  /** A restored run brings its own images. */
  replace(domains: Record<Domain, DomainData>): void {
    this.data = domains;
    this.changed('A');
    this.changed('B');
  }

  /** Tells the UI about `domain` (and the other one, whose count of images shared with it may have changed). */
  changed(domain: Domain): DomainSummary {
    const other = domain === 'A' ? 'B' : 'A';
    const summary = summarize(domain, this.data[domain], this.data[other]);
    this.events.emit({ type: 'domain', summary });
    if (this.data[other].keys?.length) this.events.emit({ type: 'domain', summary: summarize(other, this.data[other], this.data[domain]) });
    this.events.status();
    return summary;
  }
}
