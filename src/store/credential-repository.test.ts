import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { TributaryError } from '../domain/errors.js';
import {
  createCredential,
  deleteCredential,
  listCredentials,
  readCredentialSecret,
  replaceCredentialSecret,
} from './credential-repository.js';
import { CredentialVault } from './vault/credential-vault.js';
import { Keyring } from './vault/keyring.js';

const vault = new CredentialVault(new Keyring('k_test', new Map([['k_test', crypto.randomBytes(32)]])));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error instanceof TributaryError ? error.code : String(error)),
  );
}

describe('credential repository', () => {
  let t: TestDatabase;
  const a = crypto.randomUUID();
  const b = crypto.randomUUID();
  beforeAll(async () => {
    t = await openTestDatabase();
    await t.db.asSystem(async (tx) => {
      for (const [id, name] of [[a, 'alpha'], [b, 'bravo']]) await tx.query(`INSERT INTO workspaces (id, name) VALUES ($1, $2)`, [id, name]);
    });
  });
  afterAll(() => t.close());

  it('another workspace gets not_found for every operation on a credential', async () => {
    const { id } = await t.db.withWorkspace(a, (tx) => createCredential(tx, vault, { workspaceId: a, label: 'alpha key', secret: 'sk_live_alpha_0123456789' }));
    // Filtered by workspace id, and hidden by row-level security even when asked for with A's id.
    for (const asked of [b, a]) {
      expect(await codeOf(t.db.withWorkspace(b, (tx) => readCredentialSecret(tx, vault, asked, id)))).toBe('not_found');
      expect(await codeOf(t.db.withWorkspace(b, (tx) => replaceCredentialSecret(tx, vault, asked, id, 'sk_live_taken_over_0000')))).toBe('not_found');
      expect(await codeOf(t.db.withWorkspace(b, (tx) => deleteCredential(tx, asked, id)))).toBe('not_found');
      expect(await t.db.withWorkspace(b, (tx) => listCredentials(tx, asked))).toEqual([]);
    }
    expect(await t.db.withWorkspace(a, (tx) => readCredentialSecret(tx, vault, a, id))).toBe('sk_live_alpha_0123456789');
  });

  it('creates, lists, reads, replaces and deletes a credential', async () => {
    const secret = 'pat-na1-4b8d2f6e-0c1a-4e3b-9d7f-a1b2';
    const created = await t.db.withWorkspace(b, (tx) => createCredential(tx, vault, { workspaceId: b, label: ' HubSpot ', secret }));
    expect(created).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), hint: 'pat-…a1b2', keyId: 'k_test' });

    const [listed, ...rest] = await t.db.withWorkspace(b, (tx) => listCredentials(tx, b));
    expect(rest).toEqual([]);
    expect(listed).toEqual({ id: created.id, label: 'HubSpot', hint: 'pat-…a1b2', keyId: 'k_test', createdAt: expect.any(Date), updatedAt: expect.any(Date) });
    expect(await t.db.withWorkspace(b, (tx) => readCredentialSecret(tx, vault, b, created.id))).toBe(secret);

    const replaced = await t.db.withWorkspace(b, (tx) => replaceCredentialSecret(tx, vault, b, created.id, 'pat-na1-new-secret-value-9z9z'));
    expect(replaced).toEqual({ hint: 'pat-…9z9z', keyId: 'k_test' });
    expect(await t.db.withWorkspace(b, (tx) => readCredentialSecret(tx, vault, b, created.id))).toBe('pat-na1-new-secret-value-9z9z');
    expect((await t.db.withWorkspace(b, (tx) => listCredentials(tx, b)))[0]!.hint).toBe('pat-…9z9z');

    await t.db.withWorkspace(b, (tx) => deleteCredential(tx, b, created.id));
    expect(await t.db.withWorkspace(b, (tx) => listCredentials(tx, b))).toEqual([]);
    expect(await codeOf(t.db.withWorkspace(b, (tx) => readCredentialSecret(tx, vault, b, created.id)))).toBe('not_found');
  });

  it('refuses a ciphertext copied to another credential or workspace', async () => {
    const source = await t.db.withWorkspace(a, (tx) => createCredential(tx, vault, { workspaceId: a, label: 'source', secret: 'sk_live_source_secret_1' }));
    const sameWorkspace = await t.db.withWorkspace(a, (tx) => createCredential(tx, vault, { workspaceId: a, label: 'target', secret: 'sk_live_target_secret_2' }));
    const otherWorkspace = await t.db.withWorkspace(b, (tx) => createCredential(tx, vault, { workspaceId: b, label: 'target', secret: 'sk_live_target_secret_3' }));
    await t.db.asSystem((tx) =>
      tx.query(`UPDATE credentials SET ciphertext = (SELECT ciphertext FROM credentials WHERE id = $1) WHERE id = ANY($2::uuid[])`, [
        source.id,
        [sameWorkspace.id, otherWorkspace.id],
      ]),
    );
    expect(await codeOf(t.db.withWorkspace(a, (tx) => readCredentialSecret(tx, vault, a, sameWorkspace.id)))).toBe('decryption_failed');
    expect(await codeOf(t.db.withWorkspace(b, (tx) => readCredentialSecret(tx, vault, b, otherWorkspace.id)))).toBe('decryption_failed');
    expect(await t.db.withWorkspace(a, (tx) => readCredentialSecret(tx, vault, a, source.id))).toBe('sk_live_source_secret_1');
  });
});
