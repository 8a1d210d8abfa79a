/**
 * The official trainer's loss log (checkpoints/NAME/loss_log.txt, written by util/visualizer.py in
 * junyanz/pytorch-CycleGAN-and-pix2pix) → our loss points, so a run continued on PyTorch can be charted beside
 * its own beginning. The file holds, for every training session, a header
 *
 *   ================ Training Loss (Mon Jan  6 10:00:00 2025) ================
 *
 * then every print_freq iterations a line (print_current_losses; `data:` since 2019)
 *
 *   (epoch: 3, iters: 200, time: 0.123, data: 0.004) D_A: 0.250 G_A: 0.300 cycle_A: 1.200 idt_A: 0.500 D_B: … idt_B: 0.480
 *
 * where `iters` counts the images of this epoch so far (one per iteration at --batch_size 1) and `time` is the
 * compute time per image in seconds. Values are rounded to 3 decimals; nan and inf are kept as NaN and ±Infinity.
 * Pure: text in, points out.
 */
import type { CycleGANConfig } from '../../config';
import type { LossPoint } from '../../protocol/messages';
import { LOSS_NAMES, type LossName } from '../../names'; // not train/losses: the page parses logs without tfjs
import { lrFactor } from '../../train/schedule';

export interface LossLogOptions {
  /** Iterations per epoch: max(|trainA|, |trainB|), as both trainers count epochs. Turns (epoch, iters) into the
   * run's iteration (epoch − 1) · itersPerEpoch + iters. */
  itersPerEpoch: number;
  /** The run's schedule, for each point's lr (the log does not record it); without it lr is NaN. */
  schedule?: Pick<CycleGANConfig, 'lr' | 'nEpochs' | 'nEpochsDecay'>;
}

export interface LossLog {
  /** In file order (a session continued with an earlier --epoch_count repeats iterations). */
  points: LossPoint[];
  /** The header of each training session: its line number (1-based) and the date it prints. */
  sessions: { line: number; started: string }[];
  /** Lines that are neither a header, a loss line nor blank: line number, the text, and what is wrong with it. */
  skipped: { line: number; text: string; reason: string }[];
}

const HEADER = /^=+ Training Loss \((.*)\) =+$/;
const LINE = /^\(epoch: (\d+), iters: (\d+), time: ([^,)]+)(?:, data: ([^)]+))?\)(.*)$/;

/** Python's %.3f of a float: digits, or nan / inf / -inf; null for anything else. */
function pyFloat(s: string): number | null {
  const t = s.trim().toLowerCase();
  if (t === 'nan' || t === '-nan') return NaN;
  if (t === 'inf' || t === '-inf') return t === 'inf' ? Infinity : -Infinity;
  return /^[-+]?\d+(\.\d*)?(e[-+]?\d+)?$/.test(t) ? Number(t) : null;
}

export function parseLossLog(text: string, opts: LossLogOptions): LossLog {
  if (!(Number.isInteger(opts.itersPerEpoch) && opts.itersPerEpoch >= 1))
    throw new RangeError(`itersPerEpoch must be an integer ≥ 1; got ${opts.itersPerEpoch}`);
  const out: LossLog = { points: [], sessions: [], skipped: [] };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').trim();
    const n = i + 1;
    if (line === '') return;
    const header = HEADER.exec(line);
    if (header) {
      out.sessions.push({ line: n, started: header[1] });
      return;
    }
    const point = lossPoint(line, opts);
    if (typeof point === 'string') out.skipped.push({ line: n, text: line.length > 120 ? `${line.slice(0, 117)}…` : line, reason: point });
    else out.points.push(point);
  });
  return out;
}

/** One loss line → a point, or why it is not one. */
function lossPoint(line: string, opts: LossLogOptions): LossPoint | string {
  const m = LINE.exec(line);
  if (!m) return 'not a loss line: expected "(epoch: E, iters: I, time: T, data: D) D_A: … idt_B: …"';
  const [, epochText, itersText, timeText, , rest] = m;
  const epoch = Number(epochText);
  const iters = Number(itersText);
  const time = pyFloat(timeText);
  if (time === null) return `time: "${timeText}" is not a number`;
  if (epoch < 1) return `epoch ${epoch}: epochs count from 1`;
  const values: Partial<Record<LossName, number>> = {};
  const names: string[] = [];
  const pairs = rest.trim().split(/\s+/);
  for (let k = 0; k + 1 < pairs.length; k += 2) {
    const name = pairs[k].replace(/:$/, '');
    if (!pairs[k].endsWith(':')) return `"${pairs[k]}" where a loss name with a colon was expected`;
    const v = pyFloat(pairs[k + 1]);
    if (v === null) return `${name}: "${pairs[k + 1]}" is not a number`;
    names.push(name);
    if ((LOSS_NAMES as readonly string[]).includes(name)) values[name as LossName] = v;
  }
  if (pairs.length % 2 !== 0 && pairs[0] !== '') return `"${pairs[pairs.length - 1]}" has no value (the line is cut short?)`;
  const missing = LOSS_NAMES.filter((l) => !(l in values));
  if (missing.length)
    return names.length && missing.length === LOSS_NAMES.length
      ? `not a CycleGAN loss line: it logs ${names.join(', ')} (a CycleGAN logs ${LOSS_NAMES.join(', ')})`
      : `${missing.join(', ')} missing (the line is cut short?)`;
  const s = opts.schedule;
  return {
    iter: (epoch - 1) * opts.itersPerEpoch + iters,
    epoch,
    lr: s ? s.lr * lrFactor(epoch, s) : NaN,
    values: values as Record<LossName, number>,
    ms: time * 1000,
  };
}
