/**
 * One translated image: input and output side by side, large — small images scaled up by a whole factor and
 * drawn pixelated (crisp), big ones scaled down smoothly — with what made it and a PNG download.
 */
import type { Picture } from '../../src/protocol/messages';
import type { TranslateItem } from '../store/translate';
import { useStudio } from '../store/react';
import { downloadBytes } from './download';
import { PictureCanvas } from './PictureCanvas';
import { outputName, pictureToPng } from './translateFiles';

/** The box one picture is drawn in, in CSS px. */
const BOX = { width: 400, height: 300 };

function displaySize(p: Picture): { width: number; height: number; crisp: boolean } {
  const k = Math.min(BOX.width / p.width, BOX.height / p.height);
  const s = k >= 1 ? Math.floor(k) : k; // whole factors up: every source pixel the same size
  return { width: Math.round(p.width * s), height: Math.round(p.height * s), crisp: k >= 1 };
}

function Shown({ picture, testid, caption }: { picture: Picture; testid: string; caption: string }) {
  const d = displaySize(picture);
  return (
    <figure className="translated">
      <PictureCanvas picture={picture} data-testid={testid} className={d.crisp ? 'crisp' : ''} style={{ width: d.width, height: d.height }} aria-label={caption} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

export function TranslationRow({ item, index }: { item: TranslateItem; index: number }) {
  const remove = useStudio((s) => s.removeTranslation);
  const r = item.result;
  const dir = item.direction ?? 'AtoB';
  const [from, to] = dir === 'AtoB' ? ['A', 'B'] : ['B', 'A'];
  const name = outputName(item.file.name, dir);
  const resized = r && (r.original.width !== r.output.width || r.original.height !== r.output.height);

  const download = async () => {
    if (r) downloadBytes(name, await pictureToPng(r.output), 'image/png');
  };

  return (
    <li className={`translation ${item.status}`} data-testid="translation" data-status={item.status} data-index={index}>
      <header className="translation-head">
        <strong className="translation-name" title={item.file.name}>
          {item.file.name}
        </strong>
        {r && (
          <span className="translation-meta">
            {resized ? `${r.original.width}×${r.original.height} → ` : ''}
            {r.output.width}×{r.output.height} · {r.generator} · {Math.round(r.ms)} ms
          </span>
        )}
        <span className="row">
          <button type="button" className="small" data-testid="translate-download" disabled={!r || item.status !== 'done'} title={`Save ${name}`} onClick={() => void download()}>
            Download PNG
          </button>
          <button type="button" className="small" aria-label={`Remove ${item.file.name}`} onClick={() => remove(item.id)}>
            ✕
          </button>
        </span>
      </header>
      {(item.status === 'running' || item.status === 'queued') && (
        <div className="load-progress" role="status">
          <progress />
          <span>{item.status === 'running' ? 'Translating… (between training iterations when a run is training)' : 'Waiting…'}</span>
        </div>
      )}
      {item.status === 'error' && (
        <p className="inline-error" role="alert" data-testid="translate-error">
          {item.error}
        </p>
      )}
      {r && item.status !== 'error' && (
        <div className="translation-pair">
          <Shown picture={r.input} testid={`translate-input-${index}`} caption={`input · real ${from}`} />
          <span className="arrow" aria-hidden>
            →
          </span>
          <Shown picture={r.output} testid={`translate-output-${index}`} caption={`output · fake ${to} = ${dir === 'AtoB' ? 'G_A' : 'G_B'}(real ${from})`} />
        </div>
      )}
    </li>
  );
}
