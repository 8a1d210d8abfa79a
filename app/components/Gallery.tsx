/** The latest reconstructions, two labelled rows (A→B→A, B→A→B) plus identities, drawn crisp and large. */
import { Fragment, type ReactNode } from 'react';
import { VISUAL_CAPTION, VISUAL_ROWS, type VisualName } from '../constants';
import { highlightedVisuals } from '../explain/terms';
import { useStudio } from '../store/react';
import { formatInt } from './format';
import { PictureCanvas } from './PictureCanvas';

function Visual({ name }: { name: VisualName }) {
  const v = useStudio((s) => s.visuals[name]);
  const lit = useStudio((s) => highlightedVisuals(s.highlight).has(name)); // the explain panel's term under the pointer
  return (
    <figure className={`visual${v ? '' : ' empty'}${lit ? ' lit' : ''}`}>
      <PictureCanvas picture={v?.picture} data-testid={`vis-${name}`} data-iter={v?.iter} aria-label={`${VISUAL_CAPTION[name].name} ${VISUAL_CAPTION[name].formula}`} title={VISUAL_CAPTION[name].formula} />
      <figcaption>
        {VISUAL_CAPTION[name].name} <span className="formula">{VISUAL_CAPTION[name].formula}</span>
      </figcaption>
    </figure>
  );
}

/** `aside`: shown beside the image rows (the classroom's step card), below them when the width is short. */
export function Gallery({ aside }: { aside?: ReactNode }) {
  const iter = useStudio((s) => s.visuals.fake_B?.iter ?? s.visuals.real_A?.iter);
  const every = useStudio((s) => s.settings.sampleEvery);
  return (
    <section className="panel gallery" aria-label="Reconstructions">
      <header className="panel-head">
        <h2>Reconstructions</h2>
        <span className="gallery-iter" data-testid="gallery-iter">
          {iter !== undefined ? `iteration ${formatInt(iter)}` : `images arrive every ${every} iterations`}
        </span>
      </header>
      <div className="gallery-body">
        <div className="gallery-rows">
          {VISUAL_ROWS.map((row, r) => (
            <div className="visual-row" key={r}>
              <span className="row-label" aria-hidden>
                {r === 0 ? 'A → B → A' : 'B → A → B'}
              </span>
              {row.map((name, i) => (
                <Fragment key={name}>
                  {i > 0 && (
                    <span className={`arrow${i === 3 ? ' sep' : ''}`} aria-hidden>
                      {i < 3 ? '→' : ''}
                    </span>
                  )}
                  <Visual name={name} />
                </Fragment>
              ))}
            </div>
          ))}
        </div>
        {aside}
      </div>
    </section>
  );
}
