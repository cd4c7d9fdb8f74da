import type { ConnectorHooks } from '../../runtime/hooks.js';
import { discoverTables } from './discover.js';
import { readTable } from './read-table.js';

/** A database has no HTTP API: its streams are the tables `discover` finds, read by `readStream`. */
export const postgresHooks: ConnectorHooks = {
  discover: discoverTables,
  readStream: readTable,
};
