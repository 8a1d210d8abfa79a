/** One domain's data: folder picker + drop zone in, then count, size, thumbnails, skipped files (by reason), kept files with a note, clear. */
import { useState, type DragEvent } from 'react';
import type { Domain } from '../../src/protocol/messages';
import { useStudio } from '../store/react';
import { describeSource, filesFromDrop, filesFromPicker, formatBytes } from './dropFiles';
import { NotedList, SameImagesWarning, SkippedList } from './SkippedList';
import { ThumbStrip } from './ThumbStrip';

// React has no typing for the directory-picker attributes; they pass through to the DOM as written.
const DIRECTORY_PICKER = { webkitdirectory: '', directory: '' } as Record<string, string>;

export function DomainPanel({ domain }: { domain: Domain }) {
  const d = useStudio((s) => s.domains[domain]);
  const training = useStudio((s) => s.run.status.state === 'training');
  const loadFiles = useStudio((s) => s.loadFiles);
  const clearDomain = useStudio((s) => s.clearDomain);
  const pushError = useStudio((s) => s.pushError);
  const [over, setOver] = useState(false);
  const busy = d.loading || training;
  const summary = d.summary;

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (busy) {
      pushError(`Cannot load into domain ${domain} now`, {
        name: 'Busy',
        message: training ? 'Pause or stop training first: a run trains on the images it started with.' : 'Wait for the current load to finish.',
      });
      return;
    }
    try {
      const { files, names } = await filesFromDrop(e.dataTransfer);
      if (files.length === 0) pushError(`Nothing to load into domain ${domain}`, { name: 'EmptyDrop', message: 'The drop held no files. Drop image files or a folder of images.' });
      else await loadFiles(domain, files, describeSource(names));
    } catch (err) {
      pushError(`Could not read the dropped items for domain ${domain}`, err);
    }
  };

  return (
    <section className="panel domain" data-testid={`domain-${domain}`} aria-label={`Domain ${domain}`}>
      <header className="panel-head">
        <h2>Domain {domain}</h2>
        <button type="button" className="small" data-testid={`clear-${domain}`} disabled={busy || !summary} onClick={() => void clearDomain(domain)}>
          Clear
        </button>
      </header>

      <div
        className={`dropzone${over ? ' over' : ''}${busy ? ' disabled' : ''}`}
        data-testid={`drop-${domain}`}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => void onDrop(e)}
      >
        <span>Drop a folder or images here, or</span>
        <label className={`button small${busy ? ' disabled' : ''}`}>
          Choose folder…
          <input
            type="file"
            className="visually-hidden"
            data-testid={`pick-${domain}`}
            multiple
            disabled={busy}
            {...DIRECTORY_PICKER}
            onChange={(e) => {
              const input = e.currentTarget;
              if (!input.files || input.files.length === 0) {
                pushError(`Nothing to load into domain ${domain}`, { name: 'EmptyFolder', message: 'The chosen folder holds no files. Pick a folder with images in it (sub-folders are read too).' });
                return;
              }
              const { files, names } = filesFromPicker(input.files);
              input.value = ''; // picking the same folder again fires change again
              void loadFiles(domain, files, describeSource(names));
            }}
          />
        </label>
      </div>

      {d.loading && (
        <div className="load-progress" role="status">
          {d.progress && d.progress.total > 0 ? (
            <>
              <progress max={d.progress.total} value={d.progress.done} />
              <span>
                Decoding {d.progress.done} / {d.progress.total}
              </span>
            </>
          ) : (
            <>
              <progress />
              <span>Loading…</span>
            </>
          )}
        </div>
      )}

      <p className="domain-stats">
        <strong className="big-number" data-testid={`count-${domain}`}>
          {summary?.count ?? 0}
        </strong>{' '}
        images{summary ? ` · ${formatBytes(summary.totalBytes)}` : ''}
        {summary?.source && (
          <span className="source" title={summary.source}>
            {summary.source}
          </span>
        )}
      </p>

      {summary && summary.thumbs.length > 0 && <ThumbStrip domain={domain} summary={summary} />}

      {summary && <SameImagesWarning domain={domain} shared={summary.sharedWithOther} count={summary.count} />}
      {summary && <SkippedList domain={domain} skipped={summary.skipped} kept={summary.count} />}
      {summary?.notes && <NotedList domain={domain} notes={summary.notes} />}
    </section>
  );
}
