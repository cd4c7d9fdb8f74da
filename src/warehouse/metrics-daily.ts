import type { MetricRow } from '../connectors/runtime/metrics-mapping.js';
import { quoteLiteral } from '../domain/sql-text.js';
import type { StreamTable } from './destination.js';

/**
 * The dataset's `metrics_daily` table (BLUEPRINT §3): one row per connection, provider, day and
 * `dimension_key`, with `dimensions` and `metrics` as JSON. It is written like any stream table
 * (`Destination.write`: upserts by that key, so re-syncing a day replaces it) and read by day
 * range for the data hub. No stream can take its name: `metrics` is no connector's id.
 */
export const metricsDailyTable: StreamTable = { name: 'metrics_daily', primaryKey: ['connection_id', 'provider', 'date', 'dimension_key'] };

export interface MetricsRange {
  /** First and last day, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  /** Only these providers (connector ids); every provider when left out. */
  providers?: readonly string[];
}

/** The query both backends run (the table's key columns are text, and days sort as text). */
export function metricsRangeSql(table: string): string {
  return `SELECT connection_id, provider, date, dimension_key, dimensions, metrics FROM ${table} WHERE date >= $1 AND date <= $2`;
}

/** The first and last day of the providers' rows (every provider's when left out). */
export function metricsSpanSql(table: string, providers?: readonly string[]): string {
  return `SELECT min(date) AS first, max(date) AS last FROM ${table} WHERE true${providerFilterSql(providers ? { providers } : {})}`;
}

/** `AND provider IN (…)` for a range's providers; the ids are quoted, never trusted. */
export function providerFilterSql(range: Pick<MetricsRange, 'providers'>): string {
  return range.providers ? ` AND provider IN (${range.providers.length > 0 ? range.providers.map(quoteLiteral).join(', ') : 'NULL'})` : '';
}

/** A row as either backend reads it back: JSON columns as text (DuckDB) or parsed (PostgreSQL). */
export function metricRowOf(row: Record<string, unknown>): MetricRow {
  const json = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value) ?? {};
  return {
    connection_id: String(row.connection_id),
    provider: String(row.provider),
    date: String(row.date),
    dimension_key: String(row.dimension_key),
    dimensions: json(row.dimensions) as Record<string, string>,
    metrics: json(row.metrics) as Record<string, number>,
  };
}
