/**
 * The timeline's exports, drawn on a canvas on the main thread (pictures are plain RGBA; no tfjs here):
 * a contact sheet (one labelled cell per snapshot, in a grid) and an animated GIF (one frame per snapshot).
 * A cell is the two cycles, A → B → A over B → A → B, under its iteration number.
 */
import { GIFEncoder, applyPalette, quantize } from 'gifenc';
import type { Picture } from '../../src/protocol/messages';
import type { VisualName } from '../constants';
import type { Snapshot } from '../store/timeline';

export const CELL_ROWS: readonly (readonly VisualName[])[] = [
  ['real_A', 'fake_B', 'rec_A'],
  ['real_B', 'fake_A', 'rec_B'],
];

export interface SheetLayout {
  cols: number;
  rows: number;
  side: number; // one image's side, px
  cellW: number;
  cellH: number;
  width: number;
  height: number;
}

const GAP = 4;
const LABEL = 22; // the iteration label's band
const PAD = 12;
const TITLE = 34;

/**
 * A near-square grid of cells; images drawn at a whole multiple of their size (crisp), at least ~96 px.
 * Pure, so its numbers are tested in Node.
 */
export function sheetLayout(count: number, pictureSide: number): SheetLayout {
  const side = pictureSide * Math.max(1, Math.round(96 / Math.max(1, pictureSide)));
  const cellW = 3 * side + 2 * GAP;
  const cellH = LABEL + 2 * side + GAP;
  const cols = Math.max(1, Math.min(count, Math.ceil(Math.sqrt(count * (cellH / cellW)))));
  const rows = Math.max(1, Math.ceil(count / cols));
  return { cols, rows, side, cellW, cellH, width: PAD + cols * (cellW + PAD), height: TITLE + PAD + rows * (cellH + PAD) };
}

function bitmapOf(p: Picture): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = p.width;
  c.height = p.height;
  c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(p.rgba), p.width, p.height), 0, 0);
  return c;
}

const sideOf = (snaps: readonly Snapshot[]) => Math.max(1, ...snaps.flatMap((s) => Object.values(s.images).map((p) => p!.width)));

function drawCell(ctx: CanvasRenderingContext2D, s: Snapshot, x: number, y: number, side: number): void {
  ctx.fillStyle = '#14171c';
  ctx.font = 'bold 16px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillText(`iteration ${s.iter.toLocaleString('en-US')}`, x, y + 2);
  CELL_ROWS.forEach((row, r) =>
    row.forEach((name, c) => {
      const p = s.images[name];
      const px = x + c * (side + GAP);
      const py = y + LABEL + r * (side + GAP);
      if (p) ctx.drawImage(bitmapOf(p), px, py, side, side);
      else {
        ctx.fillStyle = '#e4e7ec';
        ctx.fillRect(px, py, side, side);
      }
    }),
  );
}

/** The contact sheet as a canvas (the caller turns it into a PNG); at least as wide as its title. */
export function drawContactSheet(snaps: readonly Snapshot[]): HTMLCanvasElement {
  const L = sheetLayout(snaps.length, sideOf(snaps));
  const first = snaps[0]?.iter ?? 0;
  const last = snaps[snaps.length - 1]?.iter ?? 0;
  const title = `CycleGAN Studio · real → fake → reconstruction, A over B · iterations ${first}–${last}`;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d')!;
  const titleFont = 'bold 20px system-ui, sans-serif';
  ctx.font = titleFont;
  canvas.width = Math.max(L.width, Math.ceil(ctx.measureText(title).width) + 2 * PAD); // a short run: the title sets the width
  canvas.height = L.height;
  ctx.imageSmoothingEnabled = false; // crisp pixels, as in the gallery (resizing reset the context)
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#14171c';
  ctx.font = titleFont;
  ctx.textBaseline = 'top';
  ctx.fillText(title, PAD, 10);
  snaps.forEach((s, i) => drawCell(ctx, s, PAD + (i % L.cols) * (L.cellW + PAD), TITLE + PAD + Math.floor(i / L.cols) * (L.cellH + PAD), L.side));
  return canvas;
}

/** An animated GIF, one frame per snapshot (`delayMs` each, the last held longer), looping. */
export function encodeGif(snaps: readonly Snapshot[], delayMs = 400): Uint8Array {
  const L = sheetLayout(1, sideOf(snaps));
  const w = L.cellW + 2 * PAD;
  const h = L.cellH + 2 * PAD;
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.imageSmoothingEnabled = false;
  const gif = GIFEncoder();
  snaps.forEach((s, i) => {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, w, h);
    drawCell(ctx, s, PAD, PAD, L.side);
    const { data } = ctx.getImageData(0, 0, w, h);
    const palette = quantize(data, 256);
    gif.writeFrame(applyPalette(data, palette), w, h, { palette, delay: i === snaps.length - 1 ? delayMs * 4 : delayMs });
  });
  gif.finish();
  return gif.bytes();
}

/** Offers `blob` as a download named `name`. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
