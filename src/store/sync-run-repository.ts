import type { RunError, RunStatus, RunTrigger, StreamProgress, SyncRun } from '../domain/runs.js';
import type { Queryable } from './db.js';
import { newestFirst, type PageOf, type PageRequest } from './page-cursor.js';

/** Sync runs and stream state: rows ↔ domain objects, always filtered by workspace. */
interface RunRow {
  id: string;
  workspace_id: string;
  connection_id: string;
  trigger: RunTrigger;
  status: RunStatus;
  attempt: number;
  max_attempts: number;
  streams: Record<string, StreamProgress>;
  records: string | number;
  bytes: string | number;
  error: RunError | null;
  cancel_requested: boolean;
  requested_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export const toRun = (row: RunRow): SyncRun => ({
  id: row.id,
  workspaceId: row.workspace_id,
  connectionId: row.connection_id,
  trigger: row.trigger,
  status: row.status,
  attempt: row.attempt,
  maxAttempts: row.max_attempts,
  streams: row.streams,
  records: Number(row.records),
  bytes: Number(row.bytes),
  error: row.error,
  cancelRequested: row.cancel_requested,
  requestedBy: row.requested_by,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  durationMs: row.started_at ? (row.finished_at ?? new Date()).getTime() - row.started_at.getTime() : null,
});

export interface NewRun {
  workspaceId: string;
  connectionId: string;
  trigger: RunTrigger;
  requestedBy: string | null;
  maxAttempts: number;
}

/** Inserts a queued run; undefined when the connection already has one queued or running (the partial unique index). */
export async function insertQueuedRun(tx: Queryable, input: NewRun): Promise<SyncRun | undefined> {
  const [row] = await tx.query<RunRow>(
    `INSERT INTO sync_runs (id, workspace_id, connection_id, trigger, status, max_attempts, requested_by)
     VALUES ($1, $2, $3, $4, 'queued', $5, $6)
     ON CONFLICT (connection_id) WHERE status IN ('queued', 'running') DO NOTHING
     RETURNING *`,
    [crypto.randomUUID(), input.workspaceId, input.connectionId, input.trigger, input.maxAttempts, input.requestedBy],
  );
  return row && toRun(row);
}

export async function getRun(tx: Queryable, workspaceId: string, id: string): Promise<SyncRun | undefined> {
  const [row] = await tx.query<RunRow>(`SELECT * FROM sync_runs WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return row && toRun(row);
}

export async function activeRunOf(tx: Queryable, workspaceId: string, connectionId: string): Promise<SyncRun | undefined> {
  const [row] = await tx.query<RunRow>(`SELECT * FROM sync_runs WHERE workspace_id = $1 AND connection_id = $2 AND status IN ('queued', 'running')`, [workspaceId, connectionId]);
  return row && toRun(row);
}

/** Newest first. */
export async function listRuns(tx: Queryable, workspaceId: string, connectionId: string, page: PageRequest): Promise<PageOf<SyncRun>> {
  const rows = await newestFirst<RunRow>(tx, { table: 'sync_runs', at: 'created_at' }, { workspaceId, connectionId }, page);
  return { items: rows.items.map(toRun), nextCursor: rows.nextCursor };
}

/** The latest run of each of the workspace's connections (for the connection list). */
export async function lastRuns(tx: Queryable, workspaceId: string): Promise<Map<string, SyncRun>> {
  const rows = await tx.query<RunRow>(
    `SELECT DISTINCT ON (connection_id) * FROM sync_runs WHERE workspace_id = $1 ORDER BY connection_id, created_at DESC, id DESC`,
    [workspaceId],
  );
  return new Map(rows.map((row) => [row.connection_id, toRun(row)]));
}

/** The latest run of one connection, if it ever ran. */
export async function lastRunOf(tx: Queryable, workspaceId: string, connectionId: string): Promise<SyncRun | undefined> {
  const [row] = await tx.query<RunRow>(`SELECT * FROM sync_runs WHERE workspace_id = $1 AND connection_id = $2 ORDER BY created_at DESC, id DESC LIMIT 1`, [workspaceId, connectionId]);
  return row && toRun(row);
}

/** When each of the workspace's connections last synced successfully (connections that never did are absent). */
export async function lastSuccessfulSyncs(tx: Queryable, workspaceId: string): Promise<Map<string, Date>> {
  const rows = await tx.query<{ connection_id: string; at: Date }>(
    `SELECT connection_id, max(finished_at) AS at FROM sync_runs WHERE workspace_id = $1 AND status = 'succeeded' GROUP BY connection_id`,
    [workspaceId],
  );
  return new Map(rows.map((row) => [row.connection_id, new Date(row.at)]));
}

/**
 * Cancels a queued run at once; flags a running one, which its worker sees at its next lease
 * renewal (within a second or two). Undefined when there is no such run.
 */
export async function cancelRun(tx: Queryable, workspaceId: string, id: string): Promise<SyncRun | undefined> {
  const [row] = await tx.query<RunRow>(
    `UPDATE sync_runs
        SET status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
            finished_at = CASE WHEN status = 'queued' THEN clock_timestamp() ELSE finished_at END,
            cancel_requested = (status = 'running') OR cancel_requested,
            updated_at = clock_timestamp()
      WHERE workspace_id = $1 AND id = $2
      RETURNING *`,
    [workspaceId, id],
  );
  return row && toRun(row);
}

export async function readState(tx: Queryable, workspaceId: string, connectionId: string): Promise<Record<string, string>> {
  const rows = await tx.query<{ stream: string; cursor: string }>(`SELECT stream, cursor FROM sync_state WHERE workspace_id = $1 AND connection_id = $2`, [workspaceId, connectionId]);
  return Object.fromEntries(rows.map((r) => [r.stream, r.cursor]));
}

/** Every connection's committed cursors, by connection id (for the connection list). */
export async function readStates(tx: Queryable, workspaceId: string): Promise<Map<string, Record<string, string>>> {
  const rows = await tx.query<{ connection_id: string; stream: string; cursor: string }>(`SELECT connection_id, stream, cursor FROM sync_state WHERE workspace_id = $1`, [workspaceId]);
  const states = new Map<string, Record<string, string>>();
  for (const row of rows) (states.get(row.connection_id) ?? states.set(row.connection_id, {}).get(row.connection_id)!)[row.stream] = row.cursor;
  return states;
}

export async function saveCursor(tx: Queryable, input: { workspaceId: string; connectionId: string; stream: string; cursor: string; runId: string }): Promise<void> {
  await tx.query(
    `INSERT INTO sync_state (workspace_id, connection_id, stream, cursor, run_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (connection_id, stream) DO UPDATE SET cursor = EXCLUDED.cursor, run_id = EXCLUDED.run_id, updated_at = clock_timestamp()`,
    [input.workspaceId, input.connectionId, input.stream, input.cursor, input.runId],
  );
}
