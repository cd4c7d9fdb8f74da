import { DuckDBTimestampTZValue } from '@duckdb/node-api';
import type { ColumnType } from '../destination.js';

/** A DuckDB value as JSON can carry it: safe integers as numbers, bigger ones as text, instants as ISO 8601, json parsed. */
export function toJsonValue(value: unknown, type: ColumnType | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof DuckDBTimestampTZValue) return new Date(Number(value.micros / 1000n)).toISOString();
  if (type === 'json' && typeof value === 'string') return JSON.parse(value) as unknown;
  return value;
}
