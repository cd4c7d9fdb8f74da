import { DuckDBTimestampTZValue } from '@duckdb/node-api';
import { quoteLiteral } from '../../domain/sql-text.js';
import { storableKey } from '../batch-json.js';
import type { ColumnType } from '../destination.js';
import { pathText, type ExistingColumn } from '../schema-evolution.js';

/**
 * How a column lives in DuckDB: its SQL type, how it is derived from `_raw` (the same extraction
 * and conversion whether a batch is inserted or a column is widened, so both give the same
 * value), and how its values read back as JSON. TIMESTAMPTZ needs ICU, which this build of
 * DuckDB carries (`duckdb_extensions()` shows it loaded).
 */
const sqlTypes: Record<ColumnType, string> = { boolean: 'BOOLEAN', integer: 'BIGINT', number: 'DOUBLE', timestamp: 'TIMESTAMPTZ', string: 'VARCHAR', json: 'JSON' };
const columnTypes = new Map<string, ColumnType>([
  ['BOOLEAN', 'boolean'],
  ['BIGINT', 'integer'],
  ['DOUBLE', 'number'],
  ['TIMESTAMP WITH TIME ZONE', 'timestamp'],
  ['VARCHAR', 'string'],
  ['JSON', 'json'],
]);

export function sqlType(type: ColumnType): string {
  return sqlTypes[type];
}

/** A column's type from DuckDB's `data_type`; a type we never create reads as text. */
export function columnType(dataType: string): ColumnType {
  return columnTypes.get(dataType) ?? 'string';
}

/** An RFC 6901 JSON pointer (`/properties/first~1name`): any key, even empty or full of dots and quotes, is one step. */
export function jsonPointer(path: readonly string[]): string {
  return path.map((key) => `/${storableKey(key).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

type Column = Pick<ExistingColumn, 'type' | 'path'>;

/**
 * The columns of one row, read from `_raw` by at most two extractions: `json_extract_string` of
 * every text-typed column's pointer at once, and `json_extract` of every json column's. One parse
 * of the record each, where an expression per column would parse it once per column and hold a
 * buffer per column besides (duckdb/duckdb#8734), which a table of a few dozen columns turns into
 * an out-of-memory error. `lists` go in a subquery over `_raw`; `values` read from them.
 */
export function rowValues(columns: readonly Column[]): { lists: string[]; values: string[] } {
  const pointers: Record<'text' | 'json', string[]> = { text: [], json: [] };
  const values = columns.map((column) => {
    const list = column.type === 'json' ? 'json' : 'text';
    pointers[list].push(quoteLiteral(jsonPointer(column.path)));
    return typed(column.type, `"#${list}"[${pointers[list].length}]`);
  });
  const lists = (['text', 'json'] as const).filter((list) => pointers[list].length > 0).map((list) => `${extractors[list]}(_raw, [${pointers[list].join(', ')}]) AS "#${list}"`);
  return { lists, values };
}

/** One column's value straight from `_raw`, as `rowValues` derives it: what a widened column is rewritten with. */
export function columnExpression(column: Column): string {
  return typed(column.type, `${extractors[column.type === 'json' ? 'json' : 'text']}(_raw, [${quoteLiteral(jsonPointer(column.path))}])[1]`);
}

const extractors = { text: 'json_extract_string', json: 'json_extract' } as const;

/** A column's value from its extracted text, or JSON for a json column. A JSON null is SQL NULL for every type. */
function typed(type: ColumnType, extracted: string): string {
  switch (type) {
    case 'string':
      return extracted;
    case 'json':
      return `NULLIF(${extracted}, 'null')`;
    default:
      return `TRY_CAST(${extracted} AS ${sqlTypes[type]})`;
  }
}

/** The column's comment: the field it holds (`pathText`). */
export function pathComment(path: readonly string[]): string {
  return quoteLiteral(pathText(path));
}

/** A DuckDB value as JSON can carry it: safe integers as numbers, bigger ones as text, instants as ISO 8601, json parsed. */
export function jsonValue(value: unknown, type: ColumnType | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof DuckDBTimestampTZValue) {
    const micros = value.micros;
    const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
    return new Date(Number(millis)).toISOString();
  }
  if (type === 'json' && typeof value === 'string') return JSON.parse(value) as unknown;
  return value;
}
