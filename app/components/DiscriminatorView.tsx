/**
 * What the discriminators see: each one's PatchGAN verdict over a real and a fake image of the same iteration
 * (sent with the reconstructions every sampleEvery iterations). D_A judges B images, D_B judges A images —
 * where the "detective" thinks the forgery is, patch by patch.
 */
import { useState } from 'react';
import type { LiveVerdictName, Verdicts } from '../../src/protocol/messages';
import { useStudio } from '../store/react';
import { formatInt } from './format';
import { meanRealness, PatchMapImage, RealnessLegend } from './PatchMapImage';

const JUDGES: { d: 'D_A' | 'D_B'; judges: string; items: { verdict: LiveVerdictName; image: keyof Verdicts['images']; label: string }[] }[] = [
  {
    d: 'D_A', judges: 'judges B images',
    items: [
      { verdict: 'D_A_real_B', image: 'real_B', label: 'real B' },
      { verdict: 'D_A_fake_B', image: 'fake_B', label: 'fake B = G_A(real A)' },
    ],
  },
  {
    d: 'D_B', judges: 'judges A images',
    items: [
      { verdict: 'D_B_real_A', image: 'real_A', label: 'real A' },
      { verdict: 'D_B_fake_A', image: 'fake_A', label: 'fake A = G_B(real B)' },
    ],
  },
];

export function DiscriminatorView() {
  const v = useStudio((s) => s.classroom.verdicts);
  const every = useStudio((s) => s.settings.sampleEvery);
  const [overlay, setOverlay] = useState(true);
  const [numbers, setNumbers] = useState(false);
  return (
    <section className="panel dview" aria-label="What the discriminators see" data-testid="dview">
      <header className="panel-head">
        <h2>What the discriminators see</h2>
        <div className="dview-options">
          <label>
            <input type="checkbox" checked={overlay} onChange={(e) => setOverlay(e.target.checked)} /> verdict
          </label>
          <label>
            <input type="checkbox" checked={numbers} disabled={!overlay} onChange={(e) => setNumbers(e.target.checked)} /> numbers
          </label>
          <span className="gallery-iter" data-testid="dview-iter">
            {v ? `iteration ${formatInt(v.iter)}` : `arrives with the images, every ${every} iterations`}
          </span>
        </div>
      </header>
      <div className="dview-judges">
        {JUDGES.map((j) => (
          <div className="dview-judge" key={j.d}>
            <h3>
              {j.d} <span className="hint">{j.judges}</span>
            </h3>
            <div className="dview-pair">
              {j.items.map((it) => {
                const map = v?.maps[it.verdict];
                return (
                  <figure key={it.verdict} className="dview-item">
                    <PatchMapImage picture={v?.images[it.image]} map={overlay ? map : undefined} numbers={numbers} testid={`dview-${it.verdict}`} label={`${j.d} on ${it.label}`} />
                    <figcaption>
                      {it.label}
                      {map && (
                        <strong className="dview-mean" style={{ display: 'block' }}>
                          looks {Math.round(meanRealness(map) * 100)} % real
                        </strong>
                      )}
                    </figcaption>
                  </figure>
                );
              })}
            </div>
          </div>
        ))}
      </div>
      <RealnessLegend ganMode={v?.ganMode ?? 'lsgan'} />
      <p className="hint">
        Each cell is one patch the discriminator scores on its own (a PatchGAN: about 70×70 pixels of a 256-pixel image). A good forger makes
        the fake turn blue; a good detective keeps the real blue and the fake red.
      </p>
    </section>
  );
}
