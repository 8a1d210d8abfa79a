/**
 * Slow motion: one real iteration (the engine ran it and recorded every stage), walked through stage by stage —
 * each image appears when it is computed, each network lights up when it runs, each loss chip fills in with the
 * iteration's real value. Play/pause (Space), speed, previous/next (← →), Esc; large enough for a projector.
 */
import { Fragment, useEffect, useRef } from 'react';
import type { Stage, StageGroup, StageImage, StagedIteration, VerdictName } from '../../src/protocol/messages';
import type { LossName } from '../constants';
import { SPEEDS, STAGE_SECONDS } from '../store/classroom';
import { useStudioShallow } from '../store/react';
import { isTyping } from './isTyping';
import { PatchMapImage, RealnessLegend } from './PatchMapImage';

type Node = { image: StageImage; verdict?: VerdictName; caption: string } | { net: string } | { gap: true };

/** The diagram: one row per part of the iteration; which stages light a row up. */
const ROWS: { id: string; label: string; groups: StageGroup[]; nodes: Node[]; losses: LossName[] }[] = [
  {
    id: 'A', label: 'A → B → A', groups: ['A', 'G'], losses: ['G_A', 'cycle_A'],
    nodes: [{ image: 'real_A', caption: 'real A' }, { net: 'G_A' }, { image: 'fake_B', verdict: 'D_A_fake_B', caption: 'fake B' }, { net: 'G_B' }, { image: 'rec_A', caption: 'rec A' }],
  },
  {
    id: 'B', label: 'B → A → B', groups: ['B', 'G'], losses: ['G_B', 'cycle_B'],
    nodes: [{ image: 'real_B', caption: 'real B' }, { net: 'G_B' }, { image: 'fake_A', verdict: 'D_B_fake_A', caption: 'fake A' }, { net: 'G_A' }, { image: 'rec_B', caption: 'rec B' }],
  },
  {
    id: 'identity', label: 'identity', groups: ['identity', 'G'], losses: ['idt_A', 'idt_B'],
    nodes: [{ image: 'real_B', caption: 'real B' }, { net: 'G_A' }, { image: 'idt_A', caption: 'idt A' }, { gap: true }, { image: 'real_A', caption: 'real A' }, { net: 'G_B' }, { image: 'idt_B', caption: 'idt B' }],
  },
  {
    id: 'D', label: 'D update', groups: ['D'], losses: ['D_A', 'D_B'],
    nodes: [
      { net: 'D_A' }, { image: 'real_B', verdict: 'D_A_real_B', caption: 'real B' }, { image: 'pool_B', verdict: 'D_A_pool_B', caption: 'fake (pool)' }, { gap: true },
      { net: 'D_B' }, { image: 'real_A', verdict: 'D_B_real_A', caption: 'real A' }, { image: 'pool_A', verdict: 'D_B_pool_A', caption: 'fake (pool)' },
    ],
  },
];

/** The first stage (index) at which each image, verdict and loss exists. */
function revealIndex(stages: Stage[]) {
  const at = new Map<string, number>();
  stages.forEach((s, i) => {
    for (const k of [...s.images, s.verdict, s.loss]) if (k && !at.has(k)) at.set(k, i);
  });
  return (key: string) => at.get(key) ?? Infinity;
}

function Diagram({ rec, index }: { rec: StagedIteration; index: number }) {
  const stage = rec.stages[index];
  const reveal = revealIndex(rec.stages);
  const rows = ROWS.filter((r) => r.id !== 'identity' || rec.lambda.identity > 0);
  return (
    <div className="sm-diagram">
      {rows.map((row) => {
        const live = row.groups.includes(stage.group);
        return (
          <div key={row.id} className={`sm-row${live ? ' live' : ''}`} data-testid={`sm-row-${row.id}`}>
            <span className="sm-row-label">{row.label}</span>
            <div className="sm-nodes">
              {row.nodes.map((n, i) => (
                <Fragment key={i}>
                  {'gap' in n ? (
                    <span className="sm-gap" />
                  ) : 'net' in n ? (
                    <span className={`sm-net${live && stage.net === n.net ? ' active' : ''}${stage.updates?.some((u) => u === n.net) ? ' updating' : ''}`}>
                      {n.net} <span aria-hidden>→</span>
                    </span>
                  ) : (
                    <figure className={`sm-image${live && stage.images.includes(n.image) ? ' active' : ''}${reveal(n.image) > index ? ' pending' : ''}`} data-testid={`sm-${row.id}-${n.image}`}>
                      {reveal(n.image) <= index ? (
                        <PatchMapImage
                          picture={rec.images[n.image]}
                          map={n.verdict && reveal(n.verdict) <= index ? rec.maps[n.verdict] : undefined}
                          testid={`sm-map-${row.id}-${n.image}`}
                          label={n.caption}
                        />
                      ) : (
                        <div className="sm-placeholder">?</div>
                      )}
                      <figcaption>{n.caption}</figcaption>
                    </figure>
                  )}
                </Fragment>
              ))}
            </div>
            <div className="sm-chips">
              {row.losses.map((l) => (
                <span key={l} className={`loss-chip${stage.loss === l || (live && stage.updates) ? ' active' : ''}`} data-testid={`sm-loss-${l}`}>
                  {l} <b>{reveal(l) <= index ? rec.losses[l].toFixed(3) : '…'}</b>
                </span>
              ))}
            </div>
          </div>
        );
      })}
    </div>
  );
}

export function SlowMotion() {
  const { rec, index, playing, speed } = useStudioShallow((s) => ({ rec: s.classroom.staged, index: s.classroom.stage, playing: s.classroom.playing, speed: s.classroom.speed }));
  const { setStage, setPlaying, setSpeed, close } = useStudioShallow((s) => ({ setStage: s.setSlowStage, setPlaying: s.setSlowPlaying, setSpeed: s.setSlowSpeed, close: s.closeSlowMotion }));
  const last = (rec?.stages.length ?? 1) - 1;

  useEffect(() => {
    if (!rec || !playing) return;
    if (index >= last) {
      setPlaying(false);
      return;
    }
    const t = setTimeout(() => setStage(index + 1), (STAGE_SECONDS * 1000) / speed);
    return () => clearTimeout(t);
  }, [rec, playing, index, last, speed, setStage, setPlaying]);

  // Keys while the player is open (capture phase: Space plays the walk-through instead of resuming training)
  useEffect(() => {
    if (!rec) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target, e.key)) return;
      if (e.key === 'ArrowRight') setStage(index + 1);
      else if (e.key === 'ArrowLeft') setStage(index - 1);
      else if (e.key === 'Escape') close();
      else if (e.key === ' ') setPlaying(!playing);
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [rec, index, playing, setStage, setPlaying, close]);

  // a small screen scrolls the dialog: keep what the stage highlights in view
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    box.current?.querySelector('.sm-row.live .active')?.scrollIntoView({ block: 'nearest' });
  }, [index, rec]);

  if (!rec) return null;
  const stage = rec.stages[index];
  return (
    <section ref={box} className="slowmo" role="dialog" aria-label={`Slow motion: iteration ${rec.iter}`} data-testid="slowmo" data-stage={index} data-stages={rec.stages.length} data-stage-id={stage.id}>
      <header className="sm-head">
        <h2>
          Slow motion <span className="hint">iteration {rec.iter}</span>
        </h2>
        <div className="sm-controls">
          <button type="button" data-testid="sm-prev" disabled={index === 0} onClick={() => setStage(index - 1)} title="Previous stage (←)">
            ◀ Prev
          </button>
          <button type="button" className="primary" data-testid="sm-play" title="Space" onClick={() => (index >= last ? (setStage(0), setPlaying(true)) : setPlaying(!playing))}>
            {playing ? '❚❚ Pause' : index >= last ? '↺ Replay' : '▶ Play'}
          </button>
          <button type="button" data-testid="sm-next" disabled={index >= last} onClick={() => setStage(index + 1)} title="Next stage (→)">
            Next ▶
          </button>
          <label className="sm-speed">
            speed
            <input type="range" min={0} max={SPEEDS.length - 1} step={1} value={SPEEDS.indexOf(speed as (typeof SPEEDS)[number])} onChange={(e) => setSpeed(SPEEDS[Number(e.target.value)])} data-testid="sm-speed" />
            <output>{speed}×</output>
          </label>
          <span className="sm-count" data-testid="sm-count">
            {index + 1} / {rec.stages.length}
          </span>
          <button type="button" data-testid="sm-close" onClick={close} title="Close (Esc)">
            ✕ Close
          </button>
        </div>
      </header>
      <div className="sm-caption" aria-live="polite">
        <strong data-testid="sm-title">{stage.title}</strong>
        <span>{stage.detail}</span>
        {stage.loss && (
          <span className="loss-chip active big" data-testid="sm-stage-loss">
            {stage.loss} = {rec.losses[stage.loss].toFixed(4)}
          </span>
        )}
      </div>
      <Diagram rec={rec} index={index} />
      <RealnessLegend ganMode={rec.ganMode} />
    </section>
  );
}
