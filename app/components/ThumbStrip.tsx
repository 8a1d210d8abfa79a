/**
 * A domain's first few images as a strip that scrolls sideways. The strip is a named region in the tab order: keyboard
 * users reach it and scroll it with the arrow keys (the thumbnails themselves take no focus), and screen readers
 * announce which domain it shows and how many of its images.
 */
import type { Domain, DomainSummary } from '../../src/protocol/messages';
import { PictureCanvas } from './PictureCanvas';

/** "Domain A images (40)", or "Domain A images (12 of 40 shown)" when the strip holds only the first few. */
export function thumbStripLabel(domain: Domain, shown: number, total: number): string {
  return `Domain ${domain} images (${shown === total ? total : `${shown} of ${total} shown`})`;
}

export function ThumbStrip({ domain, summary }: { domain: Domain; summary: DomainSummary }) {
  return (
    <div className="thumbs" data-testid={`thumbs-${domain}`} role="region" tabIndex={0} aria-label={thumbStripLabel(domain, summary.thumbs.length, summary.count)}>
      {summary.thumbs.map((t, i) => (
        <PictureCanvas key={`${t.name}-${i}`} picture={t} className="thumb" title={t.name} role="img" aria-label={t.name} />
      ))}
    </div>
  );
}
