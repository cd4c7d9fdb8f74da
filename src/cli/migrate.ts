import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { openDatabase } from '../store/db.js';
import { migrate } from '../store/migrate.js';

/** `tributary migrate`: apply pending migrations and exit. */
export async function runMigrations(config: Config, _logger: Logger): Promise<void> {
  const db = await openDatabase(config.database);
  try {
    const applied = await migrate(db);
    console.log(applied.length === 0 ? `The ${db.engine} store is up to date.` : `Applied ${applied.length} migration(s) to the ${db.engine} store: ${applied.join(', ')}`);
  } finally {
    await db.close();
  }
}
