import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from './support/api.js';
import { ga4SandboxPropertyId } from '../src/connectors/definitions/ga4/sandbox.js';
import { acmeDefinition } from './support/custom-connector.js';
import { expectIsolated, type IsolationCase } from './support/isolation.js';

/**
 * Every route that takes a resource id, called by another workspace, answers 404. A route with a
 * path parameter and no case here fails the last test: add its case when you add the route.
 */
const cases: IsolationCase[] = [
  { route: 'GET /api/v1/workspaces/:id', setup: async (_api, a) => ({ id: a.workspaceId }) },
  { route: 'PATCH /api/v1/workspaces/:id', setup: async (_api, a) => ({ id: a.workspaceId }), body: { name: 'taken over' } },
  { route: 'POST /api/v1/workspaces/:id/switch', setup: async (_api, a) => ({ id: a.workspaceId }) },
  // Last among A's own workspace cases: A deleting its workspace succeeds, so it gets a fresh one.
  {
    route: 'DELETE /api/v1/workspaces/:id',
    setup: async (api, a) => {
      const res = await call(api, { method: 'POST', url: '/api/v1/workspaces', auth: a.session, body: { name: 'doomed' } });
      return { id: res.json().id as string };
    },
    ownerStatus: 204,
  },
  { route: 'GET /api/v1/api-keys/:id', setup: async (api, a) => ({ id: await apiKeyOf(api, a) }) },
  { route: 'DELETE /api/v1/api-keys/:id', setup: async (api, a) => ({ id: await apiKeyOf(api, a) }) },
  {
    route: 'PATCH /api/v1/members/:userId',
    setup: async (api, a) => ({ userId: await memberOf(api, a) }),
    body: { role: 'viewer' },
  },
  { route: 'DELETE /api/v1/members/:userId', setup: async (api, a) => ({ userId: await memberOf(api, a) }), ownerStatus: 204 },
  // Custom connectors belong to a workspace; the built-in catalog behind the same route is everyone's.
  { route: 'GET /api/v1/connectors/:id', setup: async (api, a) => ({ id: await customConnectorOf(api, a) }) },
  {
    route: 'PUT /api/v1/connectors/:id',
    setup: async (api, a) => ({ id: await customConnectorOf(api, a) }),
    body: (params: Record<string, string>) => ({ ...acmeDefinition, id: params.id, name: 'taken over' }),
  },
  { route: 'DELETE /api/v1/connectors/:id', setup: async (api, a) => ({ id: await customConnectorOf(api, a) }), ownerStatus: 204 },
  { route: 'GET /api/v1/connections/:id', setup: async (api, a) => ({ id: await connectionOf(api, a) }) },
  { route: 'PATCH /api/v1/connections/:id', setup: async (api, a) => ({ id: await connectionOf(api, a) }), body: { name: 'taken over' } },
  { route: 'POST /api/v1/connections/:id/test', setup: async (api, a) => ({ id: await connectionOf(api, a) }) },
  { route: 'POST /api/v1/connections/:id/disconnect', setup: async (api, a) => ({ id: await connectionOf(api, a) }) },
  { route: 'POST /api/v1/connections/:id/reconnect', setup: async (api, a) => ({ id: await connectionOf(api, a) }), body: {} },
  { route: 'GET /api/v1/connections/:id/events', setup: async (api, a) => ({ id: await connectionOf(api, a) }) },
  { route: 'GET /api/v1/connections/:id/health', setup: async (api, a) => ({ id: await connectionOf(api, a) }) },
  { route: 'DELETE /api/v1/connections/:id', setup: async (api, a) => ({ id: await connectionOf(api, a) }), ownerStatus: 204 },
  { route: 'POST /api/v1/connections/:id/runs', setup: async (api, a) => ({ id: await connectionOf(api, a) }), ownerStatus: 202 },
  { route: 'GET /api/v1/connections/:id/accounts', setup: async (api, a) => ({ id: await ga4ConnectionOf(api, a) }) },
  { route: 'PUT /api/v1/connections/:id/accounts', setup: async (api, a) => ({ id: await ga4ConnectionOf(api, a) }), body: { ids: [ga4SandboxPropertyId] } },
  {
    route: 'GET /api/v1/oauth/:connector/start',
    setup: async (api, a) => ({ connector: 'ga4', connectionId: await ga4ConnectionOf(api, a) }),
    query: ({ connectionId }) => ({ connectionId: connectionId! }),
    ownerStatus: 302,
  },
  { route: 'GET /api/v1/connections/:id/runs', setup: async (api, a) => ({ id: await connectionOf(api, a) }) },
  { route: 'GET /api/v1/runs/:id', setup: async (api, a) => ({ id: await runOf(api, a) }) },
  { route: 'POST /api/v1/runs/:id/cancel', setup: async (api, a) => ({ id: await runOf(api, a) }), ownerStatus: 202 },
  // A finished run, so the owner's event stream ends at once (this suite has no worker).
  { route: 'GET /api/v1/runs/:id/stream', setup: async (api, a) => ({ id: await runOf(api, a, { cancelled: true }) }) },
  { route: 'GET /api/v1/data/tables/:name', setup: async (_api, a) => ({ name: await tableOf(a) }) },
  { route: 'GET /api/v1/data/tables/:name/rows', setup: async (_api, a) => ({ name: await tableOf(a) }) },
];

async function runOf(api: TestApi['api'], a: Tenant, options: { cancelled?: boolean } = {}): Promise<string> {
  const res = await call(api, { method: 'POST', url: `/api/v1/connections/${await connectionOf(api, a)}/runs`, auth: a.session });
  const id = res.json().id as string;
  if (options.cancelled) await call(api, { method: 'POST', url: `/api/v1/runs/${id}/cancel`, auth: a.session });
  return id;
}

/** A table in A's dataset, written the way a sync writes it. */
async function tableOf(a: Tenant): Promise<string> {
  const destination = await t.warehouse.destination(a.workspaceId);
  await destination.write({ name: 'acme_secrets', primaryKey: ['id'] }, { records: [{ id: '1', plan: 'alpha-only' }], runId: crypto.randomUUID(), syncedAt: new Date() });
  return 'acme_secrets';
}

let customConnectors = 0;
async function customConnectorOf(api: TestApi['api'], a: Tenant): Promise<string> {
  customConnectors += 1;
  const res = await call(api, { method: 'POST', url: '/api/v1/connectors', auth: a.session, body: { ...acmeDefinition, id: `acme_${customConnectors}` } });
  return res.json().id as string;
}

async function connectionOf(api: TestApi['api'], a: Tenant): Promise<string> {
  const res = await call(api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'hubspot', name: 'isolated hubspot' } });
  return res.json().id as string;
}

/** A GA4 sandbox connection signing in with OAuth (its sandbox token until someone signs in). */
async function ga4ConnectionOf(api: TestApi['api'], a: Tenant): Promise<string> {
  const res = await call(api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'ga4', authMethod: 'oauth2' } });
  return res.json().id as string;
}

async function apiKeyOf(api: TestApi['api'], a: Tenant): Promise<string> {
  const res = await call(api, { method: 'POST', url: '/api/v1/api-keys', auth: a.session, body: { name: 'isolated' } });
  return res.json().id as string;
}

let invited = 0;
async function memberOf(api: TestApi['api'], a: Tenant): Promise<string> {
  invited += 1;
  const res = await call(api, { method: 'POST', url: '/api/v1/members', auth: a.session, body: { email: `member-${invited}-${Date.now()}@example.test`, role: 'member' } });
  return res.json().userId as string;
}

let t: TestApi;

describe('workspace isolation', () => {
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    t = await startTestApi();
    a = await signUpTenant(t.api, 'alpha');
    b = await signUpTenant(t.api, 'bravo');
  });
  afterAll(() => t.close());

  for (const testCase of cases) {
    it(`another workspace gets 404 from ${testCase.route}`, async () => {
      await expectIsolated(t.api, a, b, testCase);
    });
  }

  it('a workspace id named in X-Workspace-Id that the caller does not belong to is a 404', async () => {
    for (const auth of [b.session, b.apiKey]) {
      const res = await call(t.api, { method: 'GET', url: '/api/v1/workspaces/current', auth, headers: { 'x-workspace-id': a.workspaceId } });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('alpha');
    }
  });

  it('covers every route that takes a path parameter', () => {
    const covered = new Set(cases.map((c) => c.route));
    const paths = (t.api.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
    const routes = Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    const withParams = routes.filter((r) => r.includes('/:'));
    expect(withParams.length).toBeGreaterThan(0);
    expect(withParams.filter((r) => !covered.has(r))).toEqual([]);
  });
});
