import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { TributaryError } from '../../domain/errors.js';
import { createCredential, readCredentialSecret } from '../credential-repository.js';
import { CredentialVault } from './credential-vault.js';
import { loadKeyring } from './keyring.js';
import { rotateKeys } from './rotate-keys.js';

interface Seeded {
  id: string;
  workspaceId: string;
  secret: string;
}

interface StoredRow {
  id: string;
  workspace_id: string;
  ciphertext: string;
  key_id: string;
  updated_at: Date;
}

describe('rotateKeys', () => {
  let t: TestDatabase;
  let dataDir: string;
  const workspaces = [crypto.randomUUID(), crypto.randomUUID()];

  beforeAll(async () => {
    t = await openTestDatabase();
    await t.db.asSystem(async (tx) => {
      for (const [i, id] of workspaces.entries()) await tx.query(`INSERT INTO workspaces (id, name) VALUES ($1, $2)`, [id, `workspace ${i}`]);
    });
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-rotate-'));
    await t.db.asSystem((tx) => tx.query(`DELETE FROM credentials`));
  });
  afterEach(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  /** Several credentials in each workspace, each with its own secret. */
  async function seed(vault: CredentialVault, perWorkspace = 4): Promise<Seeded[]> {
    const seeded: Seeded[] = [];
    for (const workspaceId of workspaces) {
      await t.db.withWorkspace(workspaceId, async (tx) => {
        for (let i = 0; i < perWorkspace; i++) {
          const secret = `sk_live_${crypto.randomBytes(12).toString('hex')}`;
          const { id } = await createCredential(tx, vault, { workspaceId, label: `key ${i}`, secret });
          seeded.push({ id, workspaceId, secret });
        }
      });
    }
    return seeded;
  }

  const storedRows = () =>
    t.db.asSystem((tx) => tx.query<StoredRow>(`SELECT id, workspace_id, ciphertext, key_id, updated_at FROM credentials ORDER BY id`));

  /** Every column of every row, as text: what someone with a copy of the database would see. */
  const everyColumnAsText = () => t.db.asSystem((tx) => tx.query<{ row: string }>(`SELECT c::text AS row FROM credentials c`));

  const read = (vault: CredentialVault, c: Seeded) => t.db.withWorkspace(c.workspaceId, (tx) => readCredentialSecret(tx, vault, c.workspaceId, c.id));

  const envKey = (id: string) => `${id}:${crypto.randomBytes(32).toString('base64')}`;
  const fromEnv = (encryptionKey: string) => loadKeyring({ encryptionKey, dataDir });

  it('adds a key to the key file and re-encrypts every credential under it, losing nothing', async () => {
    const before = await loadKeyring({ encryptionKey: undefined, dataDir });
    const oldKeyId = before.keyring.primaryId;
    const seeded = await seed(new CredentialVault(before.keyring));
    const oldRows = await storedRows();
    expect(oldRows.map((r) => r.key_id)).toEqual(seeded.map(() => oldKeyId));

    const result = await rotateKeys({ db: t.db, keys: before, batchSize: 3 });

    const after = await loadKeyring({ encryptionKey: undefined, dataDir });
    expect(after.keyring.ids).toEqual([result.primaryKeyId, oldKeyId]);
    expect(result).toEqual({ primaryKeyId: after.keyring.primaryId, previousPrimaryKeyId: oldKeyId, reencrypted: seeded.length });
    expect(result.primaryKeyId).not.toBe(oldKeyId);

    const vault = new CredentialVault(after.keyring);
    for (const c of seeded) expect(await read(vault, c)).toBe(c.secret);
    const newRows = await storedRows();
    for (const row of newRows) {
      expect(row.key_id).toBe(result.primaryKeyId);
      expect(vault.keyIdOf(row.ciphertext)).toBe(result.primaryKeyId);
      expect(row.ciphertext).not.toContain(`.${oldKeyId}.`);
      expect(oldRows.map((r) => r.ciphertext)).not.toContain(row.ciphertext);
    }

    // The old key stays in the ring, so a ciphertext from before the rotation (a backup, say) still opens.
    const old = oldRows[0]!;
    expect(vault.decrypt(old.ciphertext, `credential:${old.workspace_id}:${old.id}`)).toBe(seeded.find((c) => c.id === old.id)!.secret);
  });

  it('stores no secret in plain text, before or after a rotation', async () => {
    const loaded = await loadKeyring({ encryptionKey: undefined, dataDir });
    const seeded = await seed(new CredentialVault(loaded.keyring));
    const check = async () => {
      const rows = await everyColumnAsText();
      expect(rows).toHaveLength(seeded.length);
      for (const { row } of rows) for (const c of seeded) expect(row).not.toContain(c.secret);
    };
    await check();
    await rotateKeys({ db: t.db, keys: loaded });
    await check();
  });

  it('re-encrypts under the primary of TRIBUTARY_ENCRYPTION_KEY without changing any key', async () => {
    const [oldEntry, newEntry] = [envKey('old'), envKey('new')];
    const seeded = await seed(new CredentialVault((await fromEnv(oldEntry)).keyring));
    const keys = await fromEnv(`${newEntry},${oldEntry}`);

    expect(await rotateKeys({ db: t.db, keys, batchSize: 2 })).toEqual({ primaryKeyId: 'new', previousPrimaryKeyId: 'old', reencrypted: seeded.length });
    expect(await fs.readdir(dataDir)).toEqual([]);
    expect((await storedRows()).map((r) => r.key_id)).toEqual(seeded.map(() => 'new'));
    expect((await rotateKeys({ db: t.db, keys })).reencrypted).toBe(0);

    // The old key is no longer needed: a keyring holding only the new key reads everything.
    const newOnly = new CredentialVault((await fromEnv(newEntry)).keyring);
    for (const c of seeded) expect(await read(newOnly, c)).toBe(c.secret);
  });

  it('changes nothing when one secret cannot be decrypted midway', async () => {
    const oldEntry = envKey('old');
    await seed(new CredentialVault((await fromEnv(oldEntry)).keyring), 5);
    const rows = await storedRows();
    // Copying a ciphertext to another row breaks that row's context binding; it sits past the first batches.
    await t.db.asSystem((tx) => tx.query(`UPDATE credentials SET ciphertext = $1 WHERE id = $2`, [rows[0]!.ciphertext, rows[7]!.id]));
    const before = await storedRows();

    const failure = await rotateKeys({ db: t.db, keys: await fromEnv(`${envKey('new')},${oldEntry}`), batchSize: 2 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TributaryError);
    expect((failure as TributaryError).code).toBe('decryption_failed');
    expect(await storedRows()).toEqual(before);
  });

  it('answers key_unavailable naming the old key when the key file is lost, and changes nothing', async () => {
    const before = await loadKeyring({ encryptionKey: undefined, dataDir });
    const oldKeyId = before.keyring.primaryId;
    const seeded = await seed(new CredentialVault(before.keyring));
    const rows = await storedRows();

    await fs.rm(path.join(dataDir, 'keyring.json'));
    const fresh = await loadKeyring({ encryptionKey: undefined, dataDir });
    expect(fresh.created).toBe(true);

    const failure = await read(new CredentialVault(fresh.keyring), seeded[0]!).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TributaryError);
    expect((failure as TributaryError).code).toBe('key_unavailable');
    expect((failure as TributaryError).details).toEqual({ keyId: oldKeyId });
    expect((failure as TributaryError).message).toContain(`"${oldKeyId}"`);

    const rotation = await rotateKeys({ db: t.db, keys: fresh }).catch((e: unknown) => e);
    expect((rotation as TributaryError).code).toBe('key_unavailable');
    expect(await storedRows()).toEqual(rows);
  });
});
