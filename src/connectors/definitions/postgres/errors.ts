import pg from 'pg';
import { TributaryError, type ErrorCode } from '../../../domain/errors.js';

/**
 * The one table from what PostgreSQL or the socket reports to the catalog's codes. The messages
 * are written here, never copied from the server, whose text can quote the user name, the
 * database or a row, and never hold the connection string.
 */
interface Classified {
  code: ErrorCode;
  message: string;
}

const badLogin: Classified = { code: 'auth_failed', message: 'Postgres refused the user name or password; check the credentials in the connection string.' };
const unreachable: Classified = { code: 'network', message: 'Postgres could not be reached; check the host and port of the connection string and that the server accepts connections.' };
const tooSlow: Classified = { code: 'timeout', message: 'Postgres did not answer in time; we retry with backoff. Check the server load or add an index for the cursor column.' };
const busy: Classified = { code: 'vendor_unavailable', message: 'Postgres is starting, shutting down or out of connections; we retry with backoff.' };

/** By SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html), exact code first, then its two-character class. */
const bySqlState: Record<string, Classified> = {
  '28P01': badLogin,
  '28000': { code: 'auth_failed', message: 'Postgres refused the login (unknown role, or not allowed from this host); check the user name in the connection string and the server\'s pg_hba rules.' },
  '3D000': { code: 'vendor_not_found', message: 'Postgres has no database of that name; check the database in the connection string.' },
  '3F000': { code: 'vendor_not_found', message: 'Postgres has no schema of that name; check the schemas in the connection settings.' },
  '42P01': { code: 'vendor_not_found', message: 'Postgres has no such table; test the connection again to refresh the list of tables.' },
  '42703': { code: 'invalid_config', message: 'Postgres has no such column; test the connection again and choose the cursor column anew.' },
  '42501': { code: 'vendor_forbidden', message: 'Postgres does not let this user read the table; grant it USAGE on the schema and SELECT on the table.' },
  '57014': tooSlow,
  '53300': busy,
  '57P01': busy,
  '57P02': busy,
  '57P03': busy,
  '08': unreachable,
  '53': busy,
};

/** By Node's socket error code, for failures before PostgreSQL answers. */
const bySocketCode: Record<string, Classified> = {
  ECONNREFUSED: unreachable,
  ECONNRESET: unreachable,
  ENOTFOUND: unreachable,
  EAI_AGAIN: unreachable,
  EHOSTUNREACH: unreachable,
  ENETUNREACH: unreachable,
  EPIPE: unreachable,
  ETIMEDOUT: tooSlow,
};

/** `pg`'s own client-side failures, which carry no code. */
const byClientMessage: [RegExp, Classified][] = [
  [/timeout expired|Query read timeout/, tooSlow],
  [/Connection terminated/, unreachable],
  [/does not support SSL/, { code: 'invalid_config', message: 'The Postgres server does not accept SSL; remove sslmode from the connection string or enable SSL on the server.' }],
];

const unknown: Classified = { code: 'vendor_unavailable', message: 'Postgres failed the query; we retry with backoff.' };

/** Any error of a Postgres read as a `TributaryError`; the original is kept as `cause`, for logs only. */
export function postgresError(error: unknown): TributaryError {
  if (error instanceof TributaryError) return error;
  const sqlState = error instanceof pg.DatabaseError ? error.code : undefined;
  const { code, message } = sqlState ? (bySqlState[sqlState] ?? bySqlState[sqlState.slice(0, 2)] ?? unknown) : classifyClientError(error);
  return new TributaryError(code, message, { cause: error, ...(sqlState ? { details: { sqlState } } : {}) });
}

function classifyClientError(error: unknown): Classified {
  const socketCode = socketCodeOf(error);
  if (socketCode && bySocketCode[socketCode]) return bySocketCode[socketCode];
  const text = error instanceof Error ? error.message : '';
  return byClientMessage.find(([pattern]) => pattern.test(text))?.[1] ?? unknown;
}

// Node 20 reports a refused `localhost` (tried on IPv6 and IPv4) as an AggregateError with the code on it or its members.
function socketCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError) return error.errors.map(socketCodeOf).find((c) => c !== undefined);
  return undefined;
}
