import { notFound } from '../domain/errors.js';
import { maskSecret } from '../domain/mask.js';
import type { Queryable } from './db.js';
import type { CredentialVault } from './vault/credential-vault.js';

/**
 * Secrets of outside systems, stored only as vault ciphertexts. Reading the secret back is a
 * separate, explicit call; the listing carries the masked hint and never the secret.
 */
export interface Credential {
  id: string;
  label: string;
  /** The masked secret shown to people (`pat-…a1b2`). */
  hint: string;
  /** The vault key the secret is encrypted with. */
  keyId: string;
  createdAt: Date;
  updatedAt: Date;
}

interface CredentialRow {
  id: string;
  label: string;
  hint: string;
  key_id: string;
  created_at: Date;
  updated_at: Date;
}

const toCredential = (row: CredentialRow): Credential => ({
  id: row.id,
  label: row.label,
  hint: row.hint,
  keyId: row.key_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Binds a ciphertext to its row: copied to another credential or workspace, it no longer decrypts. */
const contextOf = (workspaceId: string, id: string) => `credential:${workspaceId}:${id}`;

export async function createCredential(
  tx: Queryable,
  vault: CredentialVault,
  input: { workspaceId: string; label: string; secret: string; hint?: string },
): Promise<{ id: string; hint: string; keyId: string }> {
  const id = crypto.randomUUID();
  const hint = input.hint ?? maskSecret(input.secret);
  await tx.query(`INSERT INTO credentials (id, workspace_id, label, ciphertext, key_id, hint) VALUES ($1, $2, $3, $4, $5, $6)`, [
    id,
    input.workspaceId,
    input.label.trim(),
    vault.encrypt(input.secret, contextOf(input.workspaceId, id)),
    vault.primaryKeyId,
    hint,
  ]);
  return { id, hint, keyId: vault.primaryKeyId };
}

export async function readCredentialSecret(tx: Queryable, vault: CredentialVault, workspaceId: string, id: string): Promise<string> {
  const [row] = await tx.query<{ ciphertext: string }>(`SELECT ciphertext FROM credentials WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  if (!row) throw notFound('credential');
  return vault.decrypt(row.ciphertext, contextOf(workspaceId, id));
}

export async function replaceCredentialSecret(
  tx: Queryable,
  vault: CredentialVault,
  workspaceId: string,
  id: string,
  secret: string,
  hint = maskSecret(secret),
): Promise<{ hint: string; keyId: string }> {
  const rows = await tx.query(
    `UPDATE credentials SET ciphertext = $3, key_id = $4, hint = $5, updated_at = now() WHERE workspace_id = $1 AND id = $2 RETURNING id`,
    [workspaceId, id, vault.encrypt(secret, contextOf(workspaceId, id)), vault.primaryKeyId, hint],
  );
  if (rows.length === 0) throw notFound('credential');
  return { hint, keyId: vault.primaryKeyId };
}

export async function deleteCredential(tx: Queryable, workspaceId: string, id: string): Promise<void> {
  const rows = await tx.query(`DELETE FROM credentials WHERE workspace_id = $1 AND id = $2 RETURNING id`, [workspaceId, id]);
  if (rows.length === 0) throw notFound('credential');
}

export async function listCredentials(tx: Queryable, workspaceId: string): Promise<Credential[]> {
  const rows = await tx.query<CredentialRow>(
    `SELECT id, label, hint, key_id, created_at, updated_at FROM credentials WHERE workspace_id = $1 ORDER BY created_at, id`,
    [workspaceId],
  );
  return rows.map(toCredential);
}

/** How many of the workspace's secrets each vault key encrypts: a key missing from the keyring makes its secrets unreadable. */
export async function countCredentialsByKey(tx: Queryable, workspaceId: string): Promise<Array<{ keyId: string; secrets: number }>> {
  const rows = await tx.query<{ key_id: string; secrets: number }>(
    `SELECT key_id, count(*)::int AS secrets FROM credentials WHERE workspace_id = $1 GROUP BY key_id ORDER BY key_id`,
    [workspaceId],
  );
  return rows.map((row) => ({ keyId: row.key_id, secrets: row.secrets }));
}

/**
 * Re-encrypts every credential not under the vault's primary key, in every workspace (system
 * scope; key rotation). Rows are read in id order, `batchSize` at a time, and locked so a
 * concurrent replace cannot be overwritten with the older secret. Run it in one transaction: a row
 * that fails to decrypt throws and the caller's rollback leaves every row as it was.
 * Returns how many rows were re-encrypted.
 */
export async function reencryptCredentials(tx: Queryable, vault: CredentialVault, batchSize: number): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000';
  let count = 0;
  for (;;) {
    const rows = await tx.query<{ id: string; workspace_id: string; ciphertext: string }>(
      `SELECT id, workspace_id, ciphertext FROM credentials WHERE key_id <> $1 AND id > $2 ORDER BY id LIMIT $3 FOR UPDATE`,
      [vault.primaryKeyId, after, batchSize],
    );
    if (rows.length === 0) return count;
    const ciphertexts = rows.map((row) => {
      const context = contextOf(row.workspace_id, row.id);
      return vault.encrypt(vault.decrypt(row.ciphertext, context), context);
    });
    await tx.query(
      `UPDATE credentials c SET ciphertext = v.ciphertext, key_id = $1, updated_at = now()
       FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS v(id, workspace_id, ciphertext)
       WHERE c.id = v.id AND c.workspace_id = v.workspace_id`,
      [vault.primaryKeyId, rows.map((row) => row.id), rows.map((row) => row.workspace_id), ciphertexts],
    );
    count += rows.length;
    after = rows.at(-1)!.id;
  }
}
