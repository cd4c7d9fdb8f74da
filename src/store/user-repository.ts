import type { User } from '../domain/accounts.js';
import type { Queryable } from './db.js';

/** Users are global (not workspace data); look-ups that cross workspaces run in system scope. */
interface UserRow {
  id: string;
  email: string;
  name: string | null;
  password_hash: string | null;
  created_at: Date;
}

const toUser = (row: UserRow): User => ({ id: row.id, email: row.email, name: row.name, createdAt: row.created_at });

export interface UserWithPassword extends User {
  passwordHash: string | null;
}

export async function createUser(tx: Queryable, input: { email: string; name: string | null; passwordHash: string | null }): Promise<User> {
  const [row] = await tx.query<UserRow>(
    `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4) RETURNING *`,
    [crypto.randomUUID(), input.email.trim(), input.name, input.passwordHash],
  );
  return toUser(row!);
}

export async function findUserByEmail(tx: Queryable, email: string): Promise<UserWithPassword | undefined> {
  const [row] = await tx.query<UserRow>(`SELECT * FROM users WHERE lower(email) = lower($1)`, [email.trim()]);
  return row && { ...toUser(row), passwordHash: row.password_hash };
}

export async function getUser(tx: Queryable, id: string): Promise<User | undefined> {
  const [row] = await tx.query<UserRow>(`SELECT * FROM users WHERE id = $1`, [id]);
  return row && toUser(row);
}

export async function activateUser(tx: Queryable, id: string, input: { name: string | null; passwordHash: string }): Promise<User> {
  const [row] = await tx.query<UserRow>(
    `UPDATE users SET password_hash = $2, name = coalesce($3, name), updated_at = now() WHERE id = $1 RETURNING *`,
    [id, input.passwordHash, input.name],
  );
  return toUser(row!);
}

export async function findUserByExternalIdentity(tx: Queryable, issuer: string, subject: string): Promise<User | undefined> {
  const [row] = await tx.query<UserRow>(
    `SELECT u.* FROM external_identities e JOIN users u ON u.id = e.user_id WHERE e.issuer = $1 AND e.subject = $2`,
    [issuer, subject],
  );
  return row && toUser(row);
}

export async function linkExternalIdentity(tx: Queryable, input: { issuer: string; subject: string; userId: string }): Promise<void> {
  await tx.query(`INSERT INTO external_identities (issuer, subject, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
    input.issuer,
    input.subject,
    input.userId,
  ]);
}
