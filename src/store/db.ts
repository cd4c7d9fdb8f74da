import fs from 'node:fs/promises';
import pg from 'pg';

/**
 * The metadata store behind one seam: embedded PGlite (default) or a PostgreSQL pool. Everything
 * above this file speaks `Queryable` and never knows which engine runs.
 *
 * Row-level security is the second wall behind the repositories' own `workspace_id` filters.
 * Every transaction declares its scope: `withWorkspace` acts as the `tributary_app` role and can
 * see one workspace's rows; `asSystem` acts as that role too but may see every workspace (sign-in,
 * API-key lookup, key rotation: work that happens before a workspace is known); `asOwner` is the
 * schema owner, for migrations only. There is no unscoped query.
 */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type Engine = 'pglite' | 'postgres';

export interface Database {
  readonly engine: Engine;
  /** Runs `fn` in one transaction that can see only `workspaceId`'s rows. */
  withWorkspace<T>(workspaceId: string, fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs `fn` in one transaction that may see every workspace. */
  asSystem<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs `fn` in one transaction as the schema owner, outside row-level security (migrations). */
  asOwner<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * One statement (or a script without parameters) on its own, as the schema owner. Only the job
   * queue (pg-boss) uses it, for its own tables, which hold no workspace data.
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  close(): Promise<void>;
}

export const appRole = 'tributary_app';

export type DatabaseOptions =
  | { kind: 'pglite'; dataDir?: string }
  | { kind: 'postgres'; url: string; schema: string; poolSize?: number };

/** The job queue's schema beside the metadata: `pgboss`, or `<schema>_pgboss` for a store in a schema of its own (tests). */
export function queueSchema(options: DatabaseOptions): string {
  return options.kind === 'postgres' && options.schema !== 'public' ? `${options.schema}_pgboss` : 'pgboss';
}

type Scope = { workspaceId: string } | 'system' | 'owner';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The statements that open a scope, sent with BEGIN in one round trip (values are checked, not user text). */
function scopeStatements(scope: Scope): string[] {
  if (scope === 'owner') return [];
  const setting =
    scope === 'system'
      ? `SELECT set_config('tributary.system', 'on', true)`
      : uuidPattern.test(scope.workspaceId)
        ? `SELECT set_config('tributary.workspace_id', '${scope.workspaceId.toLowerCase()}', true)`
        : undefined;
  // An id that is not a uuid cannot name a workspace; the scope then sees nothing.
  return [`SET LOCAL ROLE ${appRole}`, setting ?? `SELECT set_config('tributary.workspace_id', '', true)`];
}

/** Opens the store. Run `migrate` (migrate.ts) before any scoped work. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === 'pglite' ? openPglite(options.dataDir) : openPostgres(options);
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) await fs.mkdir(dataDir, { recursive: true });
  // Loaded only for the embedded store: PGlite's module alone holds ~35 MB, which a hub on PostgreSQL never uses.
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  const scoped = <T>(scope: Scope, fn: (tx: Queryable) => Promise<T>) =>
    db.transaction(async (tx) => {
      const prelude = scopeStatements(scope);
      if (prelude.length > 0) await tx.exec(prelude.join(';'));
      return fn({
        query: async <Row>(sql: string, params?: unknown[]) => (await tx.query<Row>(sql, params)).rows,
        exec: async (sql) => void (await tx.exec(sql)),
      });
    });
  return {
    engine: 'pglite',
    withWorkspace: (workspaceId, fn) => scoped({ workspaceId }, fn),
    asSystem: (fn) => scoped('system', fn),
    asOwner: (fn) => scoped('owner', fn),
    executeSql: async (text, values) => {
      if (values && values.length > 0) return { rows: (await db.query<Record<string, unknown>>(text, values)).rows };
      const results = await db.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
    },
    close: () => db.close(),
  };
}

async function openPostgres(options: { url: string; schema: string; poolSize?: number }): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    options: `-c search_path=${options.schema}`,
  });
  const scoped = async <T>(scope: Scope, fn: (tx: Queryable) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query(['BEGIN', ...scopeStatements(scope)].join(';'));
      const result = await fn({
        query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
        exec: async (sql) => void (await client.query(sql)),
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  return {
    engine: 'postgres',
    withWorkspace: (workspaceId, fn) => scoped({ workspaceId }, fn),
    asSystem: (fn) => scoped('system', fn),
    asOwner: (fn) =>
      scoped('owner', async (tx) => {
        await tx.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
        return fn(tx);
      }),
    executeSql: async (text, values) => {
      const result = await pool.query(text, values);
      // A script answers with one result per statement; the queue reads the last.
      return { rows: (Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows) as Record<string, unknown>[] };
    },
    close: () => pool.end(),
  };
}
