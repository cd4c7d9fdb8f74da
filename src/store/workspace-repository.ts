import type { Member, Workspace } from '../domain/accounts.js';
import { roles, type Role } from '../domain/roles.js';
import type { Queryable } from './db.js';

interface WorkspaceRow {
  id: string;
  name: string;
  created_at: Date;
  updated_at: Date;
}

const toWorkspace = (row: WorkspaceRow): Workspace => ({ id: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at });

const toRole = (value: string): Role => {
  if (!(roles as readonly string[]).includes(value)) throw new Error(`unknown role in store: ${value}`);
  return value as Role;
};

/** Creates a workspace and makes `ownerId` its owner. Needs system scope: the workspace does not exist yet. */
export async function createWorkspace(tx: Queryable, input: { name: string; ownerId: string }): Promise<Workspace> {
  const [row] = await tx.query<WorkspaceRow>(`INSERT INTO workspaces (id, name) VALUES ($1, $2) RETURNING *`, [crypto.randomUUID(), input.name.trim()]);
  await addMember(tx, row!.id, input.ownerId, 'owner');
  return toWorkspace(row!);
}

export async function getWorkspace(tx: Queryable, id: string): Promise<Workspace | undefined> {
  const [row] = await tx.query<WorkspaceRow>(`SELECT * FROM workspaces WHERE id = $1`, [id]);
  return row && toWorkspace(row);
}

export async function renameWorkspace(tx: Queryable, id: string, name: string): Promise<Workspace | undefined> {
  const [row] = await tx.query<WorkspaceRow>(`UPDATE workspaces SET name = $2, updated_at = now() WHERE id = $1 RETURNING *`, [id, name.trim()]);
  return row && toWorkspace(row);
}

export async function deleteWorkspace(tx: Queryable, id: string): Promise<boolean> {
  const rows = await tx.query(`DELETE FROM workspaces WHERE id = $1 RETURNING id`, [id]);
  return rows.length > 0;
}

/** Every workspace the user belongs to, oldest membership first. Needs system scope. */
export async function listWorkspacesOfUser(tx: Queryable, userId: string): Promise<Array<Workspace & { role: Role }>> {
  const rows = await tx.query<WorkspaceRow & { role: string }>(
    `SELECT w.*, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = $1 ORDER BY m.created_at, w.id`,
    [userId],
  );
  return rows.map((row) => ({ ...toWorkspace(row), role: toRole(row.role) }));
}

interface MemberRow {
  user_id: string;
  email: string;
  name: string | null;
  role: string;
  active: boolean;
  created_at: Date;
}

const toMember = (row: MemberRow): Member => ({
  userId: row.user_id,
  email: row.email,
  name: row.name,
  role: toRole(row.role),
  active: row.active,
  joinedAt: row.created_at,
});

const memberSelect = `SELECT m.user_id, u.email, u.name, m.role, m.created_at,
  (u.password_hash IS NOT NULL OR EXISTS (SELECT 1 FROM external_identities e WHERE e.user_id = u.id)) AS active
  FROM memberships m JOIN users u ON u.id = m.user_id`;

export async function addMember(tx: Queryable, workspaceId: string, userId: string, role: Role): Promise<void> {
  await tx.query(`INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)`, [workspaceId, userId, role]);
}

export async function getMember(tx: Queryable, workspaceId: string, userId: string): Promise<Member | undefined> {
  const [row] = await tx.query<MemberRow>(`${memberSelect} WHERE m.workspace_id = $1 AND m.user_id = $2`, [workspaceId, userId]);
  return row && toMember(row);
}

export async function listMembers(tx: Queryable, workspaceId: string): Promise<Member[]> {
  const rows = await tx.query<MemberRow>(`${memberSelect} WHERE m.workspace_id = $1 ORDER BY m.created_at, u.email`, [workspaceId]);
  return rows.map(toMember);
}

export async function setMemberRole(tx: Queryable, workspaceId: string, userId: string, role: Role): Promise<void> {
  await tx.query(`UPDATE memberships SET role = $3 WHERE workspace_id = $1 AND user_id = $2`, [workspaceId, userId, role]);
}

export async function removeMember(tx: Queryable, workspaceId: string, userId: string): Promise<void> {
  await tx.query(`DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [workspaceId, userId]);
}

export async function countOwners(tx: Queryable, workspaceId: string): Promise<number> {
  const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM memberships WHERE workspace_id = $1 AND role = 'owner'`, [workspaceId]);
  return row?.n ?? 0;
}
