import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';

/**
 * A migrated metadata store of its own for one test file: in-memory PGlite by default, or a
 * fresh schema on the PostgreSQL named by DATABASE_URL (CI runs the suite both ways).
 * Closing it drops the schema.
 */
export interface TestDatabase {
  db: Database;
  engine: Database['engine'];
  /** The PostgreSQL URL and schema when running on a real server. */
  postgres?: { url: string; schema: string };
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDatabase({ kind: 'pglite' });
    await migrate(db);
    return { db, engine: db.engine, close: () => db.close() };
  }
  const schema = `test_${crypto.randomBytes(6).toString('hex')}`;
  const db = await openDatabase({ kind: 'postgres', url, schema, poolSize: 4 });
  await migrate(db);
  return {
    db,
    engine: db.engine,
    postgres: { url, schema },
    close: async () => {
      await db.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
      await client.end();
    },
  };
}
