import type { Connection, ConnectionError, ConnectionMode, ConnectionSchedule, ConnectionStatus } from '../domain/connections.js';
import type { Queryable } from './db.js';

/** Connections: rows ↔ domain objects, always filtered by workspace. */
interface ConnectionRow {
  id: string;
  workspace_id: string;
  connector_id: string;
  name: string;
  mode: ConnectionMode;
  status: ConnectionStatus;
  auth_method: string;
  config: Record<string, unknown>;
  credential_id: string | null;
  credential_hint: string | null;
  selected_streams: string[] | null;
  discovery: unknown;
  last_error: ConnectionError | null;
  last_tested_at: Date | null;
  schedule_cron: string | null;
  schedule_timezone: string;
  next_run_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const toConnection = (row: ConnectionRow): Connection => ({
  id: row.id,
  workspaceId: row.workspace_id,
  connectorId: row.connector_id,
  name: row.name,
  mode: row.mode,
  status: row.status,
  authMethod: row.auth_method,
  config: row.config,
  credentialId: row.credential_id,
  credentialHint: row.credential_hint,
  selectedStreams: row.selected_streams,
  discovery: row.discovery,
  lastError: row.last_error,
  lastTestedAt: row.last_tested_at,
  schedule: { cron: row.schedule_cron, timezone: row.schedule_timezone },
  nextRunAt: row.next_run_at,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const selectConnection = `
  SELECT c.*, cr.hint AS credential_hint
    FROM connections c LEFT JOIN credentials cr ON cr.id = c.credential_id AND cr.workspace_id = c.workspace_id`;

export interface NewConnection {
  workspaceId: string;
  connectorId: string;
  name: string;
  mode: ConnectionMode;
  authMethod: string;
  config: Record<string, unknown>;
  credentialId: string | null;
  selectedStreams: string[] | null;
  createdBy: string | null;
}

export async function createConnection(tx: Queryable, input: NewConnection): Promise<Connection> {
  const id = crypto.randomUUID();
  await tx.query(
    `INSERT INTO connections (id, workspace_id, connector_id, name, mode, status, auth_method, config, credential_id, selected_streams, created_by)
     VALUES ($1, $2, $3, $4, $5, 'configuring', $6, $7, $8, $9, $10)`,
    [id, input.workspaceId, input.connectorId, input.name, input.mode, input.authMethod, JSON.stringify(input.config), input.credentialId, json(input.selectedStreams), input.createdBy],
  );
  return (await getConnection(tx, input.workspaceId, id))!;
}

export async function getConnection(tx: Queryable, workspaceId: string, id: string): Promise<Connection | undefined> {
  const [row] = await tx.query<ConnectionRow>(`${selectConnection} WHERE c.workspace_id = $1 AND c.id = $2`, [workspaceId, id]);
  return row && toConnection(row);
}

/** Locks the row for the rest of the transaction, so two status changes cannot interleave. */
export async function lockConnection(tx: Queryable, workspaceId: string, id: string): Promise<Connection | undefined> {
  const [row] = await tx.query<ConnectionRow>(`${selectConnection} WHERE c.workspace_id = $1 AND c.id = $2 FOR UPDATE OF c`, [workspaceId, id]);
  return row && toConnection(row);
}

export async function listConnections(tx: Queryable, workspaceId: string, filter: { connectorId?: string; status?: ConnectionStatus } = {}): Promise<Connection[]> {
  const rows = await tx.query<ConnectionRow>(
    `${selectConnection} WHERE c.workspace_id = $1 AND ($2::text IS NULL OR c.connector_id = $2) AND ($3::text IS NULL OR c.status = $3)
     ORDER BY c.created_at, c.id`,
    [workspaceId, filter.connectorId ?? null, filter.status ?? null],
  );
  return rows.map(toConnection);
}

export async function countConnectionsOf(tx: Queryable, workspaceId: string, connectorId: string): Promise<number> {
  const [row] = await tx.query<{ count: number }>(`SELECT count(*)::int AS count FROM connections WHERE workspace_id = $1 AND connector_id = $2`, [workspaceId, connectorId]);
  return row?.count ?? 0;
}

/** The fields a change may set; only those given are written. */
export interface ConnectionChange {
  name?: string;
  status?: ConnectionStatus;
  config?: Record<string, unknown>;
  credentialId?: string | null;
  selectedStreams?: string[] | null;
  discovery?: unknown;
  lastError?: ConnectionError | null;
  lastTestedAt?: Date;
  schedule?: ConnectionSchedule;
  nextRunAt?: Date | null;
}

const columns: Record<Exclude<keyof ConnectionChange, 'schedule'>, { column: string; encode?: (value: unknown) => unknown }> = {
  name: { column: 'name' },
  status: { column: 'status' },
  config: { column: 'config', encode: (v) => JSON.stringify(v) },
  credentialId: { column: 'credential_id' },
  selectedStreams: { column: 'selected_streams', encode: json },
  discovery: { column: 'discovery', encode: json },
  lastError: { column: 'last_error', encode: json },
  lastTestedAt: { column: 'last_tested_at' },
  nextRunAt: { column: 'next_run_at' },
};

export async function updateConnection(tx: Queryable, workspaceId: string, id: string, change: ConnectionChange): Promise<Connection | undefined> {
  const sets: string[] = [];
  const params: unknown[] = [workspaceId, id];
  for (const [key, value] of Object.entries(change) as Array<[keyof ConnectionChange, unknown]>) {
    if (value === undefined) continue;
    if (key === 'schedule') {
      const schedule = value as ConnectionSchedule;
      params.push(schedule.cron, schedule.timezone);
      sets.push(`schedule_cron = $${params.length - 1}`, `schedule_timezone = $${params.length}`);
      continue;
    }
    const { column, encode } = columns[key as Exclude<keyof ConnectionChange, 'schedule'>];
    params.push(encode ? encode(value) : value);
    sets.push(`${column} = $${params.length}`);
  }
  await tx.query(`UPDATE connections SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE workspace_id = $1 AND id = $2`, params);
  return getConnection(tx, workspaceId, id);
}

export async function deleteConnection(tx: Queryable, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx.query(`DELETE FROM connections WHERE workspace_id = $1 AND id = $2 RETURNING id`, [workspaceId, id]);
  return rows.length > 0;
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
