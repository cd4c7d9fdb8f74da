import { defineConnector } from '../../runtime/define.js';
import { postgresHooks } from './hooks.js';

/**
 * Tables of a PostgreSQL database, Supabase's included, read with a connection string.
 * Docs: https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING (URI form)
 * and https://supabase.com/docs/guides/database/connecting-to-postgres (Supabase's URIs).
 */
export default defineConnector(
  {
    id: 'postgres',
    name: 'Postgres / Supabase',
    kind: 'database',
    category: 'database',
    description: 'Tables and views of a PostgreSQL database (Supabase included), read-only, incrementally by an updated_at-style column.',
    docs: 'https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING',
    icon: 'icon.svg',
    auth: [{ method: 'connection_string', label: 'Connection string' }],
    config: {
      schemas: {
        title: 'Schemas',
        description: 'Comma-separated schemas whose tables are listed.',
        required: false,
        default: 'public',
      },
    },
    streams: {},
  },
  postgresHooks,
);
