/**
 * One group of losses: title, legend with the latest raw values, and the plot. While training it redraws at most
 * every REDRAW_MS, in a React transition, however many loss messages arrive: the rows are rebuilt from the
 * typed-array history (EMA-smoothed incrementally), then min/max-downsampled to about one row per pixel of the
 * plot's width, so 100k iterations draw as fast as a few hundred. A PyTorch run's losses (a dropped loss_log.txt)
 * are a second, dashed and faded series per loss, from their own rows (../charts/pytorchRows.ts).
 */
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { LOSS_STYLE, type ChartId, type LossName } from '../constants';
import { highlightedLosses } from '../explain/terms';
import { useChartMarkers } from '../charts/markers';
import { pyKey, pytorchRows } from '../charts/pytorchRows';
import { chartRows, labelWidth, niceLogScale, niceScale, RowCache, sameScale, valueExtent, xScale, type NiceScale } from '../charts/rows';
import { useRedrawVersion } from '../charts/useRedrawVersion';
import { useStable } from '../charts/useStable';
import { useWidth } from '../charts/useWidth';
import { useStudio, useStudioShallow } from '../store/react';
import { formatLoss } from './format';
import { LossPlot, PLOT_MARGIN, tickFontSize, xTickLabel, yAxisWidth } from './LossPlot';

const REDRAW_MS = 1000; // three charts taking turns: a redraw every third of a second
/** Rows before the plot has been measured (and the fewest it ever gets). */
const MIN_ROWS = 200;

interface Props {
  id: ChartId;
  title: string;
  losses: readonly LossName[];
  /** 0 … 1: when in each redraw period this chart takes its turn (charts that share a period keep out of each other's way) */
  turn?: number;
}

export function LossChart({ id, title, losses, turn = 0 }: Props) {
  const version = useRedrawVersion(REDRAW_MS, turn * REDRAW_MS);
  const buffer = useStudio((s) => s.lossBuffer);
  // option changes (a smoothing slider being dragged) redraw in the background too
  const chart = useDeferredValue(useStudioShallow((s) => s.settings.chart));
  const itersPerEpoch = useStudio((s) => s.run.status.itersPerEpoch);
  const epochCount = useStudio((s) => s.settings.overrides.epochCount ?? 1);
  const presenter = useStudio((s) => s.settings.presenter);
  const highlight = useStudio((s) => s.highlight);
  const lit = useMemo(() => highlightedLosses(highlight), [highlight]);

  const body = useRef<HTMLDivElement>(null);
  const plotWidth = useWidth(body) - yAxisWidth(presenter) - PLOT_MARGIN.left - PLOT_MARGIN.right;
  const target = Math.max(MIN_ROWS, plotWidth);

  const [cache] = useState(() => new RowCache()); // this chart's incremental smoothing and downsampling
  const rows = useMemo(
    () => chartRows(buffer, losses, { ...chart, itersPerEpoch, epochCount, target }, cache),
    // `version` stands for the buffer's contents, which mutate in place.
    [buffer, version, losses, chart, itersPerEpoch, epochCount, target, cache],
  );
  const { count, latest } = useMemo(() => ({ count: buffer.length, latest: buffer.last()?.values }), [buffer, version]);

  const pytorch = useStudio((s) => s.pytorchLosses);
  const pyRows = useMemo(
    () => (pytorch ? pytorchRows(pytorch.points, losses, { ...chart, itersPerEpoch, epochCount, target }) : []),
    [pytorch, losses, chart, itersPerEpoch, epochCount, target],
  );

  const xEpochs = chart.xAxis === 'epochs';
  const markers = useChartMarkers(rows.length > 0 ? rows[0].x : 0, rows.length > 0 ? rows[rows.length - 1].x : -1);
  const xs = [rows[0]?.x, rows[rows.length - 1]?.x, pyRows[0]?.x, pyRows[pyRows.length - 1]?.x].filter((x): x is number => x !== undefined);
  const [lo, hi] = xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [0, -1];
  const fontSize = tickFontSize(presenter);
  const labelPx = (t: number) => labelWidth(xTickLabel(t, xEpochs), fontSize);
  const x = useStable(hi >= lo ? xScale(lo, hi, plotWidth, labelPx, !xEpochs) : EMPTY_SCALE, sameScale);
  // both axes are ours to scale: the curves (LossLines) are drawn on the same domains, and recharts' own nice ticks
  // cost more than anything else in a redraw
  const extent = mergeExtents(valueExtent(rows, losses), valueExtent(pyRows, losses.map(pyKey)));
  const yScale = useStable(yScaleOf(extent, chart.logScale), sameScale);

  const empty = rows.length === 0 && pyRows.length === 0;
  return (
    <figure className="chart" data-testid={`chart-${id}`} data-points={count} data-rows={rows.length} data-markers={markers.length} data-pytorch-points={pytorch?.points.length ?? 0}>
      <figcaption>
        <h3>{title}</h3>
        <ul className="legend">
          {losses.map((n) => (
            <li key={n} title={LOSS_STYLE[n].label}>
              <svg width="28" height="12" aria-hidden>
                <line x1="0" y1="6" x2="28" y2="6" stroke={LOSS_STYLE[n].color} strokeWidth="4" strokeDasharray={LOSS_STYLE[n].dash} />
              </svg>
              <span className="legend-name">{n}</span>
              <span className="legend-value"><span className="legend-num">{formatLoss(latest?.[n])}</span></span>
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
      {/* The plot is mounted from the start and hidden while there is nothing to draw: mounting recharts' tree is the
          most expensive render a chart has (~50 ms), better spent before training than in its first iterations. */}
      <div className={`chart-body${empty ? ' empty' : ''}`} ref={body}>
        <LossPlot rows={rows} pyRows={pyRows} losses={losses} markers={markers} xScale={x} yScale={yScale} xEpochs={xEpochs} logScale={chart.logScale} presenter={presenter} lit={lit} />
        {empty && <p className="chart-empty">Losses appear here once training starts.</p>}
      </div>
    </figure>
  );
}

const EMPTY_SCALE: NiceScale = { domain: [0, 1], ticks: [0, 1] };
const EMPTY_LOG_SCALE: NiceScale = { domain: [0.1, 1], ticks: [0.1, 1] };

const yScaleOf = (extent: [number, number] | null, log: boolean): NiceScale =>
  !extent ? (log ? EMPTY_LOG_SCALE : EMPTY_SCALE) : log ? niceLogScale(extent[0], extent[1]) : niceScale(extent[0], extent[1]);

const mergeExtents = (a: [number, number] | null, b: [number, number] | null): [number, number] | null =>
  a && b ? [Math.min(a[0], b[0]), Math.max(a[1], b[1])] : a ?? b;
