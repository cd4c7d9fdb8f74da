import pg from 'pg';
import { storableKey } from '../batch-json.js';
import type { ColumnType } from '../destination.js';
import { pathText, type ExistingColumn } from '../schema-evolution.js';

/**
 * How a column lives in PostgreSQL: its SQL type, the one expression that derives it from `_raw`
 * (used alike when a batch is inserted and when a column is widened, so both give the same
 * value), and how its values read back as JSON. Casts are guarded by `jsonb_typeof`, since a
 * cast PostgreSQL refuses would fail the whole write rather than give NULL.
 */
const sqlTypes: Record<ColumnType, string> = { boolean: 'boolean', integer: 'bigint', number: 'double precision', timestamp: 'timestamptz', string: 'text', json: 'jsonb' };
const columnTypes = new Map<string, ColumnType>([
  ['boolean', 'boolean'],
  ['bigint', 'integer'],
  ['double precision', 'number'],
  ['timestamp with time zone', 'timestamp'],
  ['text', 'string'],
  ['jsonb', 'json'],
]);

export function sqlType(type: ColumnType): string {
  return sqlTypes[type];
}

/** A column's type from `format_type`; a type we never create reads as text. */
export function columnType(formatted: string): ColumnType {
  return columnTypes.get(formatted) ?? 'string';
}

/**
 * `(_raw -> 'properties' ->> 'email')`: each key one step, whatever its characters (E'' quoting
 * when it has a backslash). `->` with a text key only enters objects, as the planner does, so a
 * column never meets a value the planner did not type (`#>` would index into arrays).
 */
export function jsonbField(path: readonly string[], last: '->' | '->>'): string {
  return `(_raw${path.map((key, i) => ` ${i === path.length - 1 ? last : '->'} ${pg.escapeLiteral(storableKey(key))}::text`).join('')})`;
}

/** The column's value, derived from the record in `_raw`. A JSON null is SQL NULL for every type. */
export function columnExpression(column: Pick<ExistingColumn, 'type' | 'path'>): string {
  const value = jsonbField(column.path, '->');
  const text = jsonbField(column.path, '->>');
  const guarded = (jsonType: string, cast: string) => `CASE WHEN jsonb_typeof(${value}) = '${jsonType}' THEN ${cast} END`;
  switch (column.type) {
    case 'string':
      return text;
    case 'json':
      return `NULLIF(${value}, 'null'::jsonb)`;
    case 'integer':
      // '1.0'::jsonb::bigint fails; through numeric it does not (and an integer column only ever sees safe integers).
      return guarded('number', `${value}::numeric::bigint`);
    case 'number':
      return guarded('number', `${value}::double precision`);
    case 'boolean':
      return guarded('boolean', `${value}::boolean`);
    case 'timestamp':
      return guarded('string', `${text}::timestamptz`);
  }
}

/** The column's comment: the field it holds (`pathText`). */
export function pathComment(path: readonly string[]): string {
  return pg.escapeLiteral(pathText(path));
}

/** pg gives bigint as text and timestamps as Date (jsonb comes parsed): safe integers as numbers, instants as ISO 8601. */
export function jsonValue(value: unknown, type: ColumnType | undefined): unknown {
  if (value instanceof Date) return value.toISOString();
  if (type === 'integer' && typeof value === 'string' && Number.isSafeInteger(Number(value))) return Number(value);
  return value;
}
