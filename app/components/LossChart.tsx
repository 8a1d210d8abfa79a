/**
 * One group of losses as a recharts line chart. The rows are rebuilt from the typed-array history when the
 * store's loss version moves (at most ~5 times a second here), EMA-smoothed, then min/max-downsampled to
 * ~600 rows, so 100k iterations draw as fast as 600. A PyTorch run's losses (a dropped loss_log.txt) are a
 * second, dashed and faded series per loss, from their own rows (../charts/pytorchRows.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { LOSS_STYLE, type ChartId, type LossName } from '../constants';
import { highlightedLosses } from '../explain/terms';
import { MARKER_STYLE, markerLabel } from '../charts/markers';
import { chartRows, niceTicks } from '../charts/rows';
import { pyKey, pytorchRows } from '../charts/pytorchRows';
import { useChartMarkers } from '../charts/markers';
import { useStudio, useStudioShallow } from '../store/react';
import { formatInt, formatLoss } from './format';

const TARGET_ROWS = 600;
const MIN_REDRAW_MS = 200;

/** `value`, but changing at most once per `ms` (the latest value always lands). */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const [last, setLast] = useState(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = Math.max(0, last + ms - performance.now());
    const t = setTimeout(() => {
      setShown(value);
      setLast(performance.now());
    }, wait);
    return () => clearTimeout(t);
  }, [value, shown, last, ms]);
  return shown;
}

export function LossChart({ id, title, losses }: { id: ChartId; title: string; losses: readonly LossName[] }) {
  const version = useThrottled(useStudio((s) => s.losses.version), MIN_REDRAW_MS);
  const count = useStudio((s) => s.losses.count);
  const buffer = useStudio((s) => s.lossBuffer);
  const chart = useStudioShallow((s) => s.settings.chart);
  const itersPerEpoch = useStudio((s) => s.run.status.itersPerEpoch);
  const epochCount = useStudio((s) => s.settings.overrides.epochCount ?? 1);
  const presenter = useStudio((s) => s.settings.presenter); // projector: larger ticks, thicker lines
  const tickFont = presenter ? 19 : 15;

  const smoothCache = useRef({}); // this chart's incremental EMA state, one per loss
  const rows = useMemo(
    () => chartRows(buffer, losses, { ...chart, itersPerEpoch, epochCount, target: TARGET_ROWS }, smoothCache.current),
    // `version` stands for the buffer's contents, which mutate in place.
    [buffer, version, losses, chart.smoothing, chart.logScale, chart.xAxis, itersPerEpoch, epochCount],
  );
  const latest = useMemo(() => buffer.last()?.values, [buffer, version]);
  const pytorch = useStudio((s) => s.pytorchLosses);
  const pyRows = useMemo(
    () => (pytorch ? pytorchRows(pytorch.points, losses, { ...chart, itersPerEpoch, epochCount, target: TARGET_ROWS }) : []),
    [pytorch, losses, chart.smoothing, chart.logScale, chart.xAxis, itersPerEpoch, epochCount],
  );
  const xs = [rows[0]?.x, rows[rows.length - 1]?.x, pyRows[0]?.x, pyRows[pyRows.length - 1]?.x].filter((x): x is number => x !== undefined);
  const [xLo, xHi] = xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [0, -1];
  const xEpochs = chart.xAxis === 'epochs';
  const markers = useChartMarkers(rows.length > 0 ? rows[0].x : 0, rows.length > 0 ? rows[rows.length - 1].x : -1);
  const highlight = useStudio((s) => s.highlight);
  const lit = useMemo(() => highlightedLosses(highlight), [highlight]);
  const xTicks = useMemo(() => (xHi >= xLo ? niceTicks(xLo, xHi, 5, !xEpochs) : []), [xLo, xHi, xEpochs]);

  return (
    <figure className="chart" data-testid={`chart-${id}`} data-points={count} data-markers={markers.length} data-pytorch-points={pytorch?.points.length ?? 0}>
      <figcaption>
        <h3>{title}</h3>
        <ul className="legend">
          {losses.map((n) => (
            <li key={n} title={LOSS_STYLE[n].label}>
              <svg width="28" height="12" aria-hidden>
                <line x1="0" y1="6" x2="28" y2="6" stroke={LOSS_STYLE[n].color} strokeWidth="4" strokeDasharray={LOSS_STYLE[n].dash} />
              </svg>
              <span className="legend-name">{n}</span>
              <span className="legend-value">{formatLoss(latest?.[n])}</span>
            </li>
          ))}
          {pytorch && (
            <li className="legend-pytorch" title={`${pytorch.file}: the official PyTorch trainer's losses (dashed, faded)`}>
              <svg width="28" height="12" aria-hidden>
                <line x1="0" y1="6" x2="28" y2="6" stroke="#1a1d23" strokeWidth="3" strokeDasharray="5 4" strokeOpacity={0.55} />
              </svg>
              <span className="legend-name">PyTorch run</span>
            </li>
          )}
        </ul>
      </figcaption>
      <div className="chart-body">
        {rows.length === 0 && pyRows.length === 0 ? (
          <p className="chart-empty">Losses appear here once training starts.</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={{ top: 8, right: 18, bottom: 4, left: 0 }}>
              <CartesianGrid stroke="#c9ced6" strokeDasharray="3 3" />
              <XAxis
                dataKey="x"
                type="number"
                domain={['dataMin', 'dataMax']}
                ticks={xTicks}
                interval={0}
                tickFormatter={(v: number) => (xEpochs ? String(+v.toFixed(3)) : formatInt(v))}
                tick={{ fontSize: tickFont, fill: '#1a1d23' }}
                stroke="#1a1d23"
              />
              <YAxis
                scale={chart.logScale ? 'log' : 'linear'}
                domain={['auto', 'auto']}
                allowDataOverflow={chart.logScale}
                tickFormatter={(v: number) => formatLoss(v)}
                tick={{ fontSize: tickFont, fill: '#1a1d23' }}
                stroke="#1a1d23"
                width={presenter ? 78 : 64}
              />
              <Tooltip
                isAnimationActive={false}
                formatter={(v) => formatLoss(typeof v === 'number' ? v : null)}
                labelFormatter={(x) => (xEpochs ? `epoch ${Number(x).toFixed(2)}` : `iteration ${formatInt(Number(x))}`)}
              />
              {markers.map((m) => (
                <ReferenceLine
                  key={`${m.kind}-${m.iter}-${m.label}`}
                  x={m.x}
                  stroke={MARKER_STYLE[m.kind].color}
                  strokeWidth={2}
                  strokeDasharray={MARKER_STYLE[m.kind].dash}
                  ifOverflow="hidden"
                  className={`marker marker-${m.kind}`}
                  label={markerLabel(m, m.x > (rows[0].x + rows[rows.length - 1].x) / 2, presenter)}
                />
              ))}
              {losses.map((n) => (
                <Line
                  key={n}
                  data={rows}
                  dataKey={n}
                  name={n}
                  type="linear"
                  stroke={LOSS_STYLE[n].color}
                  strokeWidth={(presenter ? 3.5 : 2.5) + (lit.has(n) ? 2.5 : 0)}
                  strokeOpacity={lit.size > 0 && !lit.has(n) ? 0.3 : 1}
                  strokeDasharray={LOSS_STYLE[n].dash}
                  dot={false}
                  activeDot={{ r: 4 }}
                  isAnimationActive={false}
                  connectNulls={false}
                />
              ))}
              {pyRows.length > 0 &&
                losses.map((n) => (
                  <Line
                    key={pyKey(n)}
                    data={pyRows}
                    dataKey={pyKey(n)}
                    name={`${n} (PyTorch run)`}
                    type="linear"
                    stroke={LOSS_STYLE[n].color}
                    strokeWidth={presenter ? 3 : 2}
                    strokeOpacity={0.55}
                    strokeDasharray="5 4"
                    dot={false}
                    activeDot={false}
                    isAnimationActive={false}
                    connectNulls
                    className="pytorch-series"
                  />
                ))}
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
    </figure>
  );
}
