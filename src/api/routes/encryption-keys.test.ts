import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from '../../../test/support/api.js';
import { createCredential } from '../../store/credential-repository.js';
import { CredentialVault } from '../../store/vault/credential-vault.js';
import { Keyring } from '../../store/vault/keyring.js';

describe('GET /api/v1/encryption-keys', () => {
  let t: TestApi;
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    t = await startTestApi();
    a = await signUpTenant(t.api, 'keys-a');
    b = await signUpTenant(t.api, 'keys-b');
  });
  afterAll(() => t.close());

  const status = (auth: Tenant['session'] | Tenant['apiKey']) => call(t.api, { method: 'GET', url: '/api/v1/encryption-keys', auth });
  const keyWithRole = async (tenant: Tenant, role: string) => {
    const created = await call(t.api, { method: 'POST', url: '/api/v1/api-keys', auth: tenant.session, body: { name: `${role} key`, role } });
    return { bearer: created.json().key as string };
  };

  it('answers 401 without credentials, and 403 to a viewer or a member', async () => {
    expect((await call(t.api, { method: 'GET', url: '/api/v1/encryption-keys' })).statusCode).toBe(401);
    for (const role of ['viewer', 'member']) {
      const res = await status(await keyWithRole(a, role));
      expect(res.statusCode, role).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'forbidden', message: `Your role (${role}) does not allow this (encryption_keys.read).` });
    }
  });

  it('shows an admin the keys by id, where they come from, and this workspace’s secrets counted by key', async () => {
    const created = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'hubspot', secrets: { token: 'pat-na1-00000000-aaaa-bbbb-cccc-000000000001' } } });
    expect(created.statusCode).toBe(201);
    const res = await status(await keyWithRole(a, 'admin'));
    expect(res.statusCode).toBe(200);
    // The whole answer: nothing beyond ids and counts leaves.
    expect(res.json()).toEqual({
      source: 'env',
      primaryKeyId: 'k_test',
      keyIds: ['k_test'],
      secrets: [{ keyId: 'k_test', secrets: 1, inKeyring: true, primary: true }],
      allReadable: true,
    });
  });

  it('counts only the caller’s workspace, and names a key the hub lacks as unreadable', async () => {
    expect((await status(b.session)).json()).toMatchObject({ secrets: [], allReadable: true });
    const lost = new CredentialVault(new Keyring('k_lost', new Map([['k_lost', crypto.randomBytes(32)]])));
    await t.store.db.withWorkspace(b.workspaceId, (tx) => createCredential(tx, lost, { workspaceId: b.workspaceId, label: 'old token', secret: 'sk-written-before-the-key-was-lost' }));

    const seenByB = (await status(b.session)).json();
    expect(seenByB.secrets).toEqual([{ keyId: 'k_lost', secrets: 1, inKeyring: false, primary: false }]);
    expect(seenByB.allReadable).toBe(false);
    const seenByA = (await status(a.session)).json();
    expect(seenByA.secrets).toEqual([{ keyId: 'k_test', secrets: 1, inKeyring: true, primary: true }]);
    expect(seenByA.allReadable).toBe(true);
  });
});
