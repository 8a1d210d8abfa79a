import { describe, expect, it } from 'vitest';
import { LOSS_NAMES } from '../../train/losses';
import { parseLossLog } from './lossLog';

/** A line as util/visualizer.py print_current_losses writes it (note the trailing space). */
const line = (epoch: number, iters: number, v: number[], time = '0.123', data = ', data: 0.004') =>
  `(epoch: ${epoch}, iters: ${iters}, time: ${time}${data}) ${LOSS_NAMES.map((n, i) => `${n}: ${v[i].toFixed(3)} `).join('')}`;
const vals = (k: number) => LOSS_NAMES.map((_, i) => k + i / 10);

const LOG = [
  '================ Training Loss (Mon Jan  6 10:00:00 2025) ================',
  line(1, 100, vals(1)),
  line(1, 200, vals(2)),
  line(2, 100, vals(3)),
  '================ Training Loss (Tue Jan  7 09:30:12 2025) ================', // --continue_train
  line(3, 50, vals(4), '1.500', ''), // before 2019 there was no data: field
  '',
].join('\n');

describe('parseLossLog: the official loss_log.txt', () => {
  it('reads the loss lines into points, the iteration from the epoch and its image count, lr from the schedule', () => {
    const log = parseLossLog(LOG, { itersPerEpoch: 250, schedule: { lr: 0.0002, nEpochs: 2, nEpochsDecay: 2 } });
    expect(log.skipped).toEqual([]);
    expect(log.points.map((p) => [p.iter, p.epoch])).toEqual([[100, 1], [200, 1], [350, 2], [550, 3]]);
    expect(log.points[0].values).toEqual({ D_A: 1, G_A: 1.1, cycle_A: 1.2, idt_A: 1.3, D_B: 1.4, G_B: 1.5, cycle_B: 1.6, idt_B: 1.7 });
    expect(log.points[0].ms).toBeCloseTo(123, 9);
    expect(log.points[3].ms).toBe(1500);
    expect(log.points.map((p) => p.lr)).toEqual([0.0002, 0.0002, 0.0002, 0.0002 * (1 - 1 / 3)]);
  });

  it('reports the ===== session headers with their dates and line numbers', () => {
    expect(parseLossLog(LOG, { itersPerEpoch: 250 }).sessions).toEqual([
      { line: 1, started: 'Mon Jan  6 10:00:00 2025' },
      { line: 5, started: 'Tue Jan  7 09:30:12 2025' },
    ]);
  });

  it('without a schedule lr is NaN; nan and inf losses are kept (a diverged run shows as one)', () => {
    const text = line(1, 100, vals(1)).replace('G_A: 1.100', 'G_A: nan').replace('D_B: 1.400', 'D_B: inf').replace('idt_B: 1.700', 'idt_B: -inf');
    const [p] = parseLossLog(text + '\r\n', { itersPerEpoch: 10 }).points;
    expect(p.lr).toBeNaN();
    expect([p.values.G_A, p.values.D_B, p.values.idt_B]).toEqual([NaN, Infinity, -Infinity]);
  });

  it('reports malformed lines with their line number and the reason, and keeps the rest', () => {
    const text = [
      line(1, 100, vals(1)),
      line(1, 200, vals(2)).slice(0, 60), // a line cut off while the trainer was writing it
      'learning rate 0.0002000 -> 0.0002000',
      line(1, 300, vals(3)).replace('cycle_A: 3.200', 'cycle_A: x'),
      '(epoch: 1, iters: 400, time: 0.100, data: 0.001) G_GAN: 1.000 G_L1: 20.000 D_real: 0.500 D_fake: 0.400 ',
      line(1, 500, vals(5)),
      line(1, 600, vals(6)).replace(/[\d.]+ $/, ''),
    ].join('\n');
    const log = parseLossLog(text, { itersPerEpoch: 1000 });
    expect(log.points.map((p) => p.iter)).toEqual([100, 500]);
    expect(log.skipped.map((s) => [s.line, s.reason])).toEqual([
      [2, 'G_A, cycle_A, idt_A, D_B, G_B, cycle_B, idt_B missing (the line is cut short?)'],
      [3, 'not a loss line: expected "(epoch: E, iters: I, time: T, data: D) D_A: … idt_B: …"'],
      [4, 'cycle_A: "x" is not a number'],
      [5, 'not a CycleGAN loss line: it logs G_GAN, G_L1, D_real, D_fake (a CycleGAN logs D_A, G_A, cycle_A, idt_A, D_B, G_B, cycle_B, idt_B)'],
      [7, '"idt_B:" has no value (the line is cut short?)'],
    ]);
    expect(log.skipped[1].text).toBe('learning rate 0.0002000 -> 0.0002000');
  });

  it('needs the iterations per epoch', () => {
    expect(() => parseLossLog(LOG, { itersPerEpoch: 0 })).toThrow(/itersPerEpoch must be an integer ≥ 1/);
  });
});
