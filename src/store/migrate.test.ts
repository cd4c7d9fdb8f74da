import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { loadMigrations, migrate, migrationStatus } from './migrate.js';

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(() => t.close());

  it('are numbered plain SQL files, applied in order and recorded', async () => {
    const files = await loadMigrations();
    expect(files.map((m) => m.version)).toEqual([...files.map((m) => m.version)].sort((a, b) => a - b));
    const status = await migrationStatus(t.db);
    expect(status.pending).toEqual([]);
    expect(status.applied).toEqual(files.map((m) => m.name));
  });

  it('are idempotent: running again applies nothing', async () => {
    expect(await migrate(t.db)).toEqual([]);
  });

  it('are forward-only: a changed file that was applied stops the start', async () => {
    await t.db.asOwner((tx) => tx.query(`UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1`));
    await expect(migrate(t.db)).rejects.toThrow(/0001_accounts\.sql changed after it was applied/);
    const [file] = await loadMigrations();
    await t.db.asOwner((tx) => tx.query(`UPDATE schema_migrations SET checksum = $1 WHERE version = 1`, [file!.checksum]));
  });

  it('give every table with a workspace_id a forced row-level-security policy', async () => {
    const rows = await t.db.asOwner((tx) =>
      tx.query<{ table: string; rls: boolean; forced: boolean; policies: number }>(
        `SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
                (SELECT count(*)::int FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname) AS policies
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relkind = 'r'
            AND (EXISTS (SELECT 1 FROM information_schema.columns col WHERE col.table_schema = n.nspname AND col.table_name = c.relname AND col.column_name = 'workspace_id')
                 OR c.relname = 'workspaces')`,
      ),
    );
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(row, row.table).toMatchObject({ rls: true, forced: true, policies: 1 });
  });
});

describe('row-level security', () => {
  let t: TestDatabase;
  const a = crypto.randomUUID();
  const b = crypto.randomUUID();
  beforeAll(async () => {
    t = await openTestDatabase();
    await t.db.asSystem(async (tx) => {
      await tx.query(`INSERT INTO workspaces (id, name) VALUES ($1, 'A'), ($2, 'B')`, [a, b]);
      await tx.query(`INSERT INTO api_keys (id, workspace_id, name, role, key_hash, hint) VALUES ($1, $2, 'a key', 'owner', 'hash-a', 'h')`, [crypto.randomUUID(), a]);
    });
  });
  afterAll(() => t.close());

  it(`runs queries as the application role`, async () => {
    const [row] = await t.db.withWorkspace(a, (tx) => tx.query<{ role: string }>(`SELECT current_user AS role`));
    expect(row!.role).toBe('tributary_app');
  });

  it('shows nothing of workspace A to a query with workspace B set, even one that names A', async () => {
    const rows = await t.db.withWorkspace(b, (tx) => tx.query(`SELECT * FROM api_keys WHERE workspace_id = $1`, [a]));
    expect(rows).toEqual([]);
    expect(await t.db.withWorkspace(b, (tx) => tx.query(`SELECT * FROM workspaces WHERE id = $1`, [a]))).toEqual([]);
    expect(await t.db.withWorkspace(a, (tx) => tx.query(`SELECT * FROM api_keys`))).toHaveLength(1);
  });

  it('refuses to write a row into another workspace', async () => {
    await expect(
      t.db.withWorkspace(b, (tx) =>
        tx.query(`INSERT INTO api_keys (id, workspace_id, name, role, key_hash, hint) VALUES ($1, $2, 'planted', 'owner', 'hash-planted', 'h')`, [crypto.randomUUID(), a]),
      ),
    ).rejects.toThrow(/row-level security/);
    expect(await t.db.withWorkspace(b, (tx) => tx.query(`UPDATE api_keys SET name = 'hijacked' WHERE workspace_id = $1 RETURNING id`, [a]))).toEqual([]);
    expect(await t.db.withWorkspace(b, (tx) => tx.query(`DELETE FROM workspaces WHERE id = $1 RETURNING id`, [a]))).toEqual([]);
  });

  it('shows nothing to a scope that names no workspace', async () => {
    expect(await t.db.withWorkspace('not-a-uuid', (tx) => tx.query(`SELECT * FROM workspaces`))).toEqual([]);
  });
});
