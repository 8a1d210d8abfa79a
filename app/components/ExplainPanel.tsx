/**
 * "How CycleGAN learns" (classroom): the full objective in the studio's names, each term coloured as
 * its curve and linked to it and to its images (pointer or keyboard focus on a term lights both up), then short
 * plain-language notes on each part and on what CycleGAN cannot do.
 */
import { DEFAULT_CONFIG } from '../../src/config';
import { LOSS_STYLE, VISUAL_CAPTION } from '../constants';
import { TERMS, type Term } from '../explain/terms';
import { useMemo } from 'react';
import { SAMPLE_EVERY, resolveConfig } from '../store/config';
import { useStudio, useStudioShallow } from '../store/react';
import { Help } from './Help';

function Swatch({ term }: { term: Term }) {
  return (
    <svg width="26" height="12" aria-hidden className="swatch">
      {term.losses.map((n, i) => (
        <line key={n} x1="0" y1={term.losses.length === 1 ? 6 : 3 + 6 * i} x2="26" y2={term.losses.length === 1 ? 6 : 3 + 6 * i} stroke={LOSS_STYLE[n].color} strokeWidth="4" strokeDasharray={LOSS_STYLE[n].dash} />
      ))}
    </svg>
  );
}

const NOTES: { title: string; text: string }[] = [
  {
    title: 'Adversarial loss',
    text: 'Two games at once. Each discriminator (a PatchGAN: it scores every ~70×70 patch) learns to tell real photos of its domain from the generator’s fakes; each generator learns to make fakes it scores as real. The studio uses least squares (lsgan), as the reference: the discriminator pushes real scores to 1 and fakes to 0, the generator pushes its fakes’ scores to 1. A discriminator loss near 0.25 and a generator loss near 0.25–1 mean the game is balanced.',
  },
  {
    title: 'Cycle consistency',
    text: 'The pairs are unpaired: nothing says which orange an apple should become. The cycle loss asks that translating there and back returns the original (A → B → A and B → A → B), so the translation must keep the content and change only the style. Its weight λ (10 in the reference) is why the reconstructions look right long before the fakes do.',
  },
  {
    title: 'Identity loss',
    text: 'A generator given a photo that is already in its target domain should leave it alone. Weighted λ_identity · λ (0.5 · 10 in the reference), it keeps colours from drifting (e.g. an early colour inversion); 0 switches it off and saves two forward passes per iteration.',
  },
  {
    title: 'Image pool',
    text: 'The discriminators see a mix of the newest fakes and up to 50 older ones (each query returns an old fake half the time once the pool is full), so they do not chase only the generator’s latest trick and training oscillates less.',
  },
  {
    title: 'What it cannot do (well)',
    text: 'It changes colour and texture, not shape: a cat does not become a dog, apples stay apple-shaped. It can collapse (a discriminator loss near 0 for a long time: the generator has lost the game and produces one look for everything), and it can hide information in the fakes to pass the cycle test. Checkerboard artefacts are common early. The losses say little about quality: watch the images.',
  },
];

export function ExplainPanel() {
  const { preset, overrides } = useStudioShallow((s) => ({ preset: s.settings.preset, overrides: s.settings.overrides }));
  const config = useMemo(() => resolveConfig(preset, overrides, SAMPLE_EVERY.default).config ?? DEFAULT_CONFIG, [preset, overrides]);
  const highlight = useStudio((s) => s.highlight);
  const setHighlight = useStudio((s) => s.setHighlight);
  const on = (id: string) => ({
    onPointerEnter: () => setHighlight(id),
    onPointerLeave: () => setHighlight(null),
    onFocus: () => setHighlight(id),
    onBlur: () => setHighlight(null),
  });
  return (
    <section className="panel explain" aria-label="How CycleGAN learns" data-testid="explain">
      <header className="panel-head">
        <h2>
          How CycleGAN learns{' '}
          <Help text="Point at a term of the objective to light up its curves on the charts and its images in the gallery. The weights follow the settings (they are live while training)." />
        </h2>
      </header>
      <p className="objective" data-testid="objective">
        <span className="objective-lhs">L =</span>
        {TERMS.map((t, i) => (
          <span key={t.id} className="objective-part">
            {i > 0 && <span className="op"> + </span>}
            <button type="button" className={`term${highlight === t.id ? ' lit' : ''}`} style={{ borderColor: LOSS_STYLE[t.losses[0]].color, color: LOSS_STYLE[t.losses[0]].color }} data-testid={`term-${t.id}`} aria-describedby={`term-note-${t.id}`} {...on(t.id)}>
              {t.weight(config) && <span className="weight">{t.weight(config)} </span>}
              {t.symbol}
            </button>
          </span>
        ))}
      </p>
      <p className="paper-names">
        In the paper’s letters: G = G_A (A → B), F = G_B (B → A), D_Y = D_A, D_X = D_B, λ = λ_A = λ_B. Each curve plots its term with its weight, as the reference does.
      </p>
      <ul className="terms">
        {TERMS.map((t) => (
          <li key={t.id} id={`term-note-${t.id}`} className={highlight === t.id ? 'lit' : undefined} {...on(t.id)}>
            <Swatch term={t} />
            <b>{t.losses.join(' · ')}</b> {t.plain} <span className="term-images">Images: {t.visuals.map((v) => VISUAL_CAPTION[v].name).join(', ')}.</span>
          </li>
        ))}
      </ul>
      <div className="notes">
        {NOTES.map((n) => (
          <details key={n.title}>
            <summary>{n.title}</summary>
            <p>{n.text}</p>
          </details>
        ))}
      </div>
    </section>
  );
}
