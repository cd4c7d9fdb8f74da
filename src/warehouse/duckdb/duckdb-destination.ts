import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier as q, quoteLiteral } from '../../domain/sql-text.js';
import { datasetName, type ColumnType, type Destination, type RowsPage, type RowsQuery, type StreamTable, type TableColumn, type TableSummary, type WriteBatch, type WriteResult } from '../destination.js';
import { rowsOrder } from '../rows-order.js';
import { ownColumns, planColumns, type PlannedColumn } from '../schema-evolution.js';
import { toJsonValue } from './duckdb-values.js';

/**
 * A workspace's dataset as one DuckDB file (`<dir>/tenant_<hash>.duckdb`). A batch arrives as one
 * JSON string parameter; `json_each` splits it, one `json_extract_string` per record pulls every
 * column's text at once, and `INSERT OR REPLACE` upserts by the key, the last of a key within the
 * batch winning. Typed columns are always derived from `_raw` by the expressions below, whether a
 * batch is inserted or a column widened, so the order batches come in never changes a value.
 */
const sqlTypes: Record<ColumnType, string> = { boolean: 'BOOLEAN', integer: 'BIGINT', number: 'DOUBLE', timestamp: 'TIMESTAMPTZ', string: 'VARCHAR', json: 'JSON' };
const fromSql: Record<string, ColumnType> = { BOOLEAN: 'boolean', BIGINT: 'integer', DOUBLE: 'number', 'TIMESTAMP WITH TIME ZONE': 'timestamp', VARCHAR: 'string', JSON: 'json' };

/** `$."a"."b"`, each key quoted so dots, quotes and `$` in a field name stay part of it. */
function jsonPath(path: string[]): string {
  return `$${path.map((k) => `."${k.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join('')}`;
}

/** The column's value from its text (`text`) or, for json, from the record itself. */
function typed(type: ColumnType, text: string, raw: string, path: string[]): string {
  switch (type) {
    case 'string':
      return text;
    case 'json':
      return `json_extract(${raw}, ${quoteLiteral(jsonPath(path))})`;
    default:
      return `TRY_CAST(${text} AS ${sqlTypes[type]})`;
  }
}

/**
 * DuckDB's own buffer pool stays small: batches are a page of records and tables are read in
 * pages, so a large pool would only let resident memory grow with the data (the bar is 1M records
 * in under 300 MB for the whole hub). Larger work spills to the temp folder beside the file.
 */
const memoryLimit = '128MB';

export class DuckDbDestination implements Destination {
  readonly kind = 'duckdb' as const;
  readonly dataset: string;
  private readonly tables = new Map<string, Map<string, ColumnType>>();
  /** Writes one at a time: two streams' DDL must not race on one file. */
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    /** Writes, each in its own transaction. */
    private readonly connection: DuckDBConnection,
    /** Reads, outside any write's transaction. */
    private readonly reader: DuckDBConnection,
    workspaceId: string,
  ) {
    this.dataset = datasetName(workspaceId);
  }

  static async open(dir: string, workspaceId: string): Promise<DuckDbDestination> {
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, `${datasetName(workspaceId)}.duckdb`);
    const instance = await DuckDBInstance.create(file, { memory_limit: memoryLimit, threads: '2', temp_directory: `${file}.tmp` });
    const destination = new DuckDbDestination(instance, await instance.connect(), await instance.connect(), workspaceId);
    await destination.loadSchema();
    return destination;
  }

  private async loadSchema(): Promise<void> {
    const rows = await this.rows(`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`);
    for (const row of rows) {
      const columns = this.tables.get(String(row.table_name)) ?? new Map<string, ColumnType>();
      const type = fromSql[String(row.data_type)];
      if (type && !(ownColumns as readonly string[]).includes(String(row.column_name))) columns.set(String(row.column_name), type);
      this.tables.set(String(row.table_name), columns);
    }
  }

  write(table: StreamTable, batch: WriteBatch): Promise<WriteResult> {
    const next = this.writing.then(() => this.writeNow(table, batch));
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async writeNow(table: StreamTable, batch: WriteBatch): Promise<WriteResult> {
    const existing = this.tables.get(table.name);
    const plan = planColumns(table, batch.records, existing ?? new Map());
    const t = q(table.name);
    // Shape first, each statement committed on its own (all idempotent): DuckDB refuses to commit
    // a transaction that both altered a table and wrote to it.
    if (!existing) {
      const keys = plan.columns.filter((c) => c.key);
      const columns = [...keys.map((c) => `${q(c.name)} VARCHAR NOT NULL`), '_raw JSON', '_synced_at TIMESTAMPTZ', '_run_id VARCHAR'];
      if (keys.length > 0) columns.push(`PRIMARY KEY (${keys.map((c) => q(c.name)).join(', ')})`);
      await this.connection.run(`CREATE TABLE IF NOT EXISTS ${t} (${columns.join(', ')})`);
    }
    const columns = this.tables.get(table.name) ?? new Map<string, ColumnType>();
    this.tables.set(table.name, columns);
    for (const change of plan.changes) {
      if (plan.columns.find((c) => c.name === change.column)?.key) continue;
      const column = q(change.column);
      const expression = typed(change.to, `json_extract_string(_raw, ${quoteLiteral(jsonPath(change.path))})`, '_raw', change.path);
      if (change.from === undefined) {
        await this.connection.run(`ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${column} ${sqlTypes[change.to]}`);
        // Rows written before the field had a value may hold it in _raw (null until now).
        if (existing && existing.size > 0) await this.connection.run(`UPDATE ${t} SET ${column} = ${expression}`);
      } else {
        await this.connection.run(`ALTER TABLE ${t} ALTER ${column} SET DATA TYPE ${sqlTypes[change.to]} USING ${expression}`);
      }
      columns.set(change.column, change.to);
    }
    // One statement: the batch is in, or none of it is.
    const written = batch.records.length === 0 ? 0 : await this.upsert(table, plan.columns, [...(existing?.keys() ?? [])], batch);
    return { written, schemaChanges: existing ? plan.changes.map(({ column, from, to }) => (from ? { column, from, to } : { column, to })) : [], warnings: plan.warnings };
  }

  private async upsert(table: StreamTable, columns: PlannedColumn[], tableColumns: string[], batch: WriteBatch): Promise<number> {
    const paths = columns.map((c) => quoteLiteral(jsonPath(c.path)));
    // Columns the table has but this batch's records lack: the new version of the row has none.
    const absent = tableColumns.filter((name) => !columns.some((c) => c.name === name));
    const values = [...columns.map((c, i) => typed(c.type, `_v[${i + 1}]`, '_raw', c.path)), ...absent.map(() => 'NULL')];
    const keys = columns.map((c, i) => (c.key ? `_v[${i + 1}]` : undefined)).filter((k): k is string => k !== undefined);
    const dedupe = keys.length > 0 ? `WHERE ${keys.map((k) => `${k} IS NOT NULL`).join(' AND ')} QUALIFY row_number() OVER (PARTITION BY ${keys.join(', ')} ORDER BY _ord DESC) = 1` : '';
    const sql = `INSERT ${keys.length > 0 ? 'OR REPLACE ' : ''}INTO ${q(table.name)} (${[...columns.map((c) => q(c.name)), ...absent.map(q), '_raw', '_synced_at', '_run_id'].join(', ')})
      SELECT ${[...values, '_raw', '$2::TIMESTAMPTZ', '$3'].join(', ')}
        FROM (SELECT key::INTEGER AS _ord, value AS _raw, json_extract_string(value, [${paths.join(', ')}]) AS _v FROM json_each($1))
       ${dedupe}`;
    const result = await this.connection.run(sql, [JSON.stringify(batch.records), batch.syncedAt.toISOString(), batch.runId]);
    return Number(result.rowsChanged);
  }

  async listTables(): Promise<TableSummary[]> {
    const names = (await this.rows(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name`)).map((r) => String(r.table_name));
    return Promise.all(names.map(async (name) => (await this.describeTable(name))!));
  }

  async describeTable(name: string): Promise<TableSummary | undefined> {
    const columns = await this.columnsOf(name);
    if (!columns) return undefined;
    const [count] = await this.rows(`SELECT count(*) AS n FROM ${q(name)}`);
    return { name, rowCount: Number(count!.n), columns };
  }

  async readRows(name: string, query: RowsQuery): Promise<RowsPage | undefined> {
    const columns = await this.columnsOf(name);
    if (!columns) return undefined;
    const order = rowsOrder(columns, query);
    const rows = await this.rows(`SELECT * FROM ${q(name)} ORDER BY ${order} LIMIT ${Math.trunc(query.limit)} OFFSET ${Math.trunc(query.offset)}`);
    const [count] = await this.rows(`SELECT count(*) AS n FROM ${q(name)}`);
    const types = new Map(columns.map((c) => [c.name, c.type]));
    return { columns, total: Number(count!.n), rows: rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toJsonValue(v, types.get(k))]))) };
  }

  /** The table's columns, our own included; undefined when the dataset has no such table. */
  private async columnsOf(name: string): Promise<TableColumn[] | undefined> {
    const rows = await this.rows(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1 ORDER BY ordinal_position`, [name]);
    if (rows.length === 0) return undefined;
    const keys = await this.rows(`SELECT unnest(constraint_column_names) AS name FROM duckdb_constraints() WHERE table_name = $1 AND constraint_type = 'PRIMARY KEY'`, [name]);
    const keyNames = new Set(keys.map((k) => String(k.name)));
    return rows.map((r) => ({ name: String(r.column_name), type: fromSql[String(r.data_type)] ?? 'string', key: keyNames.has(String(r.column_name)) }));
  }

  private async rows(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]> {
    const reader = await this.reader.runAndReadAll(sql, params as never);
    return reader.getRowObjects() as Record<string, unknown>[];
  }

  async close(): Promise<void> {
    await this.writing;
    this.connection.closeSync();
    this.reader.closeSync();
    this.instance.closeSync();
  }
}
