import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ga4SandboxPropertyId } from '../src/connectors/definitions/ga4/sandbox.js';
import { call, runToEnd, signUpTenant, startTestApi, type Tenant, type TestApi } from './support/api.js';
import { signIn } from './support/oauth.js';

/**
 * Google Analytics 4 as a new user meets it in sandbox mode: create the connection, sign in with
 * "Google" (the sandbox's authorization server, PKCE and all), sync two years of daily traffic
 * into the workspace's dataset, and sync again reading only the days GA4 may still revise.
 */
let t: TestApi;
let a: Tenant;

beforeAll(async () => {
  t = await startTestApi({ worker: { random: () => 0 } });
  a = await signUpTenant(t.api, 'analyst');
});
afterAll(() => t.close());

const runAndWait = (connectionId: string) => runToEnd(t.api, a, connectionId);

describe('Google Analytics 4 (sandbox)', () => {
  it('signs in with OAuth, syncs two years of days per property, then re-reads only the unsettled days', async () => {
    const created = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'ga4', authMethod: 'oauth2' } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    await signIn(t.api, a, 'ga4', id);
    const view = (await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}`, auth: a.session })).json();
    expect(view).toMatchObject({ status: 'connected', source: 'sandbox', credential: { hint: expect.stringMatching(/^OAuth sbx-/) } });

    const accounts = (await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}/accounts`, auth: a.session })).json();
    expect(accounts.field).toBe('propertyIds');
    expect(accounts.accounts).toHaveLength(3);
    expect(accounts.accounts[0]).toMatchObject({ id: ga4SandboxPropertyId, name: expect.any(String), group: expect.any(String) });
    // A sandbox connection starts on the sandbox's first property.
    expect(accounts.selected).toEqual([ga4SandboxPropertyId]);
    const refused = await call(t.api, { method: 'PUT', url: `/api/v1/connections/${id}/accounts`, auth: a.session, body: { ids: ['123'] } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('"123" is not among the accounts');

    const first = await runAndWait(id);
    expect(first).toMatchObject({ status: 'succeeded', records: 730, streams: { traffic_daily: { records: 730, pages: 1 } } });
    const destination = await t.warehouse.destination(a.workspaceId);
    const table = (await destination.describeTable('ga4_traffic_daily'))!;
    expect(table.rowCount).toBe(730);
    expect(table.columns.filter((c) => c.key).map((c) => c.name)).toEqual(['property_id', 'date']);
    expect(Object.fromEntries(table.columns.map((c) => [c.name, c.type]))).toMatchObject({ sessions: 'integer', bounce_rate: 'number', total_revenue: 'number' });
    const { rows } = (await destination.readRows('ga4_traffic_daily', { limit: 1, offset: 0, sort: 'date', direction: 'desc' }))!;
    expect(rows[0]).toMatchObject({ property_id: ga4SandboxPropertyId, date: '2026-11-24' });
    expect(rows[0]!.sessions as number).toBeGreaterThan(rows[0]!.total_users as number);
    // Every day is a metrics_daily row of the property, with the rates' additive forms beside them.
    const all = { from: '2000-01-01', to: '2100-01-01' };
    const metrics = await destination.readMetrics(all);
    expect(metrics).toHaveLength(730);
    const last = metrics.find((m) => m.date === '2026-11-24')!;
    expect(last).toMatchObject({ connection_id: id, provider: 'ga4', dimension_key: `property=${ga4SandboxPropertyId}`, dimensions: { property: ga4SandboxPropertyId } });
    expect(last.metrics.sessions).toBe(rows[0]!.sessions);
    expect(last.metrics.bounces).toBeCloseTo((rows[0]!.bounce_rate as number) * (rows[0]!.sessions as number), 6);
    expect(last.metrics.bounceRate).toBeCloseTo(rows[0]!.bounce_rate as number, 9);

    const second = await runAndWait(id);
    // The last day read and the three before it, which GA4 may still be processing.
    expect(second).toMatchObject({ status: 'succeeded', records: 4 });
    expect((await destination.describeTable('ga4_traffic_daily'))!.rowCount).toBe(730);
    // Re-syncing days replaces their metrics: still one row a day.
    expect(await destination.readMetrics(all)).toHaveLength(730);

    // Two properties now: the new one reads its two years, the first its unsettled days.
    const chosen = await call(t.api, { method: 'PUT', url: `/api/v1/connections/${id}/accounts`, auth: a.session, body: { ids: [accounts.accounts[0].id, accounts.accounts[1].id] } });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect((await runAndWait(id)).status).toBe('succeeded');
    expect((await destination.describeTable('ga4_traffic_daily'))!.rowCount).toBe(1460);
    expect(await destination.readMetrics(all)).toHaveLength(1460);
    expect(await destination.metricsSpan(['ga4'])).toEqual({ from: '2024-11-25', to: '2026-11-24' });
  });

  it('a live connection must choose its properties before it syncs: 409 accounts_required', async () => {
    const created = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'ga4', mode: 'live', authMethod: 'oauth2' } });
    expect(created.statusCode, created.body).toBe(201);
    const res = await call(t.api, { method: 'POST', url: `/api/v1/connections/${created.json().id}/runs`, auth: a.session });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('accounts_required');
  });
});
