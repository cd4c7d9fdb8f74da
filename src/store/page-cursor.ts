import { TributaryError } from '../domain/errors.js';
import type { Queryable } from './db.js';

/**
 * Keyset pagination for append-only lists (events, health checks), newest first: the cursor is
 * the last row's (timestamp, id), opaque to callers, so a page never repeats or skips a row while
 * new rows arrive.
 */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface PageOf<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export function encodePageCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

export function decodePageCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new TributaryError('validation_failed', 'cursor: is not a cursor this API gave out; pass back nextCursor unchanged.', {
      details: { fields: [{ field: 'cursor', message: 'is not a cursor this API gave out' }] },
    });
  }
  return { at, id };
}

/** Rows fetched with `limit + 1`: the extra row only says whether another page follows. */
function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => { at: Date; id: string }): PageOf<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodePageCursor(keyOf(last).at, keyOf(last).id) : null };
}

/**
 * One page of a connection's rows from an append-only table, newest first. `table` and `at` are
 * our own identifiers (never user input); the connection and cursor travel as parameters.
 */
export async function newestFirst<Row extends { id: string }>(
  tx: Queryable,
  source: { table: 'events' | 'health_checks' | 'sync_runs'; at: 'created_at' | 'checked_at' },
  scope: { workspaceId: string; connectionId: string },
  page: PageRequest,
): Promise<PageOf<Row>> {
  const after = page.cursor ? decodePageCursor(page.cursor) : undefined;
  const { table, at } = source;
  const rows = await tx.query<Row>(
    `SELECT * FROM ${table} WHERE workspace_id = $1 AND connection_id = $2
       AND ($3::timestamptz IS NULL OR (${at}, id) < ($3::timestamptz, $4::uuid))
     ORDER BY ${at} DESC, id DESC LIMIT $5`,
    [scope.workspaceId, scope.connectionId, after?.at ?? null, after?.id ?? null, page.limit + 1],
  );
  return toPage(rows, page.limit, (row) => ({ at: (row as unknown as Record<string, Date>)[at]!, id: row.id }));
}
