import crypto from 'node:crypto';
import type pg from 'pg';
import { quoteIdentifier as q } from '../../domain/sql-text.js';
import type { MetricRow } from '../../connectors/runtime/metrics-mapping.js';
import { datasetName, type Destination, type RowsPage, type RowsQuery, type StreamTable, type TableColumn, type TableSummary, type WriteBatch, type WriteResult } from '../destination.js';
import { metricRowOf, metricsDailyTable, metricsRangeSql, metricsSpanSql, providerFilterSql, type MetricsRange } from '../metrics-daily.js';
import { rowsOrder } from '../rows-order.js';
import { stagedOf } from '../staged-records.js';
import { ownColumns, pathFromText, planColumns, type ColumnPlan, type ExistingColumn } from '../schema-evolution.js';
import { columnExpression, columnType, jsonValue, pathComment, sqlType } from './postgres-columns.js';

/**
 * A workspace's dataset as a schema (`tenant_<hash>`) on a PostgreSQL shared by every worker. A
 * write is one transaction holding the table's advisory lock, so two writers of one table (two
 * processes, or a batch retried while its first try still runs) take turns: each reads the shape
 * after the other committed, and adding a column never races. The batch is one text parameter of
 * JSON lines, split by `string_to_array … WITH ORDINALITY`; `DISTINCT ON` keeps the last record of each
 * key and `ON CONFLICT DO UPDATE` replaces the whole row, every typed column derived from `_raw`
 * by `columnExpression`.
 */
export class PostgresDestination implements Destination {
  readonly kind = 'postgres' as const;
  readonly dataset: string;

  private constructor(
    private readonly pool: pg.Pool,
    workspaceId: string,
  ) {
    this.dataset = datasetName(workspaceId);
  }

  static async open(pool: pg.Pool, workspaceId: string): Promise<PostgresDestination> {
    const destination = new PostgresDestination(pool, workspaceId);
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${q(destination.dataset)}`).catch((error: { code?: string }) => {
      // IF NOT EXISTS still meets a schema another process creates at the same moment.
      if (error.code !== '23505' && error.code !== '42P06') throw error;
    });
    return destination;
  }

  private qualified(table: string): string {
    return `${q(this.dataset)}.${q(table)}`;
  }

  async write(table: StreamTable, batch: WriteBatch): Promise<WriteResult> {
    const client = await this.pool.connect();
    let broken: unknown;
    try {
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${lockKey(`${this.dataset}.${table.name}`)})`);
      const shape = await this.shapeOf(client, table.name);
      const staged = stagedOf(table, batch);
      const plan = planColumns(table, staged.profile, shape ?? new Map());
      const statements = [...(shape ? [] : this.createTable(table, plan)), ...this.evolve(table, plan)];
      if (statements.length > 0) await client.query(statements.join(';\n'));
      const written = staged.writable > 0 ? await this.insert(client, table, plan, staged.lines()[0]!, batch) : 0;
      await client.query('COMMIT');
      // A table this batch created has no changes to report: it is new as a whole.
      const schemaChanges = shape ? plan.changes.map(({ column, from, to }) => (from ? { column, from, to } : { column, to })) : [];
      return { written, schemaChanges, warnings: plan.warnings };
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken !== undefined);
    }
  }

  private createTable(table: StreamTable, plan: ColumnPlan): string[] {
    const t = this.qualified(table.name);
    const keys = plan.columns.filter((c) => c.key);
    const definitions = [...keys.map((c) => `${q(c.name)} text NOT NULL`), '_raw jsonb', '_synced_at timestamptz', '_run_id text'];
    if (keys.length > 0) definitions.push(`PRIMARY KEY (${keys.map((c) => q(c.name)).join(', ')})`);
    return [`CREATE TABLE IF NOT EXISTS ${t} (${definitions.join(', ')})`, ...keys.map((c) => `COMMENT ON COLUMN ${t}.${q(c.name)} IS ${pathComment(c.path)}`)];
  }

  /** Added columns start empty: no earlier row has a value for a field, or its first value would have added it then. */
  private evolve(table: StreamTable, plan: ColumnPlan): string[] {
    const t = this.qualified(table.name);
    const keys = new Set(plan.columns.filter((c) => c.key).map((c) => c.name));
    return plan.changes
      .filter((change) => !keys.has(change.column))
      .flatMap((change) => {
        const column = q(change.column);
        const retype = change.from === undefined
          ? `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${column} ${sqlType(change.to)}`
          : `ALTER TABLE ${t} ALTER COLUMN ${column} TYPE ${sqlType(change.to)} USING ${columnExpression({ type: change.to, path: change.path })}`;
        return [retype, `COMMENT ON COLUMN ${t}.${column} IS ${pathComment(change.path)}`];
      });
  }

  private async insert(client: pg.PoolClient, table: StreamTable, plan: ColumnPlan, lines: string, batch: WriteBatch): Promise<number> {
    const keys = plan.columns.filter((c) => c.key);
    const names = [...plan.columns.map((c) => q(c.name)), '_raw', '_synced_at', '_run_id'];
    const values = [...plan.columns.map((c) => `${c.present ? columnExpression(c) : `NULL::${sqlType(c.type)}`} AS ${q(c.name)}`), '_raw', '$2::timestamptz AS _synced_at', '$3::text AS _run_id'];
    // Column names are lower snake case (`columnName`), so "#ord" can never be one of them.
    // OFFSET 0 keeps each line parsed once: a subquery PostgreSQL pulled up would parse it again for every column.
    const source = `(SELECT line::jsonb AS _raw, "#ord" FROM unnest(string_to_array($1::text, E'\\n')) WITH ORDINALITY AS lines(line, "#ord") OFFSET 0) batch`;
    let sql: string;
    if (keys.length === 0) {
      sql = `INSERT INTO ${this.qualified(table.name)} (${names.join(', ')}) SELECT ${values.join(', ')} FROM ${source}`;
    } else {
      const keyList = keys.map((c) => q(c.name)).join(', ');
      const updates = names.filter((_, i) => !plan.columns[i]?.key).map((n) => `${n} = EXCLUDED.${n}`);
      sql = `INSERT INTO ${this.qualified(table.name)} (${names.join(', ')})
        SELECT ${names.join(', ')} FROM (
          SELECT DISTINCT ON (${keyList}) ${values.join(', ')}, "#ord" FROM ${source}
           WHERE ${keys.map((c) => `${columnExpression(c)} IS NOT NULL`).join(' AND ')}
           ORDER BY ${keyList}, "#ord" DESC) latest
        ON CONFLICT (${keyList}) DO UPDATE SET ${updates.join(', ')}`;
    }
    const result = await client.query(sql, [lines, batch.syncedAt.toISOString(), batch.runId]);
    return result.rowCount ?? 0;
  }

  async listTables(): Promise<TableSummary[]> {
    const { rows } = await this.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
      [this.dataset],
    );
    const tables = await Promise.all(rows.map((r) => this.describeTable(r.table_name)));
    return tables.filter((t): t is TableSummary => t !== undefined);
  }

  /** Undefined when the dataset has no such table: a name reaches SQL only once found here. */
  async describeTable(name: string): Promise<TableSummary | undefined> {
    const columns = await this.columnsOf(this.pool, name);
    if (!columns) return undefined;
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.qualified(name)}`);
    return { name, rowCount: Number(rows[0]!.n), columns: columns.map(({ name, type, key }) => ({ name, type, key })) };
  }

  async readRows(name: string, query: RowsQuery): Promise<RowsPage | undefined> {
    const summary = await this.describeTable(name);
    if (!summary) return undefined;
    const order = rowsOrder(summary.columns, query);
    const { rows } = await this.pool.query<Record<string, unknown>>(`SELECT * FROM ${this.qualified(name)} ORDER BY ${order} LIMIT $1 OFFSET $2`, [
      Math.max(0, Math.trunc(query.limit)),
      Math.max(0, Math.trunc(query.offset)),
    ]);
    const types = new Map(summary.columns.map((c) => [c.name, c.type]));
    return { columns: summary.columns, total: summary.rowCount, rows: rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsonValue(v, types.get(k))]))) };
  }

  async readMetrics(range: MetricsRange): Promise<MetricRow[]> {
    if (!(await this.columnsOf(this.pool, metricsDailyTable.name))) return [];
    const { rows } = await this.pool.query<Record<string, unknown>>(metricsRangeSql(this.qualified(metricsDailyTable.name)) + providerFilterSql(range), [range.from, range.to]);
    return rows.map(metricRowOf);
  }

  async metricsSpan(providers?: readonly string[]): Promise<Pick<MetricsRange, 'from' | 'to'> | undefined> {
    if (!(await this.columnsOf(this.pool, metricsDailyTable.name))) return undefined;
    const { rows } = await this.pool.query<{ first: string | null; last: string | null }>(metricsSpanSql(this.qualified(metricsDailyTable.name), providers));
    return rows[0]?.first ? { from: rows[0].first, to: rows[0].last! } : undefined;
  }

  /** The table's columns (ours included) with the field each holds; undefined when there is no such table. */
  private async columnsOf(client: pg.Pool | pg.PoolClient, name: string): Promise<Array<TableColumn & { comment: string | null }> | undefined> {
    // PostgreSQL text cannot hold NUL, so no table is named with one (and the query would fail).
    if (name.includes('\u0000')) return undefined;
    const { rows } = await client.query<{ name: string; type: string; comment: string | null; key: boolean }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, col_description(a.attrelid, a.attnum) AS comment,
              coalesce(a.attnum = ANY (i.indkey), false) AS key
         FROM pg_catalog.pg_attribute a
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary
        WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [this.dataset, name],
    );
    if (rows.length === 0) return undefined;
    return rows.map((r) => ({ name: r.name, type: columnType(r.type), key: r.key, comment: r.comment }));
  }

  private async shapeOf(client: pg.PoolClient, table: string): Promise<Map<string, ExistingColumn> | undefined> {
    const columns = await this.columnsOf(client, table);
    if (!columns) return undefined;
    return new Map(columns.filter((c) => !ownColumns.has(c.name)).map((c) => [c.name, { type: c.type, path: pathFromText(c.comment, c.name) }]));
  }

  /** The pool belongs to the warehouse, which ends it. */
  async close(): Promise<void> {}
}

/** A 64-bit advisory lock key of its own per dataset table, out of the way of other users of advisory locks. */
function lockKey(name: string): string {
  const digest = crypto.createHash('sha256').update(`tributary.warehouse:${name}`).digest();
  return digest.readBigInt64BE(0).toString();
}
