/**
 * The snapshot timeline (classroom): scrub or play back how the translation evolved, and export it as a
 * contact-sheet PNG or an animated GIF. The store keeps the snapshots (bounded, app/store/timeline.ts).
 */
import { Fragment, useEffect, useState } from 'react';
import { MAX_SNAPSHOTS, snapshotAt } from '../store/timeline';
import { VISUAL_CAPTION } from '../constants';
import { useStudio, useStudioShallow } from '../store/react';
import { CELL_ROWS, download, drawContactSheet, encodeGif } from '../timeline/sheet';
import { formatInt } from './format';
import { Help } from './Help';
import { PictureCanvas } from './PictureCanvas';

const PLAY_MS = 350;

export function Timeline() {
  const { snapshots, cursor, playing } = useStudioShallow((s) => s.timeline);
  const { setTimelineCursor, setTimelinePlaying, pushError } = useStudioShallow((s) => ({ setTimelineCursor: s.setTimelineCursor, setTimelinePlaying: s.setTimelinePlaying, pushError: s.pushError }));
  const every = useStudio((s) => s.settings.sampleEvery);
  const [busy, setBusy] = useState<'png' | 'gif' | null>(null);
  const shown = snapshotAt(snapshots, cursor);
  const index = shown ? snapshots.indexOf(shown) : -1;
  const n = snapshots.length;

  // Play: one snapshot per tick from the shown one to the latest, then follow the latest again.
  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => {
      const i = index + 1;
      if (i >= n - 1) {
        setTimelineCursor(null);
        setTimelinePlaying(false);
      } else setTimelineCursor(snapshots[i].iter);
    }, PLAY_MS);
    return () => clearInterval(t);
  }, [playing, index, n, snapshots, setTimelineCursor, setTimelinePlaying]);

  const exportAs = async (kind: 'png' | 'gif') => {
    setBusy(kind);
    await new Promise((r) => setTimeout(r, 0)); // let the button show its busy state first
    try {
      const last = snapshots[n - 1].iter;
      if (kind === 'png') {
        const canvas = drawContactSheet(snapshots);
        const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
        if (!blob) throw new Error('The browser could not encode the contact sheet as PNG.');
        download(blob, `cyclegan-timeline-${last}.png`);
      } else {
        download(new Blob([encodeGif(snapshots) as Uint8Array<ArrayBuffer>], { type: 'image/gif' }), `cyclegan-timeline-${last}.gif`);
      }
    } catch (e) {
      pushError(`Could not export the timeline as ${kind.toUpperCase()}`, e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="panel timeline" aria-label="Timeline" data-testid="timeline" data-count={n}>
      <header className="panel-head">
        <h2>
          Timeline{' '}
          <Help text={`The reconstructions, kept every ${every} iterations while training (at most ${MAX_SNAPSHOTS}: when full, every other old one makes room, the first and the latest always stay). Drag to go back in time, or press play to watch the translation form.`} />
        </h2>
        <span className="timeline-count" data-testid="timeline-count">
          {n === 0 ? '' : `${n} snapshot${n === 1 ? '' : 's'}`}
        </span>
        <div className="timeline-actions">
          <button type="button" className="small" data-testid="export-png" disabled={n === 0 || busy !== null} title="A grid of every snapshot, labelled with its iteration" onClick={() => void exportAs('png')}>
            {busy === 'png' ? 'Drawing…' : 'Contact sheet PNG'}
          </button>
          <button type="button" className="small" data-testid="export-gif" disabled={n === 0 || busy !== null} title="One frame per snapshot, looping" onClick={() => void exportAs('gif')}>
            {busy === 'gif' ? 'Encoding…' : 'GIF'}
          </button>
        </div>
      </header>
      {!shown ? (
        <p className="chart-empty timeline-empty">Snapshots of the reconstructions collect here while training: drag back to see how the translation evolved.</p>
      ) : (
        <>
          <div className="timeline-scrub">
            <button type="button" className="small" data-testid="timeline-play" aria-pressed={playing} disabled={n < 2} data-icon={playing ? '❚❚' : '▶'} onClick={() => {
              if (!playing && index >= n - 1) setTimelineCursor(snapshots[0].iter); // from the start
              setTimelinePlaying(!playing);
            }}>
              {playing ? 'Pause' : 'Play'}
            </button>
            <input type="range" min={0} max={Math.max(0, n - 1)} step={1} value={index} data-testid="timeline-slider" aria-label="Snapshot" aria-valuetext={`iteration ${shown.iter}`} onChange={(e) => {
              setTimelinePlaying(false);
              const i = Number(e.target.value);
              setTimelineCursor(i >= n - 1 ? null : snapshots[i].iter);
            }} />
            <span className="timeline-iter" data-testid="timeline-iter" data-iter={shown.iter}>
              iteration {formatInt(shown.iter)}
              {cursor === null && n > 0 ? ' (latest)' : ''}
            </span>
          </div>
          <div className="timeline-images">
            {CELL_ROWS.map((row, r) => (
              <div className="timeline-row" key={r}>
                {row.map((name, i) => (
                  <Fragment key={name}>
                    {i > 0 && <span className="arrow" aria-hidden>→</span>}
                    <figure className="visual small">
                      <PictureCanvas picture={shown.images[name]} data-testid={`timeline-${name}`} data-iter={shown.iter} aria-label={`${VISUAL_CAPTION[name].name} at iteration ${shown.iter}`} />
                      <figcaption>{VISUAL_CAPTION[name].name}</figcaption>
                    </figure>
                  </Fragment>
                ))}
              </div>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
