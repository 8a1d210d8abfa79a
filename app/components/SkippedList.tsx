/**
 * The files a domain skipped, grouped by reason (one expandable group per reason, largest first), each file
 * named with its folder path. A group lists its first files and a button for the rest: a folder of 5,000
 * non-images must not put 5,000 list items into the page at once.
 */
import { useState } from 'react';
import type { Domain, NotedFile, SkippedFile } from '../../src/protocol/messages';

const FIRST = 30;

export function groupByReason(skipped: SkippedFile[]): { reason: string; names: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const f of skipped) {
    const g = groups.get(f.reason);
    if (g) g.push(f.name);
    else groups.set(f.reason, [f.name]);
  }
  return [...groups].map(([reason, names]) => ({ reason, names })).sort((a, b) => b.names.length - a.names.length);
}

function Group({ reason, names, open }: { reason: string; names: string[]; open: boolean }) {
  const [all, setAll] = useState(false);
  const shown = all ? names : names.slice(0, FIRST);
  return (
    <details className="skipped-group" data-testid="skipped-group" open={open}>
      <summary>
        <span className="skipped-count">{names.length}</span> <span className="skipped-reason">{reason}</span>
      </summary>
      <ul>
        {shown.map((n, i) => (
          <li key={`${n}-${i}`} title={`${n} — ${reason}`}>
            {n}
          </li>
        ))}
      </ul>
      {shown.length < names.length && (
        <button type="button" className="small link" onClick={() => setAll(true)}>
          Show all {names.length}
        </button>
      )}
    </details>
  );
}

export function SkippedList({ domain, skipped, kept }: { domain: Domain; skipped: SkippedFile[]; kept: number }) {
  const groups = groupByReason(skipped);
  return (
    <div className="skipped" data-testid={`skipped-${domain}`}>
      {skipped.length > 0 && (
        <p className="skipped-head">
          Skipped {skipped.length} file{skipped.length === 1 ? '' : 's'}
          {kept > 0 ? ' — training uses the rest' : ' — no usable image in this domain'}
        </p>
      )}
      <Groups groups={groups} />
    </div>
  );
}

/** The groups, each open when there are few (a long list stays folded). */
function Groups({ groups }: { groups: ReturnType<typeof groupByReason> }) {
  return (
    <div className="skipped-groups">
      {groups.map((g) => (
        <Group key={g.reason} reason={g.reason} names={g.names} open={groups.length <= 2 && g.names.length <= 5} />
      ))}
    </div>
  );
}

/** Kept files that were not used exactly as they are (an animated GIF's first frame, transparency dropped), by note. */
export function NotedList({ domain, notes }: { domain: Domain; notes: NotedFile[] }) {
  if (notes.length === 0) return null;
  const groups = groupByReason(notes.map((n) => ({ name: n.name, reason: n.note })));
  return (
    <div className="skipped noted" data-testid={`notes-${domain}`}>
      <p className="skipped-head">
        Kept {notes.length} file{notes.length === 1 ? '' : 's'} with a note
      </p>
      <Groups groups={groups} />
    </div>
  );
}

/** The same files in both domains: a CycleGAN between a folder and itself learns nothing. */
export function SameImagesWarning({ domain, shared, count }: { domain: Domain; shared: number; count: number }) {
  if (shared <= 0) return null;
  const other = domain === 'A' ? 'B' : 'A';
  return (
    <p className="same-images" role="alert" data-testid={`same-images-${domain}`}>
      <strong>{shared === count ? `Same images as domain ${other}.` : `${shared} of these ${count} images are also in domain ${other}.`}</strong>{' '}
      A CycleGAN learns to translate between two different sets of pictures; load a different folder into one of the domains.
    </p>
  );
}
