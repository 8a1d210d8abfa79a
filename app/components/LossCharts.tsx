/** The three loss charts and their shared options: smoothing, log scale, x axis in iterations or epochs. */
import { CHART_GROUPS } from '../constants';
import type { XAxisMode } from '../charts/rows';
import { useStudio, useStudioShallow } from '../store/react';
import { LossChart } from './LossChart';

export function LossCharts() {
  const chart = useStudioShallow((s) => s.settings.chart);
  const setChart = useStudio((s) => s.setChart);
  const showOptions = useStudio((s) => !s.settings.hidden.includes('chartOptions'));
  return (
    <section className="panel charts" aria-label="Loss charts">
      <header className="panel-head">
        <h2>Losses</h2>
        {showOptions && <div className="chart-options">
          <label>
            Smoothing
            <input type="range" min={0} max={0.99} step={0.01} value={chart.smoothing} data-testid="smoothing" onChange={(e) => setChart({ smoothing: Number(e.target.value) })} />
            <output>{chart.smoothing.toFixed(2)}</output>
          </label>
          <label>
            <input type="checkbox" checked={chart.logScale} data-testid="log-scale" onChange={(e) => setChart({ logScale: e.target.checked })} />
            Log scale
          </label>
          <label>
            x axis
            <select value={chart.xAxis} data-testid="x-axis" onChange={(e) => setChart({ xAxis: e.target.value as XAxisMode })}>
              <option value="iterations">iterations</option>
              <option value="epochs">epochs</option>
            </select>
          </label>
        </div>}
      </header>
      <div className="chart-grid">
        {CHART_GROUPS.map((g) => (
          <LossChart key={g.id} id={g.id} title={g.title} losses={g.losses} />
        ))}
      </div>
    </section>
  );
}
