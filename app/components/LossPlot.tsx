/**
 * The recharts part of one loss chart. Every prop but `rows` changes rarely, and the axes, the markers and the lines
 * are memoised elements: when only the rows change, React skips them and recharts recomputes the data, not its
 * whole layout (an axis or line given new props, even equal ones, re-registers and recomputes the chart).
 */
import { memo, useMemo, useState } from 'react';
import { type BaseTickContentProps, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { LOSS_STYLE, type LossName } from '../constants';
import { MARKER_STYLE, markerLabel, type Marker } from '../charts/markers';
import type { ChartRow, NiceScale } from '../charts/rows';
import { pyKey, type PytorchRow } from '../charts/pytorchRows';
import { formatInt, formatLoss } from './format';

/** right: room for half of an x label at the end of the axis ("100,000" in the presenter's font) */
export const PLOT_MARGIN = { top: 8, right: 30, bottom: 4, left: 0 };
export const yAxisWidth = (presenter: boolean) => (presenter ? 78 : 64);
export const tickFontSize = (presenter: boolean) => (presenter ? 19 : 15);
export const xTickLabel = (x: number, epochs: boolean) => (epochs ? String(+x.toFixed(3)) : formatInt(x));

const INK = '#1a1d23';
const X_DOMAIN = ['dataMin', 'dataMax'];
const Y_DOMAIN = ['auto', 'auto'];
const ACTIVE_DOT = { r: 4 };
const formatValue = (v: unknown) => formatLoss(typeof v === 'number' ? v : null);

type TickProps = Pick<BaseTickContentProps, 'x' | 'y' | 'payload' | 'textAnchor' | 'verticalAnchor' | 'className'>;
/** SVG's baseline shift for recharts' vertical anchors (its Text's cap-height rule). */
const TICK_DY = { start: '0.71em', middle: '0.355em', end: '0' } as const;

/**
 * Tick labels as plain SVG text. recharts' own label (<Text>) measures every label it has not seen before in a
 * hidden DOM node to wrap it, and each measurement forces a layout of the whole page: with the y axis rescaling as
 * the losses move, that was most of a redraw. Our labels are single numbers and never wrap.
 */
const tickLabel = (format: (v: number) => string, fontSize: number) =>
  function TickLabel({ x, y, payload, textAnchor, verticalAnchor, className }: TickProps) {
    return (
      <text x={x} y={y} dy={TICK_DY[verticalAnchor]} textAnchor={textAnchor} fontSize={fontSize} fill={INK} className={className}>
        {format(Number(payload.value))}
      </text>
    );
  };

interface Props {
  rows: ChartRow[];
  /** A PyTorch run's losses (a dropped loss_log.txt), drawn dashed and faded; empty: none. */
  pyRows: PytorchRow[];
  losses: readonly LossName[];
  markers: Marker[];
  xTicks: number[];
  /** the y axis' domain and ticks; null: recharts' own (a log axis) */
  yScale: NiceScale | null;
  xEpochs: boolean;
  logScale: boolean;
  /** projector: larger ticks, thicker lines */
  presenter: boolean;
  /** losses the explain panel points at (drawn thicker, the others faded) */
  lit: ReadonlySet<LossName>;
}

export const LossPlot = memo(function LossPlot({ rows, pyRows, losses, markers, xTicks, yScale, xEpochs, logScale, presenter, lit }: Props) {
  const frame = useMemo(() => {
    const fontSize = tickFontSize(presenter);
    return [
      <CartesianGrid key="grid" stroke="#c9ced6" strokeDasharray="3 3" />,
      <XAxis
        key="x"
        dataKey="x"
        type="number"
        domain={X_DOMAIN}
        ticks={xTicks}
        niceTicks="none" // the ticks above are the ticks: recharts need not compute its own each redraw
        interval={0} // all of them: fittedTicks already spaced them for the labels' width (no measuring here)
        tick={tickLabel((v) => xTickLabel(v, xEpochs), fontSize)}
        stroke={INK}
      />,
      <YAxis
        key="y"
        scale={logScale ? 'log' : 'linear'}
        domain={yScale?.domain ?? Y_DOMAIN}
        ticks={yScale?.ticks}
        niceTicks={yScale ? 'none' : 'auto'}
        allowDataOverflow={logScale}
        interval={0} // recharts' few nice ticks never collide vertically: no need to measure the labels to thin them
        tick={tickLabel(formatLoss, fontSize)}
        stroke={INK}
        width={yAxisWidth(presenter)}
      />,

    ];
  }, [xTicks, yScale, xEpochs, logScale, presenter]);

  // The tooltip only while the pointer is over the plot: mounted, it recomputes its own view of the data on every
  // redraw (about a third of a redraw's work), for a box nobody sees until they point at the chart.
  const [pointing, setPointing] = useState(false);
  const tooltip = useMemo(
    () => (
      <Tooltip
        isAnimationActive={false}
        formatter={formatValue}
        labelFormatter={(x) => (xEpochs ? `epoch ${Number(x).toFixed(2)}` : `iteration ${formatInt(Number(x))}`)}
      />
    ),
    [xEpochs],
  );

  const markerLines = useMemo(
    () =>
      markers.map((m) => (
        <ReferenceLine
          key={`${m.kind}-${m.iter}-${m.label}`}
          x={m.x}
          stroke={MARKER_STYLE[m.kind].color}
          strokeWidth={2}
          strokeDasharray={MARKER_STYLE[m.kind].dash}
          ifOverflow="hidden"
          className={`marker marker-${m.kind}`}
          label={markerLabel(m, presenter)}
        />
      )),
    [markers, presenter],
  );

  const lines = useMemo(
    () =>
      losses.map((n) => (
        <Line
          key={n}
          dataKey={n}
          name={n}
          type="linear"
          stroke={LOSS_STYLE[n].color}
          strokeWidth={(presenter ? 3.5 : 2.5) + (lit.has(n) ? 2.5 : 0)}
          strokeOpacity={lit.size > 0 && !lit.has(n) ? 0.3 : 1}
          strokeDasharray={LOSS_STYLE[n].dash}
          dot={false}
          activeDot={ACTIVE_DOT}
          isAnimationActive={false}
          connectNulls={false}
        />
      )),
    [losses, presenter, lit],
  );

  const pyLines = useMemo(
    () =>
      pyRows.length === 0
        ? []
        : losses.map((n) => (
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
          )),
    [pyRows, losses, presenter],
  );

  return (
    <ResponsiveContainer width="100%" height="100%" onPointerEnter={() => setPointing(true)} onPointerLeave={() => setPointing(false)}>
      <LineChart data={rows} margin={PLOT_MARGIN}>
        {frame}
        {pointing && tooltip}
        {markerLines}
        {lines}
        {pyLines}
      </LineChart>
    </ResponsiveContainer>
  );
});
