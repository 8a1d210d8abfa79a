/**
 * Translate: drop any images (or pick them) and see each one beside its translation, with the run's live
 * generators (G_A: A→B, G_B: B→A — also while training, without disturbing it) or with an imported one
 * (an official PyTorch latest_net_G_A.pth, our generator.json + generator.bin, or a generator folder of our
 * Export — dropped on the same zone). The official trainer's checkpoint folder dropped there continues that run
 * and charts its loss_log.txt (./officialFiles.ts).
 */
import { useState, type DragEvent } from 'react';
import { TRANSLATE_MAX_SIDE } from '../../src/io/translateSize';
import { useStudio, useThrottledStudio } from '../store/react';
import { COUNTERS_MS } from '../constants';
import { downloadBytes } from './download';
import { filesFromDrop } from './dropFiles';
import { Help } from './Help';
import { ImportedModels } from './ImportedModels';
import { TranslationRow } from './TranslationRow';
import { splitOfficialDrop } from './officialFiles';
import { outputName, splitDrop, zipPngs } from './translateFiles';
import './translate.css';

const HELP = `Each image is translated at its own size, rounded to multiples of 4 (the reference's --preprocess none); an image whose longer side exceeds ${TRANSLATE_MAX_SIDE} px is first scaled down to ${TRANSLATE_MAX_SIDE} px, aspect kept. Translating reads the weights only: training goes on exactly as it would without it.`;

/** The running model's entry: its own component, so a new iteration re-renders one option (as often as the status bar), not the panel. */
function RunOption({ hasRun }: { hasRun: boolean }) {
  const iter = useThrottledStudio((s) => s.run.status.iter, COUNTERS_MS, (s) => s.run.status.state === 'training');
  return <option value="run">{hasRun ? `This run (iteration ${iter})` : 'This run (train or step first)'}</option>;
}

export function TranslatePanel() {
  const t = useStudio((s) => s.translation);
  const state = useStudio((s) => s.run.status.state);
  const setSource = useStudio((s) => s.setTranslateSource);
  const setDirection = useStudio((s) => s.setTranslateDirection);
  const translateFiles = useStudio((s) => s.translateFiles);
  const retranslateAll = useStudio((s) => s.retranslateAll);
  const clearTranslations = useStudio((s) => s.clearTranslations);
  const importModel = useStudio((s) => s.importModel);
  const setFollow = useStudio((s) => s.setFollow);
  const importOfficialRun = useStudio((s) => s.importOfficialRun);
  const loadLossLog = useStudio((s) => s.loadLossLog);
  const [over, setOver] = useState(false);
  const [dropError, setDropError] = useState<string | null>(null);

  const hasRun = state === 'training' || state === 'paused' || state === 'done';
  const model = t.models.find((m) => m.id === t.source);
  const fixed = model && !model.pair ? model : undefined; // a single generator has one direction; a pair (Export .zip) two
  const done = t.items.filter((it) => it.status === 'done' && it.result);
  const busy = t.items.some((it) => it.status === 'running' || it.status === 'queued');

  const take = async (files: File[]) => {
    setDropError(null);
    const official = splitOfficialDrop(files); // the official trainer's checkpoint folder: a run to continue, its losses
    if (official.networks) await importOfficialRun(official.networks);
    if (official.lossLog) await loadLossLog(official.lossLog);
    if ((official.networks || official.lossLog) && official.rest.length === 0) return;
    const { models, images } = splitDrop(official.rest);
    if (models.length === 0 && images.length === 0) {
      setDropError('The drop held no files. Drop image files, or a generator (.pth, an Export .zip, or generator.json + generator.bin).');
      return;
    }
    for (const group of models) await importModel(group); // first, so images in the same drop use it
    if (images.length > 0) await translateFiles(images);
  };

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    try {
      await take((await filesFromDrop(e.dataTransfer)).files);
    } catch (err) {
      setDropError(`Could not read the dropped items: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const downloadAll = async () => {
    const bytes = await zipPngs(done.map((it) => ({ name: outputName(it.file.name, it.direction ?? 'AtoB'), picture: it.result!.output })));
    downloadBytes('translations.zip', bytes);
  };

  return (
    <section className="panel translate" aria-label="Translate" data-testid="translate">
      <header className="panel-head">
        <h2>
          Translate <Help text={HELP} />
        </h2>
        <div className="row">
          <button type="button" className="small" data-testid="translate-again" disabled={t.items.length === 0 || busy} title="Translate every image again with the generator chosen below (e.g. after more training)" onClick={() => void retranslateAll()}>
            Translate again
          </button>
          <button type="button" className="small" data-testid="translate-zip" disabled={done.length < 2} title="All outputs as PNGs in one zip" onClick={() => void downloadAll()}>
            Download all (.zip)
          </button>
          <button type="button" className="small" data-testid="translate-clear" disabled={t.items.length === 0} onClick={clearTranslations}>
            Clear
          </button>
        </div>
      </header>

      <div className="translate-controls">
        <label className="translate-source">
          <span>Generator</span>
          <select data-testid="translate-source" value={t.source} onChange={(e) => setSource(e.target.value)}>
            <RunOption hasRun={hasRun} />
            {t.models.map((m) => (
              <option key={m.id} value={m.id}>
                Imported: {m.name} ({m.pair ? 'A ⇄ B' : m.direction === 'AtoB' ? 'A → B' : 'B → A'})
              </option>
            ))}
          </select>
        </label>
        {fixed ? (
          <p className="translate-direction-fixed" data-testid="translate-direction-fixed">
            translates <strong>{fixed.direction === 'AtoB' ? 'A → B' : 'B → A'}</strong>
          </p>
        ) : (
          <div className="segmented" role="radiogroup" aria-label="Direction">
            {(['AtoB', 'BtoA'] as const).map((d) => (
              <button key={d} type="button" role="radio" aria-checked={t.direction === d} className={t.direction === d ? 'on' : ''} data-testid={`translate-${d}`} onClick={() => setDirection(d)}>
                {directionLabel(d, model?.domains)}
              </button>
            ))}
          </div>
        )}
        {!model && (
          <label className="translate-follow" title="Translate every image again each time the run sends new images (every sampleEvery iterations)">
            <input type="checkbox" data-testid="translate-follow" checked={t.follow} onChange={(e) => setFollow(e.target.checked)} />
            Refresh while training
          </label>
        )}
      </div>

      <div
        className={`dropzone translate-drop${over ? ' over' : ''}`}
        data-testid="translate-drop"
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => void onDrop(e)}
      >
        <span>Drop images to translate, or a generator to import (latest_net_G_A.pth, an Export .zip, generator.json + .bin, or an exported model folder) — or a PyTorch run's checkpoint folder (its four latest_net_*.pth continue training here; its loss_log.txt joins the charts)</span>
        <label className="button small">
          Choose images…
          <input type="file" className="visually-hidden" data-testid="translate-pick" multiple accept="image/*" onChange={(e) => pick(e.currentTarget, take)} />
        </label>
        <label className="button small">
          Import generator…
          <input type="file" className="visually-hidden" data-testid="translate-import" multiple accept=".pth,.pt,.json,.bin,.zip,.txt" onChange={(e) => pick(e.currentTarget, take)} />
        </label>
      </div>
      <p className="hint translate-size">
        Size: each image&apos;s own, rounded to multiples of 4 (as the reference&apos;s <code>--preprocess none</code>); longer side
        scaled down to {TRANSLATE_MAX_SIDE} px first.
      </p>
      {dropError && (
        <p className="inline-error" role="alert" data-testid="translate-drop-error">
          {dropError}
        </p>
      )}

      <ImportedModels />

      {t.items.length > 0 && (
        <ol className="translations" data-testid="translations">
          {t.items.map((it, i) => (
            <TranslationRow key={it.id} item={it} index={i} />
          ))}
        </ol>
      )}
    </section>
  );
}

/** Takes the picked files and resets the input, so picking the same files again fires change again. */
function pick(input: HTMLInputElement, take: (files: File[]) => Promise<void>) {
  const files = Array.from(input.files ?? []);
  input.value = '';
  if (files.length > 0) void take(files);
}

/** "A → B  (G_A)", or in the export's own domain names: "apples → oranges  (G_A)". */
function directionLabel(d: 'AtoB' | 'BtoA', names: { A: string; B: string } | undefined): string {
  const [from, to] = d === 'AtoB' ? [names?.A ?? 'A', names?.B ?? 'B'] : [names?.B ?? 'B', names?.A ?? 'A'];
  return `${from} → ${to}  (${d === 'AtoB' ? 'G_A' : 'G_B'})`;
}
