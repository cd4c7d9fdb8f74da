import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from '../../../test/support/api.js';

describe('workspaces', () => {
  let t: TestApi;
  let owner: Tenant;
  beforeAll(async () => {
    t = await startTestApi();
    owner = await signUpTenant(t.api, 'spaces');
  });
  afterAll(() => t.close());

  it('creates a second workspace, lists both, and acts in the one named by X-Workspace-Id or switched to', async () => {
    const created = await call(t.api, { method: 'POST', url: '/api/v1/workspaces', auth: owner.session, body: { name: 'Second' } });
    expect(created.statusCode).toBe(201);
    const second = created.json().id as string;
    const list = await call(t.api, { method: 'GET', url: '/api/v1/workspaces', auth: owner.session });
    expect(list.json().workspaces.map((w: { id: string; role: string }) => [w.id, w.role])).toEqual([
      [owner.workspaceId, 'owner'],
      [second, 'owner'],
    ]);

    const named = await call(t.api, { method: 'GET', url: '/api/v1/workspaces/current', auth: owner.session, headers: { 'x-workspace-id': second } });
    expect(named.json().workspace.id).toBe(second);
    expect((await call(t.api, { method: 'GET', url: '/api/v1/workspaces/current', auth: owner.session })).json().workspace.id).toBe(owner.workspaceId);

    const switched = await call(t.api, { method: 'POST', url: `/api/v1/workspaces/${second}/switch`, auth: owner.session });
    expect(switched.statusCode).toBe(200);
    expect((await call(t.api, { method: 'GET', url: '/api/v1/workspaces/current', auth: owner.session })).json().workspace.id).toBe(second);
  });

  it('renames and deletes', async () => {
    const created = await call(t.api, { method: 'POST', url: '/api/v1/workspaces', auth: owner.session, body: { name: 'Temp' } });
    const id = created.json().id as string;
    const renamed = await call(t.api, { method: 'PATCH', url: `/api/v1/workspaces/${id}`, auth: owner.session, body: { name: '  Renamed  ' } });
    expect(renamed.json().name).toBe('Renamed');
    expect((await call(t.api, { method: 'DELETE', url: `/api/v1/workspaces/${id}`, auth: owner.session })).statusCode).toBe(204);
    expect((await call(t.api, { method: 'GET', url: `/api/v1/workspaces/${id}`, auth: owner.session })).statusCode).toBe(404);
  });

  it('rejects an empty name with 400 naming the field', async () => {
    const res = await call(t.api, { method: 'POST', url: '/api/v1/workspaces', auth: owner.session, body: { name: '   ' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('name: name must not be empty');
  });

  it('answers 404 for a workspace id that does not exist or is not a uuid', async () => {
    for (const id of [crypto.randomUUID(), 'nope']) {
      const res = await call(t.api, { method: 'GET', url: `/api/v1/workspaces/${id}`, auth: owner.session });
      expect(res.statusCode).toBe(404);
    }
  });
});
