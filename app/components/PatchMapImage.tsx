/**
 * An image with a discriminator's PatchGAN map laid over it: one cell per patch D scored, coloured from "fake"
 * (red, 0) through neutral to "real" (blue, 1) — a diverging red/blue scale that colour-blind readers can tell
 * apart by lightness too.
 * The cells span the image evenly (each really judges an overlapping 70×70 patch at full size).
 */
import { useEffect, useRef } from 'react';
import type { PatchMap } from '../../src/protocol/messages';
import type { Picture } from '../../src/protocol/messages';
import { PictureCanvas } from './PictureCanvas';

const FAKE = [178, 24, 43]; // #b2182b
const MID = [247, 247, 247];
const REAL = [33, 102, 172]; // #2166ac

/** realness 0 … 1 → an RGB colour on the fake ↔ real scale. */
export function realnessColor(r: number): string {
  const t = Math.max(0, Math.min(1, r));
  const [a, b, u] = t < 0.5 ? [FAKE, MID, t * 2] : [MID, REAL, (t - 0.5) * 2];
  const c = a.map((x, i) => Math.round(x + (b[i] - x) * u));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

export const meanRealness = (m: PatchMap) => m.realness.reduce((a, b) => a + b, 0) / m.realness.length;

const CELL = 40; // overlay pixels per cell: room for a number
const NUMBER_FONT = `bold ${CELL * 0.42}px system-ui, sans-serif`;
/** Contexts whose text style is set: setting a font resolves it anew, milliseconds each time. */
const styled = new WeakSet<CanvasRenderingContext2D>();

function drawMap(c: HTMLCanvasElement, m: PatchMap, numbers: boolean): void {
  const ctx = c.getContext('2d');
  if (!ctx) return;
  // resizing reallocates the canvas and resets its style: only when the map's shape changes, not every sample
  if (c.width !== m.cols * CELL || c.height !== m.rows * CELL) {
    c.width = m.cols * CELL;
    c.height = m.rows * CELL;
    styled.delete(ctx);
  }
  ctx.clearRect(0, 0, c.width, c.height);
  if (numbers && !styled.has(ctx)) {
    ctx.font = NUMBER_FONT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    styled.add(ctx);
  }
  for (let y = 0; y < m.rows; y++)
    for (let x = 0; x < m.cols; x++) {
      const r = m.realness[y * m.cols + x];
      ctx.fillStyle = realnessColor(r);
      ctx.fillRect(x * CELL, y * CELL, CELL, CELL);
      if (numbers) {
        ctx.fillStyle = r > 0.2 && r < 0.8 ? '#14171c' : '#ffffff';
        ctx.fillText(r.toFixed(1).replace(/^0/, ''), x * CELL + CELL / 2, y * CELL + CELL / 2);
      }
    }
}

interface Props {
  picture: Picture | undefined;
  map?: PatchMap;
  /** 0 … 1: how strongly the map covers the image. */
  opacity?: number;
  numbers?: boolean;
  testid: string;
  label: string;
}

export function PatchMapImage({ picture, map, opacity = 0.5, numbers = false, testid, label }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current && map) drawMap(ref.current, map, numbers);
  }, [map, numbers]);
  return (
    <div className="patchmap" data-testid={testid} data-rows={map?.rows} data-cols={map?.cols} data-mean={map ? meanRealness(map).toFixed(3) : undefined}>
      <PictureCanvas picture={picture} aria-label={label} />
      {map && (
        <canvas
          ref={ref}
          className="patchmap-overlay"
          style={{ opacity }}
          aria-label={`${label}: D's verdict per patch, ${map.rows}×${map.cols}, mean ${meanRealness(map).toFixed(2)} real`}
          title={`mean ${(meanRealness(map) * 100).toFixed(0)} % real · raw scores ${Math.min(...map.raw).toFixed(2)} … ${Math.max(...map.raw).toFixed(2)}`}
        />
      )}
    </div>
  );
}

/** The colour scale, labelled for the room. */
export function RealnessLegend({ ganMode }: { ganMode: 'lsgan' | 'vanilla' }) {
  return (
    <div className="realness-legend" aria-label="Colour scale">
      <span>fake 0</span>
      <span className="realness-bar" style={{ background: `linear-gradient(90deg, ${realnessColor(0)}, ${realnessColor(0.5)}, ${realnessColor(1)})` }} />
      <span>1 real</span>
      <span className="hint">{ganMode === 'lsgan' ? 'LSGAN score, clamped to 0…1 (its targets: 1 real, 0 fake)' : 'sigmoid of the score (vanilla GAN)'}</span>
    </div>
  );
}
