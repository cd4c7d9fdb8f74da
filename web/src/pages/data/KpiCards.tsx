import { formatChange, formatNumber } from '../../format';
import type { Overview } from './data-queries';
import { metricLabel } from './labels';

type ProviderOverview = Overview['providers'][number];

/** A provider's headline metrics for the period, each with its change against the period before. */
export function KpiCards({ overview }: { overview: ProviderOverview }) {
  return (
    <ul className="kpis" aria-label={`${overview.name} headline metrics`}>
      {overview.kpis.map((kpi) => {
        const direction = kpi.change === null || kpi.change === 0 ? 'flat' : kpi.change > 0 ? 'up' : 'down';
        return (
          <li key={kpi.metric} className="kpi">
            <span className="kpi-name">{metricLabel(kpi.metric)}</span>
            <span className="kpi-value">{formatNumber(kpi.current, kpi.unit)}</span>
            <span className={`kpi-change ${direction}`}>
              <span aria-hidden="true">{direction === 'up' ? '▲' : direction === 'down' ? '▼' : '•'}</span> {formatChange(kpi.change)}
              <span className="muted">
                {' '}
                {overview.hasPrevious ? `from ${formatNumber(kpi.previous, kpi.unit)}` : 'no earlier data'}
              </span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
