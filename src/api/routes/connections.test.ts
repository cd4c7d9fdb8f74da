import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from '../../../test/support/api.js';
import { hubspotSandbox, hubspotSandboxToken } from '../../connectors/definitions/hubspot/sandbox.js';
import { startSandboxServer, type SandboxServer } from '../../connectors/sandboxes/index.js';

/**
 * The connections API as a host application uses it: connect in sandbox or live mode, test,
 * disconnect, reconnect, read the history. Live mode reaches a HubSpot sandbox server through the
 * operator's TRIBUTARY_HUBSPOT_BASE_URL, as a proxy or test double would be configured.
 */
const liveToken = 'pat-na1-11112222-3333-4444-5555-live0000abcd';

describe('connections', () => {
  let t: TestApi;
  let a: Tenant;
  let vendor: SandboxServer;
  const switches: Record<string, { baseUrl?: string; live?: boolean }> = { instantly: { live: false } };

  beforeAll(async () => {
    vendor = await startSandboxServer({ ...hubspotSandbox({ contacts: 30 }), auth: (headers) => headers.authorization === `Bearer ${liveToken}` });
    switches.hubspot = { baseUrl: vendor.url };
    t = await startTestApi({ switches });
    a = await signUpTenant(t.api, 'conn');
  });
  afterAll(async () => {
    await t.close();
    await vendor.close();
  });

  const post = (url: string, body?: unknown, auth: Tenant['session'] | Tenant['apiKey'] = a.session) => call(t.api, { method: 'POST', url, auth, body });
  const get = (url: string) => call(t.api, { method: 'GET', url, auth: a.apiKey });

  it('connects HubSpot in sandbox mode without any key, tests it, and records a health check and events', async () => {
    const created = await post('/api/v1/connections', { connectorId: 'hubspot' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ connectorId: 'hubspot', name: 'HubSpot (sandbox)', mode: 'sandbox', source: 'sandbox', status: 'configuring', credential: null });
    const id = created.json().id as string;

    const tested = await post(`/api/v1/connections/${id}/test`);
    expect(tested.statusCode).toBe(200);
    expect(tested.json()).toMatchObject({ ok: true, source: 'sandbox', error: null, connection: { status: 'connected', lastError: null } });
    expect(tested.json().responseTimeMs).toBeGreaterThanOrEqual(0);
    expect(tested.json().connection.streams.map((s: { name: string; selected: boolean }) => [s.name, s.selected])).toEqual([
      ['contacts', true],
      ['companies', true],
      ['deals', true],
    ]);

    const health = await get(`/api/v1/connections/${id}/health`);
    expect(health.json().checks).toMatchObject([{ ok: true, errorCode: null }]);
    const events = await get(`/api/v1/connections/${id}/events`);
    expect(events.json().events.map((e: { kind: string }) => e.kind)).toEqual(['connection.test_succeeded', 'connection.created']);
  });

  it('shows a key the sandbox refuses as an error status with auth_failed, not a failed request', async () => {
    const created = await post('/api/v1/connections', { connectorId: 'hubspot', secrets: { token: 'pat-na1-not-the-sandbox-key' } });
    expect(created.json().credential).toEqual({ hint: 'pat-…-key' });
    const tested = await post(`/api/v1/connections/${created.json().id}/test`);
    expect(tested.statusCode).toBe(200);
    expect(tested.json()).toMatchObject({ ok: false, error: { code: 'auth_failed', retryable: false }, connection: { status: 'error', lastError: { code: 'auth_failed' } } });
    expect(tested.json().error.message).toMatch(/^HubSpot: GET \/crm\/v3\/\S+ answered HTTP 401\. The vendor refused the credentials/);
    expect(tested.body).not.toContain('not-the-sandbox-key');
    const health = await get(`/api/v1/connections/${created.json().id}/health`);
    expect(health.json().checks[0]).toMatchObject({ ok: false, errorCode: 'auth_failed' });
  });

  it('keeps a live secret in the vault: only the masked hint is ever answered or logged', async () => {
    const created = await post('/api/v1/connections', { connectorId: 'hubspot', mode: 'live', name: 'HubSpot EU', secrets: { token: liveToken } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ mode: 'live', source: 'live', credential: { hint: 'pat-…abcd' } });
    const id = created.json().id as string;
    const tested = await post(`/api/v1/connections/${id}/test`);
    expect(tested.json()).toMatchObject({ ok: true, source: 'live', connection: { status: 'connected' } });
    expect(vendor.requests.at(-1)!.headers.authorization).toBe('Bearer ***');
    for (const body of [created.body, tested.body, (await get(`/api/v1/connections/${id}`)).body, (await get('/api/v1/connections')).body, (await get(`/api/v1/connections/${id}/events`)).body])
      expect(body).not.toContain(liveToken);
    expect(t.logLines.join('\n')).not.toContain(liveToken);
    const [row] = await t.store.db.asSystem((tx) => tx.query<{ ciphertext: string }>('SELECT ciphertext FROM credentials WHERE workspace_id = $1 AND label = $2', [a.workspaceId, 'HubSpot EU']));
    expect(row!.ciphertext).toMatch(/^tv1\./);
    expect(row!.ciphertext).not.toContain('live0000');
  });

  it('disconnects (credential deleted, history kept), refuses a test until reconnected, and reconnects with a test', async () => {
    const id = (await post('/api/v1/connections', { connectorId: 'hubspot', mode: 'live', name: 'to disconnect', secrets: { token: liveToken } })).json().id as string;
    await post(`/api/v1/connections/${id}/test`);
    const disconnected = await post(`/api/v1/connections/${id}/disconnect`);
    expect(disconnected.json()).toMatchObject({ status: 'disconnected', credential: null });
    const credentials = await t.store.db.asSystem((tx) => tx.query('SELECT id FROM credentials WHERE label = $1', ['to disconnect']));
    expect(credentials).toEqual([]);

    const refused = await post(`/api/v1/connections/${id}/test`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('Reconnect it first');

    const reconnected = await post(`/api/v1/connections/${id}/reconnect`, { secrets: { token: liveToken } });
    expect(reconnected.statusCode).toBe(200);
    expect(reconnected.json()).toMatchObject({ ok: true, connection: { status: 'connected', credential: { hint: 'pat-…abcd' } } });
    const kinds = (await get(`/api/v1/connections/${id}/events`)).json().events.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(['connection.test_succeeded', 'connection.reconnected', 'connection.disconnected', 'connection.test_succeeded', 'connection.created']);
  });

  it('pages through events and health checks with a cursor', async () => {
    const id = (await post('/api/v1/connections', { connectorId: 'hubspot' })).json().id as string;
    for (let i = 0; i < 3; i++) await post(`/api/v1/connections/${id}/test`);
    const first = await get(`/api/v1/connections/${id}/health?limit=2`);
    expect(first.json().checks).toHaveLength(2);
    const second = await get(`/api/v1/connections/${id}/health?limit=2&cursor=${first.json().nextCursor}`);
    expect(second.json()).toMatchObject({ nextCursor: null });
    expect(second.json().checks).toHaveLength(1);
    const ids = [...first.json().checks, ...second.json().checks].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(3);
    const events = await get(`/api/v1/connections/${id}/events?limit=3`);
    expect(events.json().events).toHaveLength(3);
    expect(events.json().nextCursor).toEqual(expect.any(String));
    expect((await get(`/api/v1/connections/${id}/events?cursor=bogus`)).json().error.details.fields[0].field).toBe('cursor');
  });

  it('needs a new test after a change of secrets, and deletes a connection with its history', async () => {
    const id = (await post('/api/v1/connections', { connectorId: 'hubspot' })).json().id as string;
    await post(`/api/v1/connections/${id}/test`);
    const changed = await call(t.api, { method: 'PATCH', url: `/api/v1/connections/${id}`, auth: a.session, body: { secrets: { token: hubspotSandboxToken }, streams: ['contacts'] } });
    expect(changed.json()).toMatchObject({ status: 'configuring', credential: { hint: 'pat-…spot' } });
    expect(changed.json().streams.filter((s: { selected: boolean }) => s.selected).map((s: { name: string }) => s.name)).toEqual(['contacts']);
    expect((await call(t.api, { method: 'DELETE', url: `/api/v1/connections/${id}`, auth: a.session })).statusCode).toBe(204);
    expect((await get(`/api/v1/connections/${id}`)).statusCode).toBe(404);
  });

  it.each([
    [{ connectorId: 'nope' }, 'connectorId'],
    [{ connectorId: 'hubspot', mode: 'live' }, 'secrets.token'],
    [{ connectorId: 'hubspot', authMethod: 'basic' }, 'authMethod'],
    [{ connectorId: 'hubspot', streams: ['tickets'] }, 'streams.0'],
    [{ connectorId: 'hubspot', config: { region: 'eu' } }, 'config.region'],
    [{ connectorId: 'chatwoot', mode: 'live', secrets: { apiKey: 'k-123456789012' } }, 'config.accountId'],
    [{ connectorId: 'chatwoot', mode: 'live', config: { accountId: 'seven' }, secrets: { apiKey: 'k-123456789012' } }, 'config.accountId'],
    [{ connectorId: 'hubspot', mode: 'staging' }, 'mode'],
  ])('answers a bad connection with 400 naming the field: %o', async (body, field) => {
    const res = await post('/api/v1/connections', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0].field).toBe(field);
    expect(res.json().error.message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
  });

  it('refuses live mode where the operator switched it off, and keeps sandbox mode working', async () => {
    const live = await post('/api/v1/connections', { connectorId: 'instantly', mode: 'live', secrets: { token: 'k'.repeat(20) } });
    expect(live.statusCode).toBe(409);
    expect(live.json().error).toMatchObject({ code: 'live_disabled' });
    expect(live.json().error.message).toContain('TRIBUTARY_INSTANTLY_LIVE=false');
    const catalog = await get('/api/v1/connectors/instantly');
    expect(catalog.json()).toMatchObject({ live: false, sandbox: true });
    const sandbox = await post('/api/v1/connections', { connectorId: 'instantly' });
    expect((await post(`/api/v1/connections/${sandbox.json().id}/test`)).json()).toMatchObject({ ok: true, source: 'sandbox' });
  });

  it('refuses to test a live connection once the operator switched live mode off, leaving its status alone', async () => {
    const id = (await post('/api/v1/connections', { connectorId: 'hubspot', mode: 'live', secrets: { token: liveToken } })).json().id as string;
    switches.hubspot!.live = false;
    try {
      const refused = await post(`/api/v1/connections/${id}/test`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('live_disabled');
      expect((await get(`/api/v1/connections/${id}`)).json().status).toBe('configuring');
    } finally {
      switches.hubspot!.live = true;
    }
  });

  it('lets a viewer read connections but not create or test them', async () => {
    const viewerKey = (await post('/api/v1/api-keys', { name: 'viewer', role: 'viewer' })).json().key as string;
    const id = (await post('/api/v1/connections', { connectorId: 'hubspot' })).json().id as string;
    expect((await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}`, auth: { bearer: viewerKey } })).statusCode).toBe(200);
    expect((await post(`/api/v1/connections/${id}/test`, undefined, { bearer: viewerKey })).statusCode).toBe(403);
    expect((await post('/api/v1/connections', { connectorId: 'hubspot' }, { bearer: viewerKey })).statusCode).toBe(403);
  });
});
