import { z } from 'zod';
import { dottedPathSchema, pathReader } from './select.js';

/**
 * How a stream's records become rows of the workspace's `metrics_daily` table (BLUEPRINT C7), as
 * data in the connector definition. Each record is one row: its day, its dimensions (property,
 * campaign…) and its metrics. A row is keyed by connection, provider (the connector id), day and
 * `dimension_key`, so re-syncing a day replaces its rows.
 *
 * Only additive quantities are stored as `values` (sessions, clicks, spend); a rate is declared as
 * the ratio of two of them (`ctr: { of: 'clicks', per: 'impressions' }`) and always computed from
 * sums, for a day as for a month, never averaged across days. A vendor that reports only a rate
 * gives its additive form as a product (`bounces: { product: ['bounceRate', 'sessions'] }`).
 *
 * A stream of single events (Shopify orders) names the record's own key as `identity`: every
 * record is then a row of its own (`orders: { constant: 1 }`), and a day's total is their sum.
 */
const metricName = z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'must be a camelCase name such as "sessions" or "bounceRate"');

export const metricValueSchema = z.union([
  dottedPathSchema,
  z.strictObject({ product: z.tuple([dottedPathSchema, dottedPathSchema]) }),
  z.strictObject({ sum: z.array(dottedPathSchema).min(1) }),
  z.strictObject({ constant: z.number() }),
]);

export const metricUnits = ['count', 'currency', 'seconds', 'ratio'] as const;
export type MetricUnit = (typeof metricUnits)[number];

export const metricsMappingSchema = z.strictObject({
  /** The stream whose records are mapped. */
  stream: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must name a stream'),
  /** Where the record's day is: `YYYY-MM-DD`, `YYYYMMDD`, an ISO timestamp or epoch milliseconds (its UTC day). */
  date: dottedPathSchema,
  /** What a row is broken down by, shown to people: name → path (`property: 'property_id'`). */
  dimensions: z.record(metricName, dottedPathSchema).default({}),
  /** The record's own key, when each record is one event rather than one day's totals. */
  identity: dottedPathSchema.optional(),
  /** Additive quantities: name → a path, the product of two paths, the sum of several, or a constant. */
  values: z.record(metricName, metricValueSchema),
  /** Ratios of two values, computed from sums over any period. */
  rates: z.record(metricName, z.strictObject({ of: metricName, per: metricName })).default({}),
  /** Units other than `count` (rates are `ratio` unless said otherwise). */
  units: z.record(metricName, z.enum(metricUnits)).default({}),
  /** The metrics an overview shows first, in order; every value and rate when left out. */
  headline: z.array(metricName).optional(),
  /** Which way is good news where it is not `higher` (a bounce rate: `lower`; spend: `neither`); insights read it. */
  better: z.record(metricName, z.enum(['higher', 'lower', 'neither'])).default({}),
});

export type MetricsMapping = z.output<typeof metricsMappingSchema>;
export type MetricValue = z.output<typeof metricValueSchema>;

/** One row of `metrics_daily`, as the warehouse stores it. */
export interface MetricRow {
  connection_id: string;
  provider: string;
  /** `YYYY-MM-DD`. */
  date: string;
  /** The dimensions (and identity) as `name=value` pairs joined by `|`, in the mapping's order; empty for none. */
  dimension_key: string;
  dimensions: Record<string, string>;
  /** Every value, and each rate for that day alone. */
  metrics: Record<string, number>;
}

/** Problems a mapping can have that its schema cannot see: a rate naming no value, a headline naming nothing. */
export function mappingIssues(mapping: MetricsMapping): string[] {
  const issues: string[] = [];
  const values = Object.keys(mapping.values);
  for (const [name, rate] of Object.entries(mapping.rates)) {
    if (values.includes(name)) issues.push(`rates.${name}: is also a value`);
    for (const side of ['of', 'per'] as const) if (!values.includes(rate[side])) issues.push(`rates.${name}.${side}: "${rate[side]}" is not one of the values`);
  }
  for (const name of mapping.headline ?? []) if (!values.includes(name) && !(name in mapping.rates)) issues.push(`headline: "${name}" is neither a value nor a rate`);
  for (const field of ['units', 'better'] as const) {
    for (const name of Object.keys(mapping[field])) if (!values.includes(name) && !(name in mapping.rates)) issues.push(`${field}.${name}: names neither a value nor a rate`);
  }
  return issues;
}

/** The metrics a mapping shows, in order: its headline, or every value then every rate. */
export function headlineOf(mapping: Pick<MetricsMapping, 'headline' | 'values' | 'rates'>): string[] {
  return mapping.headline ?? [...Object.keys(mapping.values), ...Object.keys(mapping.rates)];
}

export function unitOf(mapping: Pick<MetricsMapping, 'units' | 'rates'>, metric: string): MetricUnit {
  return mapping.units[metric] ?? (metric in mapping.rates ? 'ratio' : 'count');
}

/** A rate from sums: 0 over nothing, as the vendors report it. */
export function rate(of: number, per: number): number {
  return per === 0 ? 0 : of / per;
}

/**
 * The `metrics_daily` rows of a batch of records. A record without a readable day is left out (a
 * vendor's total row, say); a value that is not a number counts as 0. Two records of one key in
 * a batch: the later wins, as in any stream table.
 */
export function metricRowsOf(mapping: MetricsMapping, records: readonly unknown[], source: { connectionId: string; provider: string }): MetricRow[] {
  const dayOf = pathReader(mapping.date);
  const dimensions = Object.entries(mapping.dimensions).map(([name, path]) => [name, pathReader(path)] as const);
  const identity = mapping.identity === undefined ? undefined : pathReader(mapping.identity);
  const values = Object.entries(mapping.values).map(([name, value]) => [name, valueReader(value)] as const);
  const rates = Object.entries(mapping.rates);
  const rows = new Map<string, MetricRow>();
  for (const record of records) {
    const date = dayText(dayOf(record));
    if (date === undefined) continue;
    const dims: Record<string, string> = {};
    const key: string[] = [];
    for (const [name, read] of dimensions) {
      const value = read(record);
      dims[name] = value === undefined || value === null ? '' : String(value);
      key.push(`${name}=${dims[name]}`);
    }
    if (identity) key.push(`#=${String(identity(record) ?? '')}`);
    const metrics: Record<string, number> = {};
    for (const [name, read] of values) metrics[name] = read(record);
    for (const [name, { of, per }] of rates) metrics[name] = rate(metrics[of]!, metrics[per]!);
    const row: MetricRow = { connection_id: source.connectionId, provider: source.provider, date, dimension_key: key.join('|'), dimensions: dims, metrics };
    rows.set(`${date}\u0000${row.dimension_key}`, row);
  }
  return [...rows.values()];
}

function valueReader(value: MetricValue): (record: unknown) => number {
  if (typeof value === 'string') {
    const read = pathReader(value);
    return (record) => numberOf(read(record));
  }
  if ('constant' in value) return () => value.constant;
  if ('product' in value) {
    const [a, b] = value.product.map(pathReader) as [(r: unknown) => unknown, (r: unknown) => unknown];
    return (record) => numberOf(a(record)) * numberOf(b(record));
  }
  const parts = value.sum.map(pathReader);
  return (record) => parts.reduce((total, read) => total + numberOf(read(record)), 0);
}

/** Vendors send numbers as numbers or as text ("12.50", Graph's every number); anything else is 0. */
export function numberOf(value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : 0;
}

/** `YYYY-MM-DD` from a day or an instant (its UTC day; a number is milliseconds since 1970); undefined when it is neither. */
export function dayText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 && value < 8.64e15 ? new Date(value).toISOString().slice(0, 10) : undefined;
  if (typeof value !== 'string') return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  if (/^\d{8}$/.test(value)) return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  const time = Date.parse(value);
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && Number.isFinite(time) ? new Date(time).toISOString().slice(0, 10) : undefined;
}
