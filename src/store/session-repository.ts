import type { Role } from '../domain/roles.js';
import type { Queryable } from './db.js';

/** Browser sessions, found by the hash of their token. System scope: a session names its workspace. */
export interface SessionRecord {
  id: string;
  userId: string;
  currentWorkspaceId: string | null;
  expiresAt: Date;
}

export async function createSession(
  tx: Queryable,
  input: { tokenHash: string; userId: string; workspaceId: string | null; expiresAt: Date },
): Promise<SessionRecord> {
  const id = crypto.randomUUID();
  await tx.query(`INSERT INTO sessions (id, token_hash, user_id, current_workspace_id, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
    id,
    input.tokenHash,
    input.userId,
    input.workspaceId,
    input.expiresAt,
  ]);
  return { id, userId: input.userId, currentWorkspaceId: input.workspaceId, expiresAt: input.expiresAt };
}

/**
 * The live session for a token hash, with the caller's role in the workspace it asks for
 * (`workspaceId`, or else the session's current one). `role` is null when the user is not a
 * member there.
 */
export async function findSession(
  tx: Queryable,
  tokenHash: string,
  workspaceId: string | null,
): Promise<(SessionRecord & { workspaceId: string | null; role: Role | null }) | undefined> {
  const [row] = await tx.query<{ id: string; user_id: string; current_workspace_id: string | null; expires_at: Date; workspace_id: string | null; role: Role | null }>(
    `SELECT s.id, s.user_id, s.current_workspace_id, s.expires_at, m.workspace_id, m.role
       FROM sessions s
       LEFT JOIN memberships m ON m.user_id = s.user_id AND m.workspace_id = coalesce($2::uuid, s.current_workspace_id)
      WHERE s.token_hash = $1 AND s.expires_at > now()`,
    [tokenHash, workspaceId],
  );
  return (
    row && {
      id: row.id,
      userId: row.user_id,
      currentWorkspaceId: row.current_workspace_id,
      expiresAt: row.expires_at,
      workspaceId: row.workspace_id,
      role: row.role,
    }
  );
}

export async function setSessionWorkspace(tx: Queryable, sessionId: string, workspaceId: string | null): Promise<void> {
  await tx.query(`UPDATE sessions SET current_workspace_id = $2 WHERE id = $1`, [sessionId, workspaceId]);
}

export async function deleteSessionByTokenHash(tx: Queryable, tokenHash: string): Promise<void> {
  await tx.query(`DELETE FROM sessions WHERE token_hash = $1`, [tokenHash]);
}
