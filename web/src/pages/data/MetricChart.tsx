import { useId, useState } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber } from '../../format';
import type { Series } from './data-queries';
import { bucketLabel, metricLabel } from './labels';
import type { Granularity } from './period';

/**
 * One provider's metrics over time, one at a time (the picker chooses which). The caption sums
 * the series up in words and the points read as a table too, so nothing rests on the drawing.
 */
export function MetricChart({ provider, series, granularity }: { provider: string; series: Series[]; granularity: Granularity }) {
  const ids = useId();
  const [chosen, setChosen] = useState(series[0]?.metric ?? '');
  const current = series.find((s) => s.metric === chosen) ?? series[0];
  if (!current) return <p className="empty">This provider maps no metrics.</p>;
  const { unit, points } = current;
  const data = points.map((p) => ({ ...p, label: bucketLabel(p.period, granularity, true) }));
  const highest = points.reduce((best, p) => (p.value > best.value ? p : best), points[0] ?? { period: '', value: 0 });
  const totalWord = unit === 'ratio' || unit === 'seconds' ? 'over the whole period' : 'in total';
  return (
    <figure className="chart metric-chart" aria-labelledby={`${ids}-caption`}>
      <div className="spread">
        <label className="inline">
          Metric
          <select value={current.metric} onChange={(e) => setChosen(e.target.value)} aria-label={`Metric shown for ${provider}`}>
            {series.map((s) => (
              <option key={s.metric} value={s.metric}>
                {metricLabel(s.metric)}
              </option>
            ))}
          </select>
        </label>
        <figcaption id={`${ids}-caption`}>
          {metricLabel(current.metric)} by {granularity}: {formatNumber(current.total, unit)} {totalWord}
          {points.length > 0 ? `; highest ${formatNumber(highest.value, unit)} (${bucketLabel(highest.period, granularity)})` : ''}.
        </figcaption>
      </div>
      <LineChart responsive data={data} style={{ width: '100%', height: 260 }} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid stroke="#e3e8ee" vertical={false} />
        <XAxis dataKey="label" tick={{ fill: '#4e5b6b', fontSize: 12 }} minTickGap={20} />
        <YAxis tick={{ fill: '#4e5b6b', fontSize: 12 }} width={64} tickFormatter={(v: number) => formatNumber(v, unit)} />
        <Tooltip formatter={(value) => [formatNumber(Number(value), unit), metricLabel(current.metric)]} />
        <Line type="monotone" dataKey="value" name={metricLabel(current.metric)} stroke="#0b5cad" strokeWidth={2} dot={{ r: 3, fill: '#0b5cad' }} isAnimationActive={false} />
      </LineChart>
      <details>
        <summary>Show the {points.length} points as a table</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{granularity === 'day' ? 'Day' : granularity === 'week' ? 'Week' : 'Month'}</th>
                <th scope="col" className="number">
                  {metricLabel(current.metric)}
                </th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.period}>
                  <td>{bucketLabel(p.period, granularity)}</td>
                  <td className="number">{formatNumber(p.value, unit)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
