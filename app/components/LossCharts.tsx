/** The three loss charts and their shared options: smoothing, log scale, x axis in iterations or epochs; hiding a
 * dropped PyTorch run's losses. */
import { CHART_GROUPS } from '../constants';
import type { XAxisMode } from '../charts/rows';
import { useStudio, useStudioShallow } from '../store/react';
import { Help } from './Help';
import { LossChart } from './LossChart';

export function LossCharts() {
  const chart = useStudioShallow((s) => s.settings.chart);
  const setChart = useStudio((s) => s.setChart);
  const showOptions = useStudio((s) => !s.settings.hidden.includes('chartOptions'));
  const pytorchFile = useStudio((s) => s.pytorchLosses?.file ?? null);
  const clearPytorch = useStudio((s) => s.clearPytorchLosses);
  return (
    <section className="panel charts" aria-label="Loss charts">
      <header className="panel-head">
        <h2>Losses</h2>
        {showOptions && <div className="chart-options">
          <label>
            Smoothing <Help text="Exponential moving average of each curve (0 = raw values). The legend’s numbers stay raw." reference="none, the reference plots raw values (studio: 0.6)" />
            <input type="range" min={0} max={0.99} step={0.01} value={chart.smoothing} data-testid="smoothing" onChange={(e) => setChart({ smoothing: Number(e.target.value) })} />
            <output>{chart.smoothing.toFixed(2)}</output>
          </label>
          <label>
            <input type="checkbox" checked={chart.logScale} data-testid="log-scale" onChange={(e) => setChart({ logScale: e.target.checked })} />
            Log scale <Help text="A logarithmic y axis: small losses late in training stay visible next to large early ones." reference="linear" />
          </label>
          <label>
            x axis <Help text="Iterations (one batch each) or epochs (one pass over the larger domain), as the reference’s plot." reference="epochs (fractional)" />
            <select value={chart.xAxis} data-testid="x-axis" onChange={(e) => setChart({ xAxis: e.target.value as XAxisMode })}>
              <option value="iterations">iterations</option>
              <option value="epochs">epochs</option>
            </select>
          </label>
        </div>}
      </header>
      {pytorchFile && (
        <p className="hint">
          Dashed, faded: the PyTorch run’s losses from <code>{pytorchFile}</code>.{' '}
          <button type="button" className="link" data-testid="clear-pytorch-losses" onClick={clearPytorch}>
            Hide them
          </button>
        </p>
      )}
      <div className="chart-grid">
        {CHART_GROUPS.map((g, i) => (
          <LossChart key={g.id} id={g.id} title={g.title} losses={g.losses} turn={i / CHART_GROUPS.length} />
        ))}
      </div>
    </section>
  );
}
