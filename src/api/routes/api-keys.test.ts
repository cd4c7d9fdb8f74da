import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from '../../../test/support/api.js';

describe('API keys', () => {
  let t: TestApi;
  let owner: Tenant;
  beforeAll(async () => {
    t = await startTestApi();
    owner = await signUpTenant(t.api, 'keys');
  });
  afterAll(() => t.close());

  it('shows a new key once, lists only its hint, and stores only a hash', async () => {
    const created = await call(t.api, { method: 'POST', url: '/api/v1/api-keys', auth: owner.session, body: { name: 'CI', role: 'viewer' } });
    expect(created.statusCode).toBe(201);
    const { key, id, hint } = created.json();
    expect(key).toMatch(/^trb_[\w-]{43}$/);
    expect(hint).toBe(`trb_…${key.slice(-4)}`);

    const list = await call(t.api, { method: 'GET', url: '/api/v1/api-keys', auth: owner.session });
    expect(list.body).not.toContain(key);
    expect(list.json().apiKeys.find((k: { id: string }) => k.id === id)).toMatchObject({ name: 'CI', role: 'viewer', hint, revokedAt: null });

    const stored = await t.store.db.asSystem((tx) => tx.query(`SELECT * FROM api_keys WHERE id = $1`, [id]));
    expect(JSON.stringify(stored)).not.toContain(key);
  });

  it('authenticates with Authorization: Bearer, acts with its role, and records its last use', async () => {
    const created = await call(t.api, { method: 'POST', url: '/api/v1/api-keys', auth: owner.session, body: { name: 'reader', role: 'viewer' } });
    const bearer = { bearer: created.json().key as string };
    const current = await call(t.api, { method: 'GET', url: '/api/v1/workspaces/current', auth: bearer });
    expect(current.statusCode).toBe(200);
    expect(current.json()).toMatchObject({ workspace: { id: owner.workspaceId }, role: 'viewer' });
    const manage = await call(t.api, { method: 'POST', url: '/api/v1/api-keys', auth: bearer, body: { name: 'escalate' } });
    expect(manage.statusCode).toBe(403);
    const shown = await call(t.api, { method: 'GET', url: `/api/v1/api-keys/${created.json().id}`, auth: owner.session });
    expect(shown.json().lastUsedAt).not.toBeNull();
  });

  it('stops working as soon as it is revoked', async () => {
    const created = await call(t.api, { method: 'POST', url: '/api/v1/api-keys', auth: owner.session, body: { name: 'temporary' } });
    const bearer = { bearer: created.json().key as string };
    expect((await call(t.api, { method: 'GET', url: '/api/v1/auth/me', auth: bearer })).statusCode).toBe(200);
    const revoked = await call(t.api, { method: 'DELETE', url: `/api/v1/api-keys/${created.json().id}`, auth: owner.session });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    const after = await call(t.api, { method: 'GET', url: '/api/v1/auth/me', auth: bearer });
    expect(after.statusCode).toBe(401);
  });

  it('cannot be created with a role above the creator’s', async () => {
    const admin = await call(t.api, { method: 'POST', url: '/api/v1/api-keys', auth: owner.session, body: { name: 'admin key', role: 'admin' } });
    const adminKey = { bearer: admin.json().key as string };
    const res = await call(t.api, { method: 'POST', url: '/api/v1/api-keys', auth: adminKey, body: { name: 'owner key', role: 'owner' } });
    expect(res.statusCode).toBe(403);
  });

  it('cannot act for a person: person-only routes answer 403', async () => {
    const res = await call(t.api, { method: 'POST', url: '/api/v1/workspaces', auth: owner.apiKey, body: { name: 'from a key' } });
    expect(res.statusCode).toBe(403);
  });
});
