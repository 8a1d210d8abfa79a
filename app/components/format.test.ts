import { describe, expect, it } from 'vitest';
import { formatDuration, formatLoss, formatLr, formatRate } from './format';

describe('format', () => {
  it('durations', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(3 * 3600 + 7 * 60)).toBe('3 h 07 min');
    expect(formatDuration(Infinity)).toBe('—');
  });
  it('rates, lr and losses', () => {
    expect(formatRate(0)).toBe('—');
    expect(formatRate(0.4321)).toBe('0.43');
    expect(formatRate(12.6)).toBe('13');
    expect(formatLr(0.0002)).toBe('2.00 e−4');
    expect(formatLoss(0.25)).toBe('0.250');
    expect(formatLoss(NaN)).toBe('—');
  });
});
