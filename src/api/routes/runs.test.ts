import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from '../../../test/support/api.js';
import { hubspotSandbox, hubspotSandboxToken } from '../../connectors/definitions/hubspot/sandbox.js';
import { startSandboxServer, type Fault, type SandboxServer } from '../../connectors/sandboxes/index.js';

/**
 * Sync runs through the API, against a real worker, a real queue and a DuckDB dataset. HubSpot
 * connections are live ones pointed at a loopback HubSpot sandbox this file controls (size,
 * faults, request log) through TRIBUTARY_HUBSPOT_BASE_URL.
 */
let sandbox: SandboxServer;
let t: TestApi;
let a: Tenant;
const contacts = 1_200;

beforeAll(async () => {
  sandbox = await startSandboxServer(hubspotSandbox({ contacts, companies: 30, deals: 40 }));
  t = await startTestApi({ switches: { hubspot: { baseUrl: sandbox.url } }, worker: { random: () => 0 } });
  a = await signUpTenant(t.api, 'runner');
});
afterAll(async () => {
  await t.close();
  await sandbox.close();
});

async function hubspotConnection(tenant: Tenant, options: { token?: string; streams?: string[] } = {}): Promise<string> {
  const res = await call(t.api, {
    method: 'POST',
    url: '/api/v1/connections',
    auth: tenant.session,
    body: { connectorId: 'hubspot', mode: 'live', secrets: { token: options.token ?? hubspotSandboxToken }, streams: options.streams ?? ['contacts'] },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function runAndWait(connectionId: string, tenant = a) {
  const res = await call(t.api, { method: 'POST', url: `/api/v1/connections/${connectionId}/runs?wait=true&timeoutSeconds=60`, auth: tenant.session });
  expect([200, 202], res.body).toContain(res.statusCode);
  return res.json();
}

async function rowsOf(workspaceId: string, table: string): Promise<Record<string, unknown>[]> {
  const page = await (await t.warehouse.destination(workspaceId)).readRows(table, { limit: 10_000, offset: 0 });
  return page?.rows ?? [];
}

describe('sync runs', () => {
  it('another workspace gets 404 when it triggers a run of a connection that is not its own', async () => {
    const id = await hubspotConnection(a);
    const b = await signUpTenant(t.api, 'outsider');
    const res = await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/runs`, auth: b.apiKey });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('syncs every contact into the workspace’s dataset, with keys, typed columns and the raw payload', async () => {
    const id = await hubspotConnection(a);
    const run = await runAndWait(id);
    expect(run).toMatchObject({ status: 'succeeded', attempt: 1, records: contacts, error: null });
    expect(run.streams.contacts).toMatchObject({ status: 'succeeded', records: contacts, pages: contacts / 100 });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);

    const tables = await call(t.api, { method: 'GET', url: '/api/v1/data/tables', auth: a.session });
    const table = tables.json().tables.find((x: { name: string }) => x.name === 'hubspot_contacts');
    expect(table.rowCount).toBe(contacts);
    const columns = Object.fromEntries(table.columns.map((c: { name: string; type: string; key: boolean }) => [c.name, c]));
    expect(columns.id).toMatchObject({ key: true });
    expect(columns.email).toMatchObject({ type: 'string' });
    expect(columns.updated_at).toMatchObject({ type: 'timestamp' });
    expect(columns.archived).toMatchObject({ type: 'boolean' });
    for (const own of ['_raw', '_synced_at', '_run_id']) expect(columns[own]).toBeDefined();

    const rows = await call(t.api, { method: 'GET', url: '/api/v1/data/tables/hubspot_contacts/rows?limit=5&sort=id&direction=desc', auth: a.session });
    expect(rows.statusCode).toBe(200);
    expect(rows.json().total).toBe(contacts);
    expect(rows.json().rows).toHaveLength(5);
    expect(rows.json().rows[0]._run_id).toBe(run.id);
    expect(rows.json().rows[0]._raw.properties.email).toBe(rows.json().rows[0].email);
  });

  it('answers 409 already_running, naming the run, while a run of the connection is queued or running', async () => {
    const id = await hubspotConnection(a);
    const first = await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/runs`, auth: a.session });
    expect(first.statusCode).toBe(202);
    expect(first.json().status).toBe('queued');
    const second = await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/runs`, auth: a.apiKey });
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toMatchObject({ code: 'already_running', details: { runId: first.json().id } });
    await waitFor(first.json().id, (run) => run.status === 'succeeded');
  });

  it('re-runs incrementally with a handful of requests when nothing changed', async () => {
    const id = await hubspotConnection(a);
    await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/test`, auth: a.session });
    await runAndWait(id);
    const before = sandbox.requests.length;
    const again = await runAndWait(id);
    expect(again.status).toBe('succeeded');
    const requests = sandbox.requests.slice(before);
    expect(requests.length).toBeLessThanOrEqual(3);
    expect(requests.every((r) => r.path.endsWith('/search'))).toBe(true);
    expect(await rowsOf(a.workspaceId, 'hubspot_contacts')).toHaveLength(contacts);
  });

  it('fails at once with auth_failed on a refused key, sets the connection to error and writes an event', async () => {
    const id = await hubspotConnection(a, { token: 'pat-wrong-key-0000' });
    const run = await runAndWait(id);
    expect(run).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'auth_failed', retryable: false } });
    const connection = await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}`, auth: a.session });
    expect(connection.json()).toMatchObject({ status: 'error', lastError: { code: 'auth_failed' } });
    const events = await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}/events`, auth: a.session });
    expect(events.json().events[0]).toMatchObject({ kind: 'sync.failed', details: { runId: run.id, code: 'auth_failed' } });
  });

  it('retries a run that still fails with a retryable error as a new attempt, and succeeds', async () => {
    const id = await hubspotConnection(a);
    // More 503s than the requester's own attempts: the first run attempt fails, the second finds the vendor back.
    sandbox.inject({ kind: 'status', status: 503, times: 5, path: '/crm/v3/objects/:objectType' } satisfies Fault);
    const run = await runAndWait(id);
    expect(run).toMatchObject({ status: 'succeeded', attempt: 2, records: contacts });
    expect(await rowsOf(a.workspaceId, 'hubspot_contacts')).toHaveLength(contacts);
  });

  it('streams progress as server-sent events until the run ends', async () => {
    const id = await hubspotConnection(a);
    const started = await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/runs`, auth: a.session });
    const res = await t.api.inject({ method: 'GET', url: `/api/v1/runs/${started.json().id}/stream`, headers: { authorization: `Bearer ${a.apiKey.bearer}` } });
    expect(res.headers['content-type']).toBe('text/event-stream');
    const events = res.body
      .split('\n\n')
      .filter(Boolean)
      .map((m) => ({ event: /^event: (\w+)/m.exec(m)?.[1], run: JSON.parse(/^data: (.*)$/m.exec(m)![1]!) }));
    expect(events.at(-1)).toMatchObject({ event: 'end', run: { status: 'succeeded', records: contacts } });
    expect(events.slice(0, -1).every((e) => e.event === 'progress')).toBe(true);
  });

  it('cancels a running run within two seconds; committed batches stay', async () => {
    const id = await hubspotConnection(a);
    sandbox.inject({ kind: 'slow', delayMs: 400, times: 6, path: '/crm/v3/objects/:objectType' });
    const started = await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/runs`, auth: a.session });
    const runId = started.json().id as string;
    await waitFor(runId, (run) => run.records > 0);
    const asked = Date.now();
    const cancel = await call(t.api, { method: 'POST', url: `/api/v1/runs/${runId}/cancel`, auth: a.session });
    expect(cancel.statusCode).toBe(202);
    const ended = await waitFor(runId, (run) => run.status !== 'running');
    expect(Date.now() - asked).toBeLessThan(2_000);
    expect(ended.status).toBe('cancelled');
    expect(ended.records).toBeGreaterThan(0);
    expect(ended.records).toBeLessThan(contacts);
    const kept = await rowsOf(a.workspaceId, 'hubspot_contacts');
    expect(kept.filter((row) => row._run_id === runId).length).toBeGreaterThanOrEqual(ended.records);
  });

  it('shows each connection’s latest run in the connection list and on the connection', async () => {
    const id = await hubspotConnection(a);
    const before = await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}`, auth: a.session });
    expect(before.json().lastRun).toBeNull();
    const run = await runAndWait(id);
    const listed = (await call(t.api, { method: 'GET', url: '/api/v1/connections', auth: a.session })).json().connections.find((c: { id: string }) => c.id === id);
    expect(listed.lastRun).toEqual({ id: run.id, status: 'succeeded', finishedAt: run.finishedAt });
    expect((await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}`, auth: a.session })).json().lastRun).toEqual(listed.lastRun);
  });

  it('lists a connection’s runs newest first, paginated', async () => {
    const id = await hubspotConnection(a);
    const first = await runAndWait(id);
    const second = await runAndWait(id);
    const page1 = await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}/runs?limit=1`, auth: a.session });
    expect(page1.json().runs.map((r: { id: string }) => r.id)).toEqual([second.id]);
    const page2 = await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}/runs?limit=1&cursor=${page1.json().nextCursor}`, auth: a.session });
    expect(page2.json()).toMatchObject({ runs: [{ id: first.id }], nextCursor: null });
  });
});

async function waitFor(runId: string, until: (run: { status: string; records: number }) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = (await call(t.api, { method: 'GET', url: `/api/v1/runs/${runId}`, auth: a.session })).json();
    if (until(run) || Date.now() > deadline) return run;
    await sleep(50);
  }
}
