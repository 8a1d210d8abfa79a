/** Number formatting for the status bar and legends (pure). */

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function formatRate(itsPerSec: number): string {
  if (!(itsPerSec > 0)) return '—';
  if (itsPerSec >= 10) return itsPerSec.toFixed(0);
  if (itsPerSec >= 1) return itsPerSec.toFixed(1);
  return itsPerSec.toFixed(2);
}

export function formatLr(lr: number): string {
  if (!Number.isFinite(lr)) return '—';
  if (lr === 0) return '0';
  return lr.toExponential(2).replace('e-', ' e−');
}

export function formatLoss(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.001 || a >= 10000)) return v.toExponential(2);
  return v.toPrecision(3);
}

// One formatter, made once: Number.toLocaleString builds a new Intl formatter per call (slow on chart ticks).
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const formatInt = (n: number) => INT.format(Math.round(n));
