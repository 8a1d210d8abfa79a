/**
 * The loss curves of one chart: SVG paths drawn inside recharts' chart, in its plot area and on its line layer,
 * from rows passed as props rather than through recharts' data store.
 *
 * Why not recharts' <Line>: a new `data` on a recharts chart goes through its store, whose subscribers re-render
 * synchronously in the next animation frame (a store update cannot be a React transition) — every line, axis, grid
 * line and label of the chart at once, ~20 ms of main-thread work per redraw that was still there after everything
 * else. These paths render in the chart's transition instead, and recharts only redraws its frame when the axes move.
 * The scales are the axes' own: d3-scale over the same domains LossPlot gives recharts' XAxis and YAxis.
 */
import { memo, useMemo } from 'react';
import { DefaultZIndexes, usePlotArea, ZIndexLayer } from 'recharts';
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { useStable } from '../charts/useStable';

type Row = { x: number } & Record<string, number | null | undefined>;

export interface Series {
  key: string;
  rows: readonly Row[];
  /** the row field holding this series' values */
  field: string;
  stroke: string;
  strokeWidth: number;
  strokeOpacity: number;
  dash?: string;
  /** draw across missing values (a PyTorch log's sparse rows) instead of leaving gaps */
  connect: boolean;
  className?: string;
}

interface Props {
  series: readonly Series[];
  xDomain: readonly [number, number];
  yDomain: readonly [number, number];
  logScale: boolean;
}

const valueOf = (r: Row, field: string) => {
  const v = r[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

export const LossLines = memo(function LossLines({ series, xDomain, yDomain, logScale }: Props) {
  // recharts recomputes the plot area (a new object, equal values) whenever an axis re-registers
  const area = useStable(usePlotArea(), (a, b) => a?.x === b?.x && a?.y === b?.y && a?.width === b?.width && a?.height === b?.height);
  const paths = useMemo(() => {
    if (!area) return [];
    const x = scaleLinear().domain(xDomain).range([area.x, area.x + area.width]);
    const y = (logScale ? scaleLog() : scaleLinear()).domain(yDomain).range([area.y + area.height, area.y]);
    return series.map((s) => {
      const path = line<Row>()
        .x((r) => x(r.x))
        .y((r) => y(valueOf(r, s.field)!))
        .defined((r) => valueOf(r, s.field) !== null)
        .digits(1);
      const rows = s.connect ? s.rows.filter((r) => valueOf(r, s.field) !== null) : s.rows;
      return { s, d: path(rows as Row[]) ?? '' };
    });
  }, [area, series, xDomain, yDomain, logScale]);

  return (
    <ZIndexLayer zIndex={DefaultZIndexes.line}>
      <g className="loss-lines">
        {paths.map(({ s, d }) => (
          <path
            key={s.key}
            className={`loss-line${s.className ? ` ${s.className}` : ''}`}
            d={d}
            fill="none"
            stroke={s.stroke}
            strokeWidth={s.strokeWidth}
            strokeOpacity={s.strokeOpacity}
            strokeDasharray={s.dash}
            strokeLinejoin="round"
          />
        ))}
      </g>
    </ZIndexLayer>
  );
});
