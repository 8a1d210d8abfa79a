/**
 * The generators imported into the engine: what each one is (name, size, direction and why), use or remove it.
 * An Export .zip is one entry with both directions (G_A: A → B, G_B: B → A), named by its domains when it says.
 */
import { useStudio } from '../store/react';
import { formatBytes } from './dropFiles';
import { formatInt } from './format';

const DIRECTION_WHY = {
  'file name': 'from the file name',
  'generator.json': 'from generator.json',
  'model.json': 'from the export\'s model.json',
  'export.zip': 'both generators of the exported run',
  default: 'guessed: no G_A / G_B in the file name',
} as const;

export function ImportedModels() {
  const models = useStudio((s) => s.translation.models);
  const source = useStudio((s) => s.translation.source);
  const importing = useStudio((s) => s.translation.importing);
  const importError = useStudio((s) => s.translation.importError);
  const notice = useStudio((s) => s.translation.notice);
  const setSource = useStudio((s) => s.setTranslateSource);
  const dropModel = useStudio((s) => s.dropModel);
  const dismiss = useStudio((s) => s.dismissImportError);

  return (
    <>
      {importing && (
        <div className="load-progress" role="status" data-testid="translate-importing">
          <progress />
          <span>Reading the generator…</span>
        </div>
      )}
      {importError && (
        <div className="inline-error" role="alert" data-testid="translate-import-error">
          <span>
            <strong>Could not import.</strong> {importError}
          </span>
          <button type="button" className="small" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      {notice && (
        <p className="hint" data-testid="translate-notice">
          {notice}
        </p>
      )}
      {models.length > 0 && (
        <ul className="imported-models" data-testid="imported-models">
          {models.map((m) => (
            <li key={m.id} className={m.id === source ? 'in-use' : ''} data-testid="imported-model">
              <div className="model-text">
                <strong className="model-name" title={m.name}>
                  {m.name}
                </strong>
                <span>
                  {m.pair ? '2 × ' : ''}ResnetGenerator · ngf {m.ngf} · {m.nBlocks} block{m.nBlocks === 1 ? '' : 's'} · {formatInt(m.params)} parameters{m.pair ? ' each' : ''}
                  {m.inputNc !== 3 || m.outputNc !== 3 ? ` · ${m.inputNc}→${m.outputNc} channels` : ''} · {formatBytes(m.bytes)}
                </span>
                {m.pair ? (
                  <span data-testid="imported-pair">
                    Translates <strong>both ways</strong>: {pairWords(m.domains)} — pick the direction above
                  </span>
                ) : (
                  <span>
                    Translates <strong>{m.direction === 'AtoB' ? 'A → B (G_A)' : 'B → A (G_B)'}</strong> — {DIRECTION_WHY[m.directionFrom]}
                  </span>
                )}
              </div>
              <div className="row">
                {m.id === source ? (
                  <span className="in-use-tag">in use</span>
                ) : (
                  <button type="button" className="small" onClick={() => setSource(m.id)}>
                    Use
                  </button>
                )}
                <button type="button" className="small" data-testid="drop-model" aria-label={`Remove ${m.name}`} onClick={() => void dropModel(m.id)}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** "A → B (G_A: apples → oranges) and B → A (G_B)" in the domains' own names when the export recorded them. */
export function pairWords(d: { A: string; B: string } | undefined): string {
  return d ? `G_A ${d.A} → ${d.B} and G_B ${d.B} → ${d.A}` : 'G_A A → B and G_B B → A';
}
