import type { MetricRow, MetricUnit } from '../connectors/runtime/metrics-mapping.js';
import { headlineOf, unitOf } from '../connectors/runtime/metrics-mapping.js';
import { metricValue, sumValues, type ProviderMetrics } from './metric-series.js';
import { previousRange, type DayRange } from './periods.js';

/**
 * Each provider's headline metrics for a period beside the period of the same length before it.
 * `change` is relative ((current − previous) / previous), null when there is nothing to compare
 * with (no previous value).
 */
export interface Kpi {
  metric: string;
  unit: MetricUnit;
  current: number;
  previous: number;
  change: number | null;
}

export interface ProviderOverview {
  provider: string;
  name: string;
  period: DayRange;
  previousPeriod: DayRange;
  /** Whether the previous period has any data at all (a new connection's first month has none). */
  hasPrevious: boolean;
  kpis: Kpi[];
}

export function relativeChange(current: number, previous: number): number | null {
  return previous === 0 ? null : (current - previous) / previous;
}

/** Rows are the provider's, covering both periods (outside rows are ignored). */
export function providerOverview(rows: readonly MetricRow[], provider: ProviderMetrics, period: DayRange): ProviderOverview {
  const before = previousRange(period);
  const within = (range: DayRange) => rows.filter((row) => row.date >= range.from && row.date <= range.to);
  const previousRows = within(before);
  const now = sumValues(within(period), provider.mapping);
  const then = sumValues(previousRows, provider.mapping);
  const kpis = headlineOf(provider.mapping).map((metric): Kpi => {
    const current = metricValue(metric, now, provider.mapping);
    const previous = metricValue(metric, then, provider.mapping);
    return { metric, unit: unitOf(provider.mapping, metric), current, previous, change: previousRows.length > 0 ? relativeChange(current, previous) : null };
  });
  return { provider: provider.provider, name: provider.name, period, previousPeriod: before, hasPrevious: previousRows.length > 0, kpis };
}

/** The sums behind each rate's two sides, for both periods: insights only trust rates over enough volume. */
export function rateBases(rows: readonly MetricRow[], provider: ProviderMetrics, period: DayRange): Record<string, { current: number; previous: number }> {
  const before = previousRange(period);
  const sumsOf = (range: DayRange) => sumValues(rows.filter((row) => row.date >= range.from && row.date <= range.to), provider.mapping);
  const now = sumsOf(period);
  const then = sumsOf(before);
  const bases: Record<string, { current: number; previous: number }> = {};
  for (const [metric, { per }] of Object.entries(provider.mapping.rates)) bases[metric] = { current: now[per] ?? 0, previous: then[per] ?? 0 };
  return bases;
}
