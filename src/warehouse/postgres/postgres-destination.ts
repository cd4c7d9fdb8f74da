import pg from 'pg';
import { quoteIdentifier as q } from '../../domain/sql-text.js';
import { datasetName, type ColumnType, type Destination, type RowsPage, type RowsQuery, type StreamTable, type TableColumn, type TableSummary, type Warehouse, type WriteBatch, type WriteResult } from '../destination.js';
import { rowsOrder } from '../rows-order.js';
import { ownColumns, planColumns, type PlannedColumn } from '../schema-evolution.js';

/**
 * Each workspace's dataset as a schema (`tenant_<hash>`) on one PostgreSQL. A batch arrives as one
 * jsonb parameter; `jsonb_array_elements … WITH ORDINALITY` splits it, `DISTINCT ON` keeps the last
 * record of each key, and `INSERT … ON CONFLICT DO UPDATE` upserts, setting every column the
 * record lacks back to NULL so a row is always its record's latest version. Typed columns are
 * always derived from `_raw` by the expressions below, on insert and on widening alike. Several
 * workers may write one dataset: the table's shape is read again under a lock before any change.
 */
const sqlTypes: Record<ColumnType, string> = { boolean: 'boolean', integer: 'bigint', number: 'double precision', timestamp: 'timestamptz', string: 'text', json: 'jsonb' };
const fromSql: Record<string, ColumnType> = { boolean: 'boolean', bigint: 'integer', 'double precision': 'number', 'timestamp with time zone': 'timestamp', text: 'string', jsonb: 'json' };

function jsonbPath(path: string[]): string {
  // A text[] literal: each element quoted, backslashes and quotes escaped, the whole a SQL literal.
  const elements = path.map((k) => `"${k.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',');
  return `'{${elements.replace(/'/g, "''")}}'`;
}

function typed(type: ColumnType, path: string[]): string {
  const value = `(_raw #> ${jsonbPath(path)})`;
  switch (type) {
    case 'string':
      return `(_raw #>> ${jsonbPath(path)})`;
    case 'json':
      return value;
    case 'integer':
      return `CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::numeric::bigint END`;
    case 'number':
      return `CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::double precision END`;
    case 'boolean':
      return `CASE WHEN jsonb_typeof(${value}) = 'boolean' THEN (${value})::boolean END`;
    case 'timestamp':
      return `CASE WHEN jsonb_typeof(${value}) = 'string' THEN (_raw #>> ${jsonbPath(path)})::timestamptz END`;
  }
}

export class PostgresWarehouse implements Warehouse {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly open = new Map<string, PostgresDestination>();

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 8 });
    this.pool.on('error', () => undefined);
  }

  async destination(workspaceId: string): Promise<Destination> {
    let destination = this.open.get(workspaceId);
    if (!destination) {
      destination = new PostgresDestination(this.pool, workspaceId);
      await this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${q(destination.dataset)}`).catch((error: { code?: string }) => {
        if (error.code !== '23505' && error.code !== '42P06') throw error; // created by another process at the same moment
      });
      this.open.set(workspaceId, destination);
    }
    return destination;
  }

  async close(): Promise<void> {
    this.open.clear();
    await this.pool.end();
  }
}

class PostgresDestination implements Destination {
  readonly kind = 'postgres' as const;
  readonly dataset: string;

  constructor(
    private readonly pool: pg.Pool,
    workspaceId: string,
  ) {
    this.dataset = datasetName(workspaceId);
  }

  private qualified(table: string): string {
    return `${q(this.dataset)}.${q(table)}`;
  }

  async write(table: StreamTable, batch: WriteBatch): Promise<WriteResult> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      let existing = await this.shapeOf(client, table.name);
      let plan = planColumns(table, batch.records, existing ?? new Map());
      if (!existing || plan.changes.length > 0) {
        // Another worker may be changing this table: take its lock, then plan against its shape now.
        await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${this.dataset}.${table.name}`]);
        existing = await this.shapeOf(client, table.name);
        plan = planColumns(table, batch.records, existing ?? new Map());
        if (!existing) await this.createTable(client, table, plan.columns);
        await this.evolve(client, table, plan, existing);
      }
      const written = batch.records.length === 0 ? 0 : await this.upsert(client, table, plan.columns, existing, batch);
      await client.query('COMMIT');
      return { written, schemaChanges: existing ? plan.changes.map(({ column, from, to }) => (from ? { column, from, to } : { column, to })) : [], warnings: plan.warnings };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async createTable(client: pg.PoolClient, table: StreamTable, columns: PlannedColumn[]): Promise<void> {
    const keys = columns.filter((c) => c.key);
    const definitions = [...keys.map((c) => `${q(c.name)} text NOT NULL`), '_raw jsonb', '_synced_at timestamptz', '_run_id text'];
    if (keys.length > 0) definitions.push(`PRIMARY KEY (${keys.map((c) => q(c.name)).join(', ')})`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${this.qualified(table.name)} (${definitions.join(', ')})`);
  }

  private async evolve(client: pg.PoolClient, table: StreamTable, plan: ReturnType<typeof planColumns>, existing: Map<string, ColumnType> | undefined): Promise<void> {
    const t = this.qualified(table.name);
    for (const change of plan.changes) {
      if (plan.columns.find((c) => c.name === change.column)?.key) continue;
      const column = q(change.column);
      if (change.from === undefined) {
        await client.query(`ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${column} ${sqlTypes[change.to]}`);
        if (existing && existing.size > 0) await client.query(`UPDATE ${t} SET ${column} = ${typed(change.to, change.path)}`);
      } else {
        await client.query(`ALTER TABLE ${t} ALTER COLUMN ${column} TYPE ${sqlTypes[change.to]} USING ${typed(change.to, change.path)}`);
      }
    }
  }

  private async upsert(client: pg.PoolClient, table: StreamTable, columns: PlannedColumn[], existing: Map<string, ColumnType> | undefined, batch: WriteBatch): Promise<number> {
    const keys = columns.filter((c) => c.key);
    const names = [...columns.map((c) => q(c.name)), '_raw', '_synced_at', '_run_id'];
    const values = [...columns.map((c) => `${typed(c.type, c.path)} AS ${q(c.name)}`), '_raw', '$2::timestamptz AS _synced_at', '$3::text AS _run_id'];
    const keyList = keys.map((c) => q(c.name)).join(', ');
    const source = `jsonb_array_elements($1::jsonb) WITH ORDINALITY AS batch(_raw, _ord)`;
    let sql: string;
    if (keys.length === 0) {
      sql = `INSERT INTO ${this.qualified(table.name)} (${names.join(', ')}) SELECT ${values.join(', ')} FROM ${source} WHERE jsonb_typeof(_raw) = 'object'`;
    } else {
      const present = new Set(columns.map((c) => c.name));
      // Columns the table has but this batch's records lack: the new version of the row has none.
      const absent = [...(existing?.keys() ?? [])].filter((name) => !present.has(name));
      const sets = [...columns.filter((c) => !c.key).map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`), ...absent.map((name) => `${q(name)} = NULL`), ...['_raw', '_synced_at', '_run_id'].map((c) => `${c} = EXCLUDED.${c}`)];
      sql = `INSERT INTO ${this.qualified(table.name)} (${names.join(', ')})
        SELECT ${names.join(', ')} FROM (
          SELECT DISTINCT ON (${keyList}) ${values.join(', ')}, _ord FROM ${source}
           WHERE ${keys.map((c) => `${typed('string', c.path)} IS NOT NULL`).join(' AND ')}
           ORDER BY ${keyList}, _ord DESC) latest
        ON CONFLICT (${keyList}) DO UPDATE SET ${sets.join(', ')}`;
    }
    const result = await client.query(sql, [JSON.stringify(batch.records), batch.syncedAt.toISOString(), batch.runId]);
    return result.rowCount ?? 0;
  }

  /** The table's typed columns (ours left out); undefined when it does not exist. */
  private async shapeOf(client: pg.PoolClient | pg.Pool, table: string): Promise<Map<string, ColumnType> | undefined> {
    const { rows } = await client.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [this.dataset, table],
    );
    if (rows.length === 0) return undefined;
    return new Map(rows.filter((r) => !(ownColumns as readonly string[]).includes(r.column_name)).map((r) => [r.column_name, fromSql[r.data_type] ?? 'string']));
  }

  async listTables(): Promise<TableSummary[]> {
    const { rows } = await this.pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [this.dataset]);
    return Promise.all(rows.map(async (r) => (await this.describeTable(r.table_name))!));
  }

  async describeTable(name: string): Promise<TableSummary | undefined> {
    const columns = await this.columnsOf(name);
    if (!columns) return undefined;
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.qualified(name)}`);
    return { name, rowCount: Number(rows[0]!.n), columns };
  }

  async readRows(name: string, query: RowsQuery): Promise<RowsPage | undefined> {
    const columns = await this.columnsOf(name);
    if (!columns) return undefined;
    const order = rowsOrder(columns, query);
    const { rows } = await this.pool.query<Record<string, unknown>>(`SELECT * FROM ${this.qualified(name)} ORDER BY ${order} LIMIT $1 OFFSET $2`, [query.limit, query.offset]);
    const { rows: count } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.qualified(name)}`);
    const types = new Map(columns.map((c) => [c.name, c.type]));
    return { columns, total: Number(count[0]!.n), rows: rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsonValue(v, types.get(k))]))) };
  }

  private async columnsOf(name: string): Promise<TableColumn[] | undefined> {
    const { rows } = await this.pool.query<{ column_name: string; data_type: string; key: boolean }>(
      `SELECT c.column_name, c.data_type,
              EXISTS (SELECT 1 FROM information_schema.key_column_usage k JOIN information_schema.table_constraints tc USING (constraint_schema, constraint_name)
                       WHERE tc.constraint_type = 'PRIMARY KEY' AND k.table_schema = c.table_schema AND k.table_name = c.table_name AND k.column_name = c.column_name) AS key
         FROM information_schema.columns c WHERE c.table_schema = $1 AND c.table_name = $2 ORDER BY c.ordinal_position`,
      [this.dataset, name],
    );
    if (rows.length === 0) return undefined;
    return rows.map((r) => ({ name: r.column_name, type: fromSql[r.data_type] ?? 'string', key: r.key }));
  }
}

/** pg returns bigint as text and timestamps as Date (jsonb comes parsed): safe integers as numbers, instants as ISO 8601. */
function jsonValue(value: unknown, type: ColumnType | undefined): unknown {
  if (value instanceof Date) return value.toISOString();
  if (type === 'integer' && typeof value === 'string' && Number.isSafeInteger(Number(value))) return Number(value);
  return value;
}
