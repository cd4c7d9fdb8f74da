import type { ColumnType, SchemaChange, StreamTable } from './destination.js';

/**
 * What both backends share about a table's shape: how a record's field becomes a column name,
 * which type a value asks for, and how a column widens when values stop fitting. Widening only
 * moves up the lattice (integer → number → string, timestamp → string, anything → json), so a
 * table loaded batch by batch ends with the same types as one loaded all at once, and a value is
 * never squeezed into a column it does not fit.
 */

/** Our own columns; a record field that would take one of these names stays in `_raw` only. */
export const ownColumns = ['_raw', '_synced_at', '_run_id'] as const;

/** `createdAt` → `created_at`, `First Name` → `first_name`, `2fa` → `_2fa`; at most 63 characters. */
export function columnName(key: string): string {
  const snake = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_');
  const named = /^_*$/.test(snake) ? '_field' : snake;
  return (/^[0-9]/.test(named) ? `_${named}` : named).slice(0, 63);
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;

/** The type a value asks for; undefined for null and undefined, which fit any column. */
export function inferType(value: unknown): ColumnType | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string') return isoInstant.test(value) && !Number.isNaN(Date.parse(value)) ? 'timestamp' : 'string';
  return 'json';
}

/** The narrowest type both fit. Commutative and associative, so the order records come in does not matter. */
export function widen(a: ColumnType | undefined, b: ColumnType | undefined): ColumnType | undefined {
  if (a === undefined || a === b) return b;
  if (b === undefined) return a;
  if (a === 'json' || b === 'json') return 'json';
  if ((a === 'integer' && b === 'number') || (a === 'number' && b === 'integer')) return 'number';
  return 'string';
}

/** A column of a table and where its values sit in each record. */
export interface PlannedColumn {
  name: string;
  /** Keys from the record's top level down. */
  path: string[];
  type: ColumnType;
  key: boolean;
}

export interface ColumnPlan {
  /** The key columns, then every column this batch has a value or a field for, at its type after this batch. */
  columns: PlannedColumn[];
  changes: Array<SchemaChange & { path: string[] }>;
  warnings: string[];
  /** Records without a value for every key column; not written. */
  keyless: number;
}

/**
 * Which columns a batch needs against the table as it is (`existing`: column → type). Key columns
 * are always text: ids change type between sources and a key column is never widened.
 */
export function planColumns(table: StreamTable, records: readonly unknown[], existing: ReadonlyMap<string, ColumnType>): ColumnPlan {
  const keyPaths = table.primaryKey.map((p) => p.split('.'));
  const keyColumns = table.primaryKey.map((p, i): PlannedColumn => ({ name: columnName(p), path: keyPaths[i]!, type: 'string', key: true }));
  const claimed = new Map<string, { path: string[]; type: ColumnType | undefined }>(keyColumns.map((c) => [c.name, { path: c.path, type: 'string' }]));
  const warnings = new Set<string>();
  let keyless = 0;

  // Names are worked out once per field per batch, and a column already at string or json needs no
  // more looking at its string values: this loop runs for every field of every record.
  const names = new Map<string, string>();
  const observe = (fields: Record<string, unknown>, prefix: string[]) => {
    for (const key in fields) {
      if (!Object.hasOwn(fields, key)) continue;
      let name = names.get(key);
      if (name === undefined) names.set(key, (name = columnName(key)));
      const seen = claimed.get(name);
      const value = fields[key];
      if (seen && seen.path.length === prefix.length + 1 && seen.path[prefix.length] === key) {
        if (seen.type === 'json' || value === null || value === undefined || (seen.type === 'string' && typeof value !== 'object')) continue;
        seen.type = widen(seen.type, inferType(value));
        continue;
      }
      const path = [...prefix, key];
      if ((ownColumns as readonly string[]).includes(name)) {
        warnings.add(`Field "${path.join('.')}" is kept in _raw only: its column name ${name} is one of Tributary's own.`);
      } else if (seen) {
        if (!(prefix.length > 0 && seen.path.length === 1)) warnings.add(`Field "${path.join('.')}" is kept in _raw only: column ${name} already holds "${seen.path.join('.')}".`);
      } else {
        claimed.set(name, { path, type: inferType(value) });
      }
    }
  };

  for (const record of records) {
    if (!isObject(record)) continue;
    if (keyPaths.some((path) => valueAt(record, path) === undefined || valueAt(record, path) === null)) keyless += 1;
    observe(record, []);
  }
  // Nested columns after every top-level one, so a top-level field wins a name in any batch order.
  if (table.columnsAt !== undefined) {
    const at = table.columnsAt.split('.');
    for (const record of records) {
      const nested = isObject(record) ? valueAt(record, at) : undefined;
      if (isObject(nested)) observe(nested, at);
    }
  }
  if (records.some((r) => !isObject(r))) warnings.add('Records that are not JSON objects were kept in _raw only.');
  if (keyless > 0) warnings.add(`${keyless} record(s) without a value for the key (${table.primaryKey.join(', ')}) were not written.`);

  const columns: PlannedColumn[] = [];
  const changes: ColumnPlan['changes'] = [];
  for (const [name, { path, type }] of claimed) {
    const key = keyColumns.some((c) => c.name === name);
    const before = existing.get(name);
    // A field seen only as null says nothing of its type yet: its column comes with its first value
    // (filled then for earlier rows from _raw), so the type never depends on where batches split.
    const wanted = key ? 'string' : widen(before, type);
    if (wanted === undefined) continue;
    if (before === undefined) changes.push({ column: name, to: wanted, path });
    else if (before !== wanted) changes.push({ column: name, from: before, to: wanted, path });
    columns.push({ name, path, type: wanted, key });
  }
  return { columns, changes, warnings: [...warnings], keyless };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(record: Record<string, unknown>, path: string[]): unknown {
  let current: unknown = record;
  for (const key of path) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}
