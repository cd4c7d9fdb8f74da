import type { ConnectionEvent } from '../domain/connections.js';
import type { Queryable } from './db.js';
import { newestFirst, type PageOf, type PageRequest } from './page-cursor.js';

/** The append-only event log of connections. Callers build messages from known fields only, never from secrets. */
interface EventRow {
  id: string;
  connection_id: string;
  kind: string;
  message: string;
  details: Record<string, unknown>;
  actor_id: string | null;
  created_at: Date;
}

const toEvent = (row: EventRow): ConnectionEvent => ({
  id: row.id,
  connectionId: row.connection_id,
  kind: row.kind,
  message: row.message,
  details: row.details,
  actorId: row.actor_id,
  createdAt: row.created_at,
});

export interface NewEvent {
  workspaceId: string;
  connectionId: string;
  kind: string;
  message: string;
  details?: Record<string, unknown>;
  actorId?: string | null;
}

export async function recordEvent(tx: Queryable, input: NewEvent): Promise<void> {
  await tx.query(`INSERT INTO events (id, workspace_id, connection_id, kind, message, details, actor_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    crypto.randomUUID(),
    input.workspaceId,
    input.connectionId,
    input.kind,
    input.message,
    JSON.stringify(input.details ?? {}),
    input.actorId ?? null,
  ]);
}

/** Newest first. */
export async function listEvents(tx: Queryable, workspaceId: string, connectionId: string, page: PageRequest): Promise<PageOf<ConnectionEvent>> {
  const rows = await newestFirst<EventRow>(tx, { table: 'events', at: 'created_at' }, { workspaceId, connectionId }, page);
  return { items: rows.items.map(toEvent), nextCursor: rows.nextCursor };
}
