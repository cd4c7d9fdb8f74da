import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBValue } from '@duckdb/node-api';
import { quoteIdentifier as q, quoteLiteral } from '../../domain/sql-text.js';
import type { MetricRow } from '../../connectors/runtime/metrics-mapping.js';
import { datasetName, type Destination, type RowsPage, type RowsQuery, type StreamTable, type TableColumn, type TableSummary, type WriteBatch, type WriteResult } from '../destination.js';
import { metricRowOf, metricsDailyTable, metricsRangeSql, metricsSpanSql, providerFilterSql, type MetricsRange } from '../metrics-daily.js';
import { rowsOrder } from '../rows-order.js';
import { stagedOf } from '../staged-records.js';
import { ownColumns, pathFromText, planColumns, type ColumnPlan, type ExistingColumn } from '../schema-evolution.js';
import { columnExpression, columnType, jsonPointer, jsonValue, pathComment, rowValues, sqlType } from './duckdb-columns.js';

/**
 * Every workspace's dataset is a DuckDB file of its own (`<dir>/tenant_<hash>.duckdb`), attached
 * on first use to one DuckDB instance per process (`DuckDbHost`), so a hub serving a hundred
 * workspaces holds one buffer pool under one memory limit, not a hundred. A destination's
 * connections `USE` its file, so every name it writes resolves there and nowhere else.
 *
 * A write is one INSERT of the whole batch, passed as one text of JSON lines and split by
 * `string_split` (each line is a record's `_raw` as it is), each typed column derived from
 * `_raw` (`rowValues`): an append where the keys are new (`mayAppend`), else an upsert; when it
 * adds or widens columns, or is too large for one statement, it is one transaction of several.
 * Writes go one at a time (two streams must not race on one table's shape); reads have their own
 * connection, one query at a time too, as a DuckDB connection is not meant to run two statements
 * at once.
 */

/**
 * DuckDB's memory, for the whole process. The bar is 1M records synced by a hub of under 300 MB,
 * so the pool stays small: tables are read a page at a time and data beyond the pool is evicted
 * to its file (or spilled to `<dir>/.tmp`), so more would only let resident memory grow with the
 * data. What a write needs grows with the table's width (DuckDB buffers each column's data
 * apart), so the limit is 64 MB and 1 MB more a column of the widest table written (`memoryFor`):
 * HubSpot's contacts get about 85 MB, and a 2,500-record write of 120 columns, which fails at
 * 52 MB, gets 184 MB (destination.test.ts). A flat 128 MB cost a 1M-record sync 50 MB of resident
 * memory for no speed (bench:sync); at 48 MB, Meta's daily insights (JSON columns) ran out.
 */
const baseMemoryMB = 64;
const memoryFor = (columns: number) => baseMemoryMB + columns;
/**
 * Statements run on a libuv thread, off the event loop, whatever this is; it sets how many more
 * DuckDB adds to one statement. An upsert gains little from a second thread and costs a fifth more
 * CPU for it (bench:sync, 2 cores), CPU the read of the next pages needs. Each thread also holds
 * its own working memory.
 */
const threads = '1';
/**
 * How much write-ahead log gathers before DuckDB folds it into the file. Until then a table's
 * primary-key index stays in memory whole and grows with the table (at 1M records it outgrew a
 * 48 MB pool), so it must be written out as the table grows; but a checkpoint writes every
 * index out whole, so at the default (16 MB) a growing table pays for its index again every few
 * batches and a long sync slows down as it goes. 128 MB is a checkpoint every ~180,000 HubSpot
 * contacts (bench:sync --records 1000000).
 */
const checkpointThreshold = '128MB';
/** The most JSON one statement takes (it holds the text and its lines at once): about 4 MB; a larger write is split. */
const maxStatementJson = 4_000_000;

/** How `DuckDbHost` opens DuckDB, for tables up to `columns` wide (bench:sync's bare loader opens it the same way). */
export function duckDbSettings(dir: string, columns = 0): Record<string, string> {
  return { memory_limit: `${memoryFor(columns)}MB`, threads, temp_directory: path.join(dir, '.tmp'), checkpoint_threshold: checkpointThreshold };
}

/** The process's one DuckDB instance, to which each workspace's file is attached. */
export class DuckDbHost {
  private memoryMB = baseMemoryMB;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly dir: string,
  ) {}

  static async open(dir: string): Promise<DuckDbHost> {
    await fs.mkdir(dir, { recursive: true });
    const instance = await DuckDBInstance.create(':memory:', duckDbSettings(dir));
    return new DuckDbHost(instance, dir);
  }

  /** The workspace's destination: its file attached (created if new), with a writer and a reader that use it. */
  async attach(workspaceId: string): Promise<DuckDbDestination> {
    const dataset = datasetName(workspaceId);
    const connections: DuckDBConnection[] = [];
    try {
      for (let i = 0; i < 2; i++) connections.push(await this.instance.connect());
      await connections[0]!.run(`ATTACH IF NOT EXISTS ${quoteLiteral(path.join(this.dir, `${dataset}.duckdb`))} AS ${q(dataset)}`);
      for (const connection of connections) await connection.run(`USE ${q(dataset)}`);
      return new DuckDbDestination(this, connections[0]!, connections[1]!, dataset);
    } catch (error) {
      for (const connection of connections) connection.closeSync();
      throw error;
    }
  }

  /** Raises the shared memory limit for a write this wide (never lowers it: another write may need it). */
  async reserveFor(columns: number, connection: DuckDBConnection): Promise<void> {
    if (memoryFor(columns) <= this.memoryMB) return;
    this.memoryMB = memoryFor(columns);
    await connection.run(`SET memory_limit = '${this.memoryMB}MB'`);
  }

  /** Folds every attached file's log into it and lets go of them. */
  close(): void {
    this.instance.closeSync();
  }
}

type Shape = Map<string, ExistingColumn>;

export class DuckDbDestination implements Destination {
  readonly kind = 'duckdb' as const;
  /** Each table's columns as the file has them, read once; this process is the file's only writer. */
  private readonly shapes = new Map<string, Shape>();
  /** Each table's INSERTs (`append:<table>`, `upsert:<table>`), prepared for its current shape. */
  private readonly statements = new Map<string, { sql: string; statement: DuckDBPreparedStatement }>();
  /** Tables whose append met a key they hold, by the run that met it: that run upserts from then on. */
  private readonly upserting = new Map<string, string>();
  private writing: Promise<unknown> = Promise.resolve();
  private reading: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly host: DuckDbHost,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
    readonly dataset: string,
  ) {}

  write(table: StreamTable, batch: WriteBatch): Promise<WriteResult> {
    return this.serially('writing', () => this.writeNow(table, batch));
  }

  private async writeNow(table: StreamTable, batch: WriteBatch): Promise<WriteResult> {
    const shape = this.shapes.get(table.name) ?? (await this.shapeOf(this.writer, table.name));
    const staged = stagedOf(table, batch);
    const plan = planColumns(table, staged.profile, shape ?? new Map());
    const statements = [...(shape ? [] : this.createTable(table, plan)), ...this.evolve(table, plan)];
    const parts = staged.writable > 0 ? staged.lines(maxStatementJson) : [];
    await this.host.reserveFor(plan.columns.length, this.writer);
    // A lone INSERT is atomic by itself; a transaction when the shape changes with it or it is split.
    const transaction = statements.length > 0 || parts.length > 1;
    try {
      if (transaction) await this.writer.run(['BEGIN TRANSACTION', ...statements].join(';\n'));
      let written = 0;
      if (!transaction && parts.length === 1 && this.mayAppend(table, plan, batch)) written = await this.append(table, plan, parts[0]!, batch);
      else for (const lines of parts) written += await this.insert('upsert', table, plan, lines, batch);
      if (transaction) await this.writer.run('COMMIT');
      this.shapes.set(table.name, new Map(plan.columns.map((c) => [c.name, { type: c.type, path: c.path }])));
      // A table this batch created has no changes to report: it is new as a whole.
      const schemaChanges = shape ? plan.changes.map(({ column, from, to }) => (from ? { column, from, to } : { column, to })) : [];
      return { written, schemaChanges, warnings: plan.warnings };
    } catch (error) {
      this.forget(table.name);
      if (transaction) await this.writer.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /**
   * Whether to try appending a keyed batch before upserting it. Replacing rows (`INSERT OR
   * REPLACE`) costs DuckDB twice what appending them does, and most records of a large sync are
   * new: so a batch whose records all have distinct keys is appended, and a key the table already
   * holds makes the append fail as a whole (nothing written) and the batch upsert instead. A run
   * that met one such key upserts from then on, as a re-read of known records would meet them all.
   */
  private mayAppend(table: StreamTable, plan: ColumnPlan, batch: WriteBatch): boolean {
    return table.primaryKey.length > 0 && plan.skipped === 0 && !plan.repeatedKeys && this.upserting.get(table.name) !== batch.runId;
  }

  private async append(table: StreamTable, plan: ColumnPlan, lines: string, batch: WriteBatch): Promise<number> {
    try {
      return await this.insert('append', table, plan, lines, batch);
    } catch (error) {
      if (!(error instanceof Error && /Duplicate key/.test(error.message))) throw error;
      this.upserting.set(table.name, batch.runId);
      return this.insert('upsert', table, plan, lines, batch);
    }
  }

  private createTable(table: StreamTable, plan: ColumnPlan): string[] {
    const t = q(table.name);
    const keys = plan.columns.filter((c) => c.key);
    const definitions = [...keys.map((c) => `${q(c.name)} VARCHAR NOT NULL`), '_raw JSON', '_synced_at TIMESTAMPTZ', '_run_id VARCHAR'];
    if (keys.length > 0) definitions.push(`PRIMARY KEY (${keys.map((c) => q(c.name)).join(', ')})`);
    return [`CREATE TABLE IF NOT EXISTS ${t} (${definitions.join(', ')})`, ...keys.map((c) => `COMMENT ON COLUMN ${t}.${q(c.name)} IS ${pathComment(c.path)}`)];
  }

  /** Added columns start empty: no earlier row has a value for a field, or its first value would have added it then. */
  private evolve(table: StreamTable, plan: ColumnPlan): string[] {
    const t = q(table.name);
    const keys = new Set(plan.columns.filter((c) => c.key).map((c) => c.name));
    return plan.changes
      .filter((change) => !keys.has(change.column))
      .flatMap((change) => {
        const column = `${t}.${q(change.column)}`;
        const retype = change.from === undefined
          ? `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${q(change.column)} ${sqlType(change.to)}`
          : `ALTER TABLE ${t} ALTER ${q(change.column)} SET DATA TYPE ${sqlType(change.to)} USING ${columnExpression({ type: change.to, path: change.path })}`;
        return [retype, `COMMENT ON COLUMN ${column} IS ${pathComment(change.path)}`];
      });
  }

  /**
   * One statement for the batch (or one part of a large one, a later part replacing an earlier
   * part's row of the same key; `written` then counts such a key twice). To upsert, a keyed table
   * keeps the last record of each key (`QUALIFY`, by position) and skips records without one; an
   * append takes the records as they are. Each statement is prepared once per table and shape:
   * parsing and planning it is most of a small batch's cost on the main thread.
   */
  private async insert(mode: 'append' | 'upsert', table: StreamTable, plan: ColumnPlan, lines: string, batch: WriteBatch): Promise<number> {
    const present = plan.columns.filter((c) => c.present);
    const { lists, values } = rowValues(present);
    const valueOf = new Map(present.map((c, i) => [c.name, values[i]!]));
    const keys = plan.columns.filter((c) => c.key);
    const names = [...plan.columns.map((c) => q(c.name)), '_raw', '_synced_at', '_run_id'];
    const upsert = mode === 'upsert' && keys.length > 0;
    let records = 'SELECT unnest(string_split($1::VARCHAR, chr(10)))::JSON AS _raw';
    if (upsert) {
      const key = `json_extract_string(_raw, [${keys.map((c) => quoteLiteral(jsonPointer(c.path))).join(', ')}])`;
      records = `SELECT _raw FROM (SELECT _raw, "#ord", ${key} AS "#key" FROM (SELECT line::JSON AS _raw, "#ord" FROM unnest(string_split($1::VARCHAR, chr(10))) WITH ORDINALITY AS lines(line, "#ord")))
        WHERE ${keys.map((_, i) => `"#key"[${i + 1}] IS NOT NULL`).join(' AND ')}
        QUALIFY row_number() OVER (PARTITION BY "#key" ORDER BY "#ord" DESC) = 1`;
    }
    const sql = `INSERT ${upsert ? 'OR REPLACE ' : ''}INTO ${q(table.name)} (${names.join(', ')})
      SELECT ${[...plan.columns.map((c) => valueOf.get(c.name) ?? 'NULL'), '_raw', '$2::TIMESTAMPTZ', '$3::VARCHAR'].join(', ')}
        FROM (SELECT ${['_raw', ...lists].join(', ')} FROM (${records}))`;
    const slot = `${mode}:${table.name}`;
    let cached = this.statements.get(slot);
    if (cached?.sql !== sql) {
      cached?.statement.destroySync();
      cached = { sql, statement: await this.writer.prepare(sql) };
      this.statements.set(slot, cached);
    }
    const { statement } = cached;
    statement.bindVarchar(1, lines);
    statement.bindVarchar(2, batch.syncedAt.toISOString());
    statement.bindVarchar(3, batch.runId);
    try {
      return Number((await statement.run()).rowsChanged);
    } finally {
      // A kept statement must not keep the batch too.
      statement.clearBindings();
    }
  }

  /** Drops what this process remembers of a table, to be read again from the file. */
  private forget(table: string): void {
    this.shapes.delete(table);
    for (const mode of ['append', 'upsert']) {
      this.statements.get(`${mode}:${table}`)?.statement.destroySync();
      this.statements.delete(`${mode}:${table}`);
    }
  }

  async listTables(): Promise<TableSummary[]> {
    return this.serially('reading', async () => {
      const names = await this.rows(`SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name`);
      const tables: TableSummary[] = [];
      for (const { table_name } of names) tables.push((await this.summary(String(table_name)))!);
      return tables;
    });
  }

  describeTable(name: string): Promise<TableSummary | undefined> {
    return this.serially('reading', () => this.summary(name));
  }

  readRows(name: string, query: RowsQuery): Promise<RowsPage | undefined> {
    return this.serially('reading', async () => {
      const summary = await this.summary(name);
      if (!summary) return undefined;
      const order = rowsOrder(summary.columns, query);
      const rows = await this.rows(`SELECT * FROM ${q(name)} ORDER BY ${order} LIMIT $1 OFFSET $2`, [Math.max(0, Math.trunc(query.limit)), Math.max(0, Math.trunc(query.offset))]);
      const types = new Map(summary.columns.map((c) => [c.name, c.type]));
      return { columns: summary.columns, total: summary.rowCount, rows: rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsonValue(v, types.get(k))]))) };
    });
  }

  readMetrics(range: MetricsRange): Promise<MetricRow[]> {
    return this.serially('reading', async () => {
      if (!(await this.columnsOf(metricsDailyTable.name))) return [];
      const rows = await this.rows(metricsRangeSql(q(metricsDailyTable.name)) + providerFilterSql(range), [range.from, range.to]);
      return rows.map(metricRowOf);
    });
  }

  metricsSpan(providers?: readonly string[]): Promise<Pick<MetricsRange, 'from' | 'to'> | undefined> {
    return this.serially('reading', async () => {
      if (!(await this.columnsOf(metricsDailyTable.name))) return undefined;
      const [span] = await this.rows(metricsSpanSql(q(metricsDailyTable.name), providers));
      return span?.first ? { from: String(span.first), to: String(span.last) } : undefined;
    });
  }

  /** Undefined when the dataset has no such table: a name reaches SQL only once found here. */
  private async summary(name: string): Promise<TableSummary | undefined> {
    const shape = await this.columnsOf(name);
    if (!shape) return undefined;
    const [count] = await this.rows(`SELECT count(*) AS n FROM ${q(name)}`);
    return { name, rowCount: Number(count!.n), columns: shape };
  }

  private async columnsOf(name: string): Promise<TableColumn[] | undefined> {
    const rows = await this.rows(
      `SELECT c.column_name, c.data_type, list_contains(coalesce(k.names, []), c.column_name) AS key
         FROM duckdb_columns() c
         LEFT JOIN (SELECT table_oid, flatten(list(constraint_column_names)) AS names FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' GROUP BY table_oid) k USING (table_oid)
        WHERE c.database_name = current_database() AND c.schema_name = 'main' AND c.table_name = $1 ORDER BY c.column_index`,
      [name],
    );
    if (rows.length === 0) return undefined;
    return rows.map((r) => ({ name: String(r.column_name), type: columnType(String(r.data_type)), key: r.key === true }));
  }

  /** The table's columns and the field each holds (ours left out); undefined when there is no such table. */
  private async shapeOf(connection: DuckDBConnection, table: string): Promise<Shape | undefined> {
    const reader = await connection.runAndReadAll(
      `SELECT column_name, data_type, comment FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1 ORDER BY column_index`,
      [table],
    );
    const rows = reader.getRowObjects();
    if (rows.length === 0) return undefined;
    return new Map(rows.filter((r) => !ownColumns.has(String(r.column_name))).map((r) => [String(r.column_name), { type: columnType(String(r.data_type)), path: pathFromText(r.comment, String(r.column_name)) }]));
  }

  private async rows(sql: string, params?: DuckDBValue[]): Promise<Record<string, unknown>[]> {
    const reader = await this.reader.runAndReadAll(sql, params);
    return reader.getRowObjects();
  }

  /** Runs `work` after everything queued before it on the same lane, failed or not. */
  private serially<T>(lane: 'writing' | 'reading', work: () => Promise<T>): Promise<T> {
    const next = this[lane].then(work, work);
    this[lane] = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await Promise.all([this.writing, this.reading]);
    for (const { statement } of this.statements.values()) statement.destroySync();
    this.statements.clear();
    this.writer.closeSync();
    this.reader.closeSync();
  }
}
