import { parseDefinition, type ConnectorDefinition } from '../connectors/runtime/define.js';
import type { Queryable } from './db.js';

/**
 * A workspace's own connector definitions, stored as the JSON they arrived as (already checked by
 * `parseDefinition`); the caller parses them again when it reads them, so a definition is always
 * seen through the current schema.
 */
export interface StoredCustomConnector {
  id: string;
  definition: unknown;
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  id: string;
  definition: unknown;
  created_at: Date;
  updated_at: Date;
}

const toStored = (row: Row): StoredCustomConnector => ({ id: row.id, definition: row.definition, createdAt: row.created_at, updatedAt: row.updated_at });

/** Creates or replaces; returns whether it was new. */
export async function saveCustomConnector(tx: Queryable, input: { workspaceId: string; id: string; definition: unknown; createdBy: string | null }): Promise<boolean> {
  const [row] = await tx.query<{ inserted: boolean }>(
    `INSERT INTO connectors_custom (workspace_id, id, definition, created_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (workspace_id, id) DO UPDATE SET definition = excluded.definition, updated_at = now()
     RETURNING (xmax = 0) AS inserted`,
    [input.workspaceId, input.id, JSON.stringify(input.definition), input.createdBy],
  );
  return row?.inserted ?? false;
}

export async function getCustomConnector(tx: Queryable, workspaceId: string, id: string): Promise<StoredCustomConnector | undefined> {
  const [row] = await tx.query<Row>(`SELECT id, definition, created_at, updated_at FROM connectors_custom WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return row && toStored(row);
}

export async function listCustomConnectors(tx: Queryable, workspaceId: string): Promise<StoredCustomConnector[]> {
  const rows = await tx.query<Row>(`SELECT id, definition, created_at, updated_at FROM connectors_custom WHERE workspace_id = $1 ORDER BY id`, [workspaceId]);
  return rows.map(toStored);
}

export async function deleteCustomConnector(tx: Queryable, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx.query(`DELETE FROM connectors_custom WHERE workspace_id = $1 AND id = $2 RETURNING id`, [workspaceId, id]);
  return rows.length > 0;
}

/** A connector a workspace can use: a built-in, or one of its own custom definitions. */
export interface AvailableConnector {
  definition: ConnectorDefinition;
  custom: boolean;
}

/** Built-ins first: a custom definition can never shadow one (their ids are refused when saved). */
export async function findConnector(tx: Queryable, builtIns: readonly ConnectorDefinition[], workspaceId: string, id: string): Promise<AvailableConnector | undefined> {
  const builtIn = builtIns.find((d) => d.id === id);
  if (builtIn) return { definition: builtIn, custom: false };
  const stored = await getCustomConnector(tx, workspaceId, id);
  return stored && asAvailable(stored);
}

export async function listAvailableConnectors(tx: Queryable, builtIns: readonly ConnectorDefinition[], workspaceId: string): Promise<AvailableConnector[]> {
  const custom = (await listCustomConnectors(tx, workspaceId)).map(asAvailable).filter((c) => c !== undefined);
  return [...builtIns.map((definition) => ({ definition, custom: false })), ...custom];
}

// A stored definition that a later schema no longer accepts is left out rather than half-read.
function asAvailable(stored: StoredCustomConnector): AvailableConnector | undefined {
  const parsed = parseDefinition(stored.definition);
  return parsed.ok ? { definition: parsed.definition, custom: true } : undefined;
}
