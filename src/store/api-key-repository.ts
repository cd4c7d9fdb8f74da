import type { ApiKey } from '../domain/accounts.js';
import type { Role } from '../domain/roles.js';
import type { Queryable } from './db.js';

interface ApiKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  role: Role;
  hint: string;
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  role: row.role,
  hint: row.hint,
  createdBy: row.created_by,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

export async function createApiKey(
  tx: Queryable,
  input: { workspaceId: string; name: string; role: Role; keyHash: string; hint: string; createdBy: string | null },
): Promise<ApiKey> {
  const [row] = await tx.query<ApiKeyRow>(
    `INSERT INTO api_keys (id, workspace_id, name, role, key_hash, hint, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [crypto.randomUUID(), input.workspaceId, input.name.trim(), input.role, input.keyHash, input.hint, input.createdBy],
  );
  return toApiKey(row!);
}

export async function listApiKeys(tx: Queryable, workspaceId: string): Promise<ApiKey[]> {
  const rows = await tx.query<ApiKeyRow>(`SELECT * FROM api_keys WHERE workspace_id = $1 ORDER BY created_at DESC, id`, [workspaceId]);
  return rows.map(toApiKey);
}

export async function getApiKey(tx: Queryable, workspaceId: string, id: string): Promise<ApiKey | undefined> {
  const [row] = await tx.query<ApiKeyRow>(`SELECT * FROM api_keys WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return row && toApiKey(row);
}

export async function revokeApiKey(tx: Queryable, workspaceId: string, id: string): Promise<ApiKey | undefined> {
  const [row] = await tx.query<ApiKeyRow>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE workspace_id = $1 AND id = $2 RETURNING *`,
    [workspaceId, id],
  );
  return row && toApiKey(row);
}

/**
 * The live key with this hash, marking it used. System scope: the key tells which workspace.
 * `last_used_at` is written at most once a minute so authenticated reads stay reads.
 */
export async function useApiKey(tx: Queryable, keyHash: string): Promise<ApiKey | undefined> {
  const [row] = await tx.query<ApiKeyRow>(`SELECT * FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`, [keyHash]);
  if (!row) return undefined;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await tx.query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [row.id]);
  }
  return toApiKey(row);
}
