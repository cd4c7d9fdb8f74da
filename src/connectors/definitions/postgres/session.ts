import pg from 'pg';
import { TributaryError } from '../../../domain/errors.js';
import { connectionStringSecrets } from '../../runtime/auth/connection-string-auth.js';
import type { ConnectionContext } from '../../runtime/hooks.js';
import { postgresError } from './errors.js';

/**
 * One connection to the user's database for one discover or one read, ended by its caller in
 * `finally`, so no connection outlives the work (a server that takes one client at a time, like
 * the PGlite sandbox, is free again at once). Every statement runs in a READ ONLY transaction
 * with a statement timeout; the settings are made per transaction (`SET LOCAL`), not per session,
 * so they hold behind a transaction-mode pooler such as Supabase's.
 */
export interface Session {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Opens a READ ONLY transaction; timestamps come out as ISO 8601 in UTC. */
  begin(): Promise<void>;
  commit(): Promise<void>;
  /** Runs `work` in one READ ONLY transaction. */
  readOnly<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const statementTimeoutMs = 60_000;
const connectTimeoutMs = 10_000;

export async function openSession(context: Pick<ConnectionContext, 'secrets' | 'signal'>): Promise<Session> {
  context.signal?.throwIfAborted();
  const client = new pg.Client({
    connectionString: connectionStringOf(context.secrets),
    application_name: 'tributary',
    connectionTimeoutMillis: connectTimeoutMs,
    // A server that stops answering without closing the socket is given up on after the statement timeout.
    query_timeout: statementTimeoutMs + 5_000,
    types: { getTypeParser },
  });
  // A connection lost while idle rejects the next query; unheard, the event would end the process.
  client.on('error', () => undefined);
  // Ending the connection is the one way to stop a statement at once.
  const stop = () => void client.end().catch(() => undefined);
  context.signal?.addEventListener('abort', stop, { once: true });
  const fail = (error: unknown): never => {
    context.signal?.throwIfAborted();
    throw postgresError(error);
  };
  const query = async <Row>(sql: string, params?: unknown[]): Promise<Row[]> => {
    context.signal?.throwIfAborted();
    return (await client.query(sql, params).catch(fail)).rows as Row[];
  };
  const begin = async () => void (await query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${statementTimeoutMs}; SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO'`));
  const commit = async () => void (await query('COMMIT'));
  const close = async () => {
    context.signal?.removeEventListener('abort', stop);
    await client.end().catch(() => undefined);
  };
  await client.connect().catch(async (error: unknown) => {
    await close();
    fail(error);
  });
  return {
    query,
    begin,
    commit,
    async readOnly(work) {
      await begin();
      const result = await work();
      await commit();
      return result;
    },
    close,
  };
}

function connectionStringOf(secrets: unknown): string {
  const parsed = connectionStringSecrets.safeParse(secrets);
  if (!parsed.success) {
    throw new TributaryError('invalid_config', 'The Postgres connection needs a connection string starting with postgres:// or postgresql://.', {
      details: { field: 'connectionString' },
    });
  }
  return parsed.data.connectionString;
}

// Records must be JSON. Dates and times stay the server's exact text (microseconds kept, no shift
// by the hub's time zone); timestamps become ISO 8601, with `Z` as the session runs in UTC. Binary
// stays `\x…` hex and intervals their text. int8 and numeric already arrive as exact text.
const textTypes = new Set([17 /* bytea */, 1082 /* date */, 1186 /* interval */]);
const timestampTypes = new Set([1114 /* timestamp */, 1184 /* timestamptz */]);

// Only the text format is asked for: no query here requests binary results.
function getTypeParser(oid: number) {
  if (textTypes.has(oid)) return (text: string) => text;
  if (timestampTypes.has(oid)) return (text: string) => text.replace(' ', 'T').replace(/\+00$/, 'Z');
  return pg.types.getTypeParser(oid, 'text');
}
