import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import type { Database } from './db.js';

/**
 * Applies the plain SQL files in ./migrations in order, once each, and records them. Forward-only:
 * a recorded migration whose file changed stops the start instead of running again. An advisory
 * lock makes concurrent starts (several workers on one PostgreSQL) apply each file once.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const migrationsDir = new URL('./migrations/', import.meta.url);

export async function loadMigrations(): Promise<Migration[]> {
  const files = (await fs.readdir(migrationsDir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (name) => {
      const sql = await fs.readFile(new URL(name, migrationsDir), 'utf8');
      return { version: Number(name.slice(0, 4)), name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Returns the names of the migrations it applied (none when the store is up to date). */
export async function migrate(db: Database): Promise<string[]> {
  const migrations = await loadMigrations();
  return db.asOwner(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(7386104251)`);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = await tx.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    const known = new Map(migrations.map((m) => [m.version, m]));
    for (const row of applied) {
      const file = known.get(row.version);
      if (!file) throw new MigrationError(`The store has migration ${row.name}, which this version of Tributary does not know; run a newer version.`);
      if (file.checksum !== row.checksum)
        throw new MigrationError(`Migration ${row.name} changed after it was applied; migrations are forward-only, so add a new one instead.`);
    }
    const done = new Set(applied.map((r) => r.version));
    const pending = migrations.filter((m) => !done.has(m.version));
    for (const m of pending) {
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
    }
    return pending.map((m) => m.name);
  });
}

/** What `doctor` shows: applied and pending migrations. */
export async function migrationStatus(db: Database): Promise<{ applied: string[]; pending: string[] }> {
  const migrations = await loadMigrations();
  const applied = await db.asOwner(async (tx) => {
    const exists = await tx.query<{ present: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`);
    if (!exists[0]?.present) return [];
    return tx.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version');
  });
  const names = new Set(applied.map((r) => r.name));
  return { applied: [...names], pending: migrations.filter((m) => !names.has(m.name)).map((m) => m.name) };
}
