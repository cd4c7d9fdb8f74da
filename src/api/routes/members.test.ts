import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, sessionOf, signUpTenant, startTestApi, type Tenant, type TestApi } from '../../../test/support/api.js';

/** A member with `role` in the owner's workspace, signed in. */
async function memberWithRole(t: TestApi, owner: Tenant, role: string): Promise<{ userId: string; session: { cookie: string } }> {
  const email = `${role}-${Math.random().toString(36).slice(2)}@example.test`;
  const added = await call(t.api, { method: 'POST', url: '/api/v1/members', auth: owner.session, body: { email, role } });
  expect(added.statusCode).toBe(201);
  const signup = await call(t.api, { method: 'POST', url: '/api/v1/auth/signup', body: { email, password: 'member password' } });
  return { userId: added.json().userId, session: { cookie: sessionOf(signup) } };
}

describe('members and roles', () => {
  let t: TestApi;
  let owner: Tenant;
  beforeAll(async () => {
    t = await startTestApi();
    owner = await signUpTenant(t.api, 'owner');
  });
  afterAll(() => t.close());

  it('lists members with their roles; an invited email shows as not yet active', async () => {
    await call(t.api, { method: 'POST', url: '/api/v1/members', auth: owner.session, body: { email: 'pending@example.test' } });
    const res = await call(t.api, { method: 'GET', url: '/api/v1/members', auth: owner.session });
    expect(res.statusCode).toBe(200);
    const members = res.json().members as Array<{ email: string; role: string; active: boolean }>;
    expect(members.find((m) => m.email === owner.email)).toMatchObject({ role: 'owner', active: true });
    expect(members.find((m) => m.email === 'pending@example.test')).toMatchObject({ role: 'member', active: false });
  });

  it('refuses a second membership with 409', async () => {
    const res = await call(t.api, { method: 'POST', url: '/api/v1/members', auth: owner.session, body: { email: owner.email } });
    expect(res.statusCode).toBe(409);
  });

  it('lets a viewer read but not manage (403)', async () => {
    const viewer = await memberWithRole(t, owner, 'viewer');
    expect((await call(t.api, { method: 'GET', url: '/api/v1/members', auth: viewer.session })).statusCode).toBe(200);
    const add = await call(t.api, { method: 'POST', url: '/api/v1/members', auth: viewer.session, body: { email: 'x@example.test' } });
    expect(add.statusCode).toBe(403);
    expect(add.json().error.code).toBe('forbidden');
    expect((await call(t.api, { method: 'GET', url: '/api/v1/api-keys', auth: viewer.session })).statusCode).toBe(403);
    expect((await call(t.api, { method: 'PATCH', url: `/api/v1/workspaces/${owner.workspaceId}`, auth: viewer.session, body: { name: 'x' } })).statusCode).toBe(403);
  });

  it('lets an admin manage members but not grant or touch owner', async () => {
    const admin = await memberWithRole(t, owner, 'admin');
    const grant = await call(t.api, { method: 'POST', url: '/api/v1/members', auth: admin.session, body: { email: 'promoted@example.test', role: 'owner' } });
    expect(grant.statusCode).toBe(403);
    const demote = await call(t.api, { method: 'PATCH', url: `/api/v1/members/${owner.userId}`, auth: admin.session, body: { role: 'viewer' } });
    expect(demote.statusCode).toBe(403);
    const remove = await call(t.api, { method: 'DELETE', url: `/api/v1/members/${owner.userId}`, auth: admin.session });
    expect(remove.statusCode).toBe(403);
    const member = await memberWithRole(t, owner, 'member');
    const promote = await call(t.api, { method: 'PATCH', url: `/api/v1/members/${member.userId}`, auth: admin.session, body: { role: 'admin' } });
    expect(promote.statusCode).toBe(200);
    expect(promote.json().role).toBe('admin');
    const deleteWorkspace = await call(t.api, { method: 'DELETE', url: `/api/v1/workspaces/${owner.workspaceId}`, auth: admin.session });
    expect(deleteWorkspace.statusCode).toBe(403);
  });

  it('keeps at least one owner', async () => {
    const solo = await signUpTenant(t.api, 'solo');
    const demote = await call(t.api, { method: 'PATCH', url: `/api/v1/members/${solo.userId}`, auth: solo.session, body: { role: 'admin' } });
    expect(demote.statusCode).toBe(409);
    const leave = await call(t.api, { method: 'DELETE', url: `/api/v1/members/${solo.userId}`, auth: solo.session });
    expect(leave.statusCode).toBe(409);
  });

  it('rejects an unknown role with 400 naming the field', async () => {
    const res = await call(t.api, { method: 'POST', url: '/api/v1/members', auth: owner.session, body: { email: 'r@example.test', role: 'emperor' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0].field).toBe('role');
  });

  it('answers 400 for a member id that is not a uuid, and 404 for one that is not a member', async () => {
    const bad = await call(t.api, { method: 'DELETE', url: '/api/v1/members/not-a-uuid', auth: owner.session });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('userId');
    const missing = await call(t.api, { method: 'DELETE', url: `/api/v1/members/${crypto.randomUUID()}`, auth: owner.session });
    expect(missing.statusCode).toBe(404);
  });
});
