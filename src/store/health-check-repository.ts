import type { HealthCheck } from '../domain/connections.js';
import type { Queryable } from './db.js';
import { newestFirst, type PageOf, type PageRequest } from './page-cursor.js';

/** Timed probes of connections (every test), for the health chart. */
interface HealthCheckRow {
  id: string;
  connection_id: string;
  ok: boolean;
  response_time_ms: number;
  error_code: string | null;
  error_message: string | null;
  checked_at: Date;
}

const toHealthCheck = (row: HealthCheckRow): HealthCheck => ({
  id: row.id,
  connectionId: row.connection_id,
  ok: row.ok,
  responseTimeMs: row.response_time_ms,
  errorCode: row.error_code,
  errorMessage: row.error_message,
  checkedAt: row.checked_at,
});

export async function recordHealthCheck(
  tx: Queryable,
  input: { workspaceId: string; connectionId: string; ok: boolean; responseTimeMs: number; errorCode?: string; errorMessage?: string },
): Promise<HealthCheck> {
  const [row] = await tx.query<HealthCheckRow>(
    `INSERT INTO health_checks (id, workspace_id, connection_id, ok, response_time_ms, error_code, error_message) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [crypto.randomUUID(), input.workspaceId, input.connectionId, input.ok, input.responseTimeMs, input.errorCode ?? null, input.errorMessage ?? null],
  );
  return toHealthCheck(row!);
}

/** Newest first. */
export async function listHealthChecks(tx: Queryable, workspaceId: string, connectionId: string, page: PageRequest): Promise<PageOf<HealthCheck>> {
  const rows = await newestFirst<HealthCheckRow>(tx, { table: 'health_checks', at: 'checked_at' }, { workspaceId, connectionId }, page);
  return { items: rows.items.map(toHealthCheck), nextCursor: rows.nextCursor };
}
