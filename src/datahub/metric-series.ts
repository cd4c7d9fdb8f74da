import { headlineOf, rate, unitOf, type MetricRow, type MetricsMapping, type MetricUnit } from '../connectors/runtime/metrics-mapping.js';
import { bucketOf, bucketsOf, type DayRange, type Granularity } from './periods.js';

/**
 * Totals and series over `metrics_daily` rows of one provider. A value is the sum of its daily
 * values; a rate is the ratio of its two sums over the same days (a month's ctr is the month's
 * clicks over its impressions), never an average of daily rates.
 */
export interface ProviderMetrics {
  provider: string;
  name: string;
  /** Every mapping of the provider's connector, as one: their values and rates side by side. */
  mapping: Pick<MetricsMapping, 'values' | 'rates' | 'units' | 'headline' | 'better'>;
}

export interface MetricSeries {
  metric: string;
  unit: MetricUnit;
  total: number;
  points: Array<{ period: string; value: number }>;
}

/** One mapping standing for all of a connector's (most have one). */
export function combinedMapping(mappings: readonly MetricsMapping[]): ProviderMetrics['mapping'] {
  const combined: ProviderMetrics['mapping'] = { values: {}, rates: {}, units: {}, headline: [], better: {} };
  for (const mapping of mappings) {
    Object.assign(combined.values, mapping.values);
    Object.assign(combined.rates, mapping.rates);
    Object.assign(combined.units, mapping.units);
    Object.assign(combined.better, mapping.better);
    combined.headline!.push(...headlineOf(mapping).filter((m) => !combined.headline!.includes(m)));
  }
  return combined;
}

/** The metrics a provider has: its values and rates. */
export function metricNames(provider: ProviderMetrics): string[] {
  return [...Object.keys(provider.mapping.values), ...Object.keys(provider.mapping.rates)];
}

/** Rows whose dimensions hold every value asked for (`{ campaign: '42' }`). */
export function withDimensions(rows: readonly MetricRow[], filter: Readonly<Record<string, string>>): MetricRow[] {
  const wanted = Object.entries(filter);
  return wanted.length === 0 ? [...rows] : rows.filter((row) => wanted.every(([name, value]) => row.dimensions[name] === value));
}

/** The sum of each value over the rows. */
export function sumValues(rows: readonly MetricRow[], mapping: ProviderMetrics['mapping']): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const name of Object.keys(mapping.values)) sums[name] = 0;
  for (const row of rows) for (const name in sums) sums[name]! += row.metrics[name] ?? 0;
  return sums;
}

/** A metric from the sums: a value as it is, a rate as the ratio of its two. */
export function metricValue(metric: string, sums: Readonly<Record<string, number>>, mapping: ProviderMetrics['mapping']): number {
  const ratio = mapping.rates[metric];
  return ratio ? rate(sums[ratio.of] ?? 0, sums[ratio.per] ?? 0) : (sums[metric] ?? 0);
}

/** Each metric's total over the range and its value per bucket, every bucket present (0 without data). */
export function seriesOf(rows: readonly MetricRow[], provider: ProviderMetrics, metrics: readonly string[], range: DayRange, granularity: Granularity): MetricSeries[] {
  const { mapping } = provider;
  const inRange = rows.filter((row) => row.date >= range.from && row.date <= range.to);
  const byBucket = new Map<string, MetricRow[]>(bucketsOf(range, granularity).map((bucket) => [bucket, []]));
  for (const row of inRange) byBucket.get(bucketOf(row.date, granularity))?.push(row);
  const totals = sumValues(inRange, mapping);
  const bucketSums = [...byBucket].map(([period, bucketRows]) => ({ period, sums: sumValues(bucketRows, mapping) }));
  return metrics.map((metric) => ({
    metric,
    unit: unitOf(mapping, metric),
    total: metricValue(metric, totals, mapping),
    points: bucketSums.map(({ period, sums }) => ({ period, value: metricValue(metric, sums, mapping) })),
  }));
}
