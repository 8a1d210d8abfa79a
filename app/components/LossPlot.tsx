/**
 * The plot of one loss chart: recharts draws the frame (axes, grid, markers) and, while the pointer is over the
 * plot, the tooltip; the curves are LossLines, drawn from the rows in the chart's own (transition) render. recharts
 * never holds the rows unless someone points at the chart: a new `data` goes through its store and re-renders the
 * whole chart synchronously. While training, recharts only sees the x axis grow, by half a tick step at a time
 * (xScale), and now and then the y axis change. The axes, the markers and the lines are memoised elements: an axis or
 * line given new props, even equal ones, re-registers and recomputes the chart.
 */
import { memo, useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import { type BaseTickContentProps, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { LOSS_STYLE, type LossName } from '../constants';
import { MARKER_STYLE, markerLabel, type Marker } from '../charts/markers';
import type { ChartRow, NiceScale } from '../charts/rows';
import { pyKey, type PytorchRow } from '../charts/pytorchRows';
import { formatInt, formatLoss } from './format';
import { LossLines, type Series } from './LossLines';

/** right: room for half of an x label at the end of the axis ("100,000" in the presenter's font) */
export const PLOT_MARGIN = { top: 8, right: 30, bottom: 4, left: 0 };
export const yAxisWidth = (presenter: boolean) => (presenter ? 78 : 64);
export const tickFontSize = (presenter: boolean) => (presenter ? 19 : 15);
export const xTickLabel = (x: number, epochs: boolean) => (epochs ? String(+x.toFixed(3)) : formatInt(x));

const INK = '#1a1d23';
const ACTIVE_DOT = { r: 4 };
const NO_ROWS: ChartRow[] = [];
const GRID = <CartesianGrid stroke="#c9ced6" strokeDasharray="3 3" />;
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
  /** the x axis' domain (the newest point, rounded up a little) and ticks */
  xScale: NiceScale;
  /** the y axis' domain and ticks (on a log axis, powers of ten) */
  yScale: NiceScale;
  xEpochs: boolean;
  logScale: boolean;
  /** projector: larger ticks, thicker lines */
  presenter: boolean;
  /** losses the explain panel points at (drawn thicker, the others faded) */
  lit: ReadonlySet<LossName>;
}

export const LossPlot = memo(function LossPlot({ rows, pyRows, losses, markers, xScale, yScale, xEpochs, logScale, presenter, lit }: Props) {
  const fontSize = tickFontSize(presenter);
  const xTick = useMemo(() => tickLabel((v) => xTickLabel(v, xEpochs), fontSize), [xEpochs, fontSize]);
  const yTick = useMemo(() => tickLabel(formatLoss, fontSize), [fontSize]);
  const xAxis = useMemo(
    () => (
      <XAxis
        dataKey="x"
        type="number"
        domain={xScale.domain}
        allowDataOverflow // the domain is the curves' too: recharts must not widen it
        ticks={xScale.ticks}
        niceTicks="none" // the ticks above are the ticks: recharts need not compute its own each redraw
        interval={0} // all of them: fittedTicks already spaced them for the labels' width (no measuring here)
        tick={xTick}
        stroke={INK}
      />
    ),
    [xScale, xTick],
  );
  const yAxis = useMemo(
    () => (
      <YAxis
        scale={logScale ? 'log' : 'linear'}
        domain={yScale.domain}
        allowDataOverflow
        ticks={yScale.ticks}
        niceTicks="none"
        interval={0} // a few round ticks never collide vertically: no need to measure the labels to thin them
        tick={yTick}
        stroke={INK}
        width={yAxisWidth(presenter)}
      />
    ),
    [yScale, logScale, yTick, presenter],
  );

  const series = useMemo(
    (): Series[] => [
      ...losses.map((n) => ({
        key: n,
        rows,
        field: n,
        stroke: LOSS_STYLE[n].color,
        strokeWidth: (presenter ? 3.5 : 2.5) + (lit.has(n) ? 2.5 : 0),
        strokeOpacity: lit.size > 0 && !lit.has(n) ? 0.3 : 1,
        dash: LOSS_STYLE[n].dash,
        connect: false,
      })),
      ...(pyRows.length === 0
        ? []
        : losses.map((n) => ({
            key: pyKey(n),
            rows: pyRows,
            field: pyKey(n),
            stroke: LOSS_STYLE[n].color,
            strokeWidth: presenter ? 3 : 2,
            strokeOpacity: 0.55,
            dash: '5 4',
            connect: true,
            className: 'pytorch-series',
          }))),
    ],
    [rows, pyRows, losses, presenter, lit],
  );

  // While the pointer is over the plot or the plot has the keyboard's focus (recharts' arrow keys walk the rows),
  // recharts gets the rows, the tooltip and its own lines — invisible, there to give the tooltip its values and draw
  // the dots under the pointer. Mounted all the time, the tooltip and lines would recompute their view of the data on
  // every redraw, for a box nobody sees until they point at the chart.
  const [pointer, setPointer] = useState(false);
  const [focus, setFocus] = useState(false);
  const pointing = pointer || focus;
  const pointed = useMemo(
    () =>
      pointing && [
        <Tooltip
          key="tooltip"
          isAnimationActive={false}
          formatter={formatValue}
          labelFormatter={(x) => (xEpochs ? `epoch ${Number(x).toFixed(2)}` : `iteration ${formatInt(Number(x))}`)}
        />,
        ...losses.map((n) => (
          <Line key={n} dataKey={n} name={n} stroke={LOSS_STYLE[n].color} strokeOpacity={0} dot={false} activeDot={ACTIVE_DOT} isAnimationActive={false} />
        )),
        ...(pyRows.length === 0
          ? []
          : losses.map((n) => (
              <Line key={pyKey(n)} data={pyRows} dataKey={pyKey(n)} name={`${n} (PyTorch run)`} stroke={LOSS_STYLE[n].color} strokeOpacity={0} dot={false} activeDot={false} isAnimationActive={false} />
            ))),
      ],
    [pointing, xEpochs, losses, pyRows],
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

  return (
    <ResponsiveContainer
      width="100%"
      height="100%"
      // synchronously, so that recharts holds the rows before the pointer's first move over the plot picks the row
      onPointerEnter={() => flushSync(() => setPointer(true))}
      onPointerLeave={() => setPointer(false)}
      onFocus={() => setFocus(true)}
      onBlur={() => setFocus(false)}
    >
      <LineChart data={pointing ? rows : NO_ROWS} margin={PLOT_MARGIN}>
        {GRID}
        {xAxis}
        {yAxis}
        {markerLines}
        <LossLines series={series} xDomain={xScale.domain} yDomain={yScale.domain} logScale={logScale} />
        {pointed}
      </LineChart>
    </ResponsiveContainer>
  );
});
