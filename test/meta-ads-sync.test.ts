import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaAdsSandbox, metaAdsSandboxAdAccountId, metaAdsSandboxToken, metaGraphVersion } from '../src/connectors/definitions/meta_ads/sandbox.js';
import { startSandboxServer } from '../src/connectors/sandboxes/index.js';
import { readCredentialSecret } from '../src/store/credential-repository.js';
import { call, runToEnd, signUpTenant, startTestApi, type Tenant, type TestApi } from './support/api.js';
import { consent, returnToHub, startSignIn } from './support/oauth.js';

/**
 * Meta Ads as a new user meets it in sandbox mode: create the connection, sign in with "Facebook"
 * (the sandbox's authorization server: no refresh token, the code's token traded for a 60-day
 * one), choose two ad accounts, sync two years of daily insights per campaign into the dataset and
 * `metrics_daily`, and sync again re-reading only the days Meta may still revise.
 */
let t: TestApi;
let a: Tenant;
let tokenNow = Date.now();
const day = 86_400_000;
const second = 'act_418000000000002';
/** The last day the hub's sandbox holds, and the last a sync reads. */
const yesterday = new Date(Date.now() - day).toISOString().slice(0, 10);
const daysBefore = (date: string, days: number) => new Date(Date.parse(date) - days * day).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startTestApi({ worker: { random: () => 0 }, tokenClock: () => tokenNow });
  a = await signUpTenant(t.api, 'advertiser');
});
afterAll(() => t.close());

const runAndWait = (connectionId: string) => runToEnd(t.api, a, connectionId);

const connection = async (id: string) => (await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}`, auth: a.session })).json();

/** A sandbox connection, signed in; returns it with the origin of the sandbox that signed it in. */
async function signedIn(): Promise<{ id: string; sandboxUrl: string }> {
  const created = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'meta_ads', authMethod: 'oauth2' } });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const authorize = await startSignIn(t.api, a, 'meta_ads', id);
  expect(authorize.searchParams.get('scope')).toBe('ads_read');
  expect((await returnToHub(t.api, await consent(authorize), a)).statusCode).toBe(302);
  return { id, sandboxUrl: authorize.origin };
}

async function storedSecrets(connectionId: string): Promise<Record<string, string>> {
  return t.store.db.withWorkspace(a.workspaceId, async (tx) => {
    const [row] = await tx.query<{ credential_id: string }>(`SELECT credential_id FROM connections WHERE id = $1`, [connectionId]);
    return JSON.parse(await readCredentialSecret(tx, t.vault, a.workspaceId, row!.credential_id)) as Record<string, string>;
  });
}

/** What the sandbox holds for the ad accounts over the last two years: the rows a sync must bring. */
async function sandboxRows(accounts: string[]): Promise<Array<Record<string, string>>> {
  const sandbox = await startSandboxServer(metaAdsSandbox({ endDate: yesterday }));
  try {
    const rows: Array<Record<string, string>> = [];
    for (const account of accounts) {
      const url = new URL(`${sandbox.url}/${metaGraphVersion}/${account}/insights`);
      url.search = new URLSearchParams({ access_token: metaAdsSandboxToken, level: 'campaign', time_increment: '1', fields: 'campaign_id,impressions,clicks,spend', date_preset: 'maximum', limit: '500' }).toString();
      for (let next: string | undefined = url.href; next; ) {
        const page = (await (await fetch(next)).json()) as { data: Array<Record<string, string>>; paging?: { next?: string } };
        rows.push(...page.data.filter((row) => row.date_start! >= daysBefore(yesterday, 729)));
        next = page.paging?.next;
      }
    }
    return rows;
  } finally {
    await sandbox.close();
  }
}

const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);

describe('Meta Ads (sandbox)', () => {
  it('signs in with Facebook, syncs two ad accounts’ daily insights into the dataset and metrics_daily, and re-syncs without duplicating a day', async () => {
    const { id } = await signedIn();
    expect(await connection(id)).toMatchObject({ status: 'connected', source: 'sandbox', credential: { hint: expect.stringMatching(/^OAuth sbx-/) } });
    // Facebook gives no refresh token: the long-lived token is all the vault keeps, for about 60 days.
    const secrets = await storedSecrets(id);
    expect(secrets.refreshToken).toBeUndefined();
    expect(Date.parse(secrets.expiresAt!) - Date.now()).toBeGreaterThan(59 * day);

    const accounts = (await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}/accounts`, auth: a.session })).json();
    expect(accounts).toMatchObject({ field: 'adAccountIds', selected: [metaAdsSandboxAdAccountId] });
    expect(accounts.accounts.map((account: { id: string }) => account.id)).toEqual([metaAdsSandboxAdAccountId, second]);
    const chosen = await call(t.api, { method: 'PUT', url: `/api/v1/connections/${id}/accounts`, auth: a.session, body: { ids: [metaAdsSandboxAdAccountId, second] } });
    expect(chosen.statusCode, chosen.body).toBe(200);

    const expected = await sandboxRows([metaAdsSandboxAdAccountId, second]);
    const first = await runAndWait(id);
    expect(first).toMatchObject({ status: 'succeeded', streams: { insights_daily: { records: expected.length }, campaigns: { records: 10 } } });
    const destination = await t.warehouse.destination(a.workspaceId);
    const table = (await destination.describeTable('meta_ads_insights_daily'))!;
    expect(table.rowCount).toBe(expected.length);
    expect(table.columns.filter((c) => c.key).map((c) => c.name)).toEqual(['account_id', 'campaign_id', 'date']);
    expect(Object.fromEntries(table.columns.map((c) => [c.name, c.type]))).toMatchObject({ impressions: 'integer', clicks: 'integer', spend: 'number' });

    // One metrics_daily row per account, campaign and day, summing to what the vendor reported.
    const all = { from: '2000-01-01', to: '2100-01-01', providers: ['meta_ads'] };
    const metrics = await destination.readMetrics(all);
    expect(metrics).toHaveLength(expected.length);
    expect(total(metrics.map((m) => m.metrics.impressions!))).toBe(total(expected.map((r) => Number(r.impressions))));
    expect(total(metrics.map((m) => m.metrics.clicks!))).toBe(total(expected.map((r) => Number(r.clicks))));
    expect(total(metrics.map((m) => m.metrics.spend!))).toBeCloseTo(total(expected.map((r) => Number(r.spend))), 2);
    const sample = metrics.find((m) => m.metrics.clicks! > 0)!;
    expect(sample).toMatchObject({ connection_id: id, provider: 'meta_ads', dimension_key: `account=${sample.dimensions.account}|campaign=${sample.dimensions.campaign}` });
    expect(sample.metrics.ctr).toBeCloseTo(sample.metrics.clicks! / sample.metrics.impressions!, 12);
    expect(sample.metrics.cpc).toBeCloseTo(sample.metrics.spend! / sample.metrics.clicks!, 12);
    expect(sample.metrics.conversionRate).toBeCloseTo(sample.metrics.conversions! / sample.metrics.clicks!, 12);
    const sums = { impressions: total(metrics.map((m) => m.metrics.impressions!)), conversions: total(metrics.map((m) => m.metrics.conversions!)) };

    const again = await runAndWait(id);
    // The last 28 days and the last day read, per campaign that delivered on them: replaced, not added.
    const recent = expected.filter((r) => r.date_start! >= daysBefore(yesterday, 28)).length;
    expect(again).toMatchObject({ status: 'succeeded', streams: { insights_daily: { records: recent } } });
    expect((await destination.describeTable('meta_ads_insights_daily'))!.rowCount).toBe(expected.length);
    const after = await destination.readMetrics(all);
    expect(after).toHaveLength(expected.length);
    expect({ impressions: total(after.map((m) => m.metrics.impressions!)), conversions: total(after.map((m) => m.metrics.conversions!)) }).toEqual(sums);
  });

  it('asks to sign in again once the long-lived token has run out: reauth_required', async () => {
    const { id } = await signedIn();
    tokenNow = Date.now() + 61 * day;
    try {
      const tested = (await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/test`, auth: a.session })).json();
      expect(tested).toMatchObject({ ok: false, error: { code: 'reauth_required' } });
      expect(await connection(id)).toMatchObject({ status: 'error', lastError: { code: 'reauth_required' } });
    } finally {
      tokenNow = Date.now();
    }
  });

  it('asks to sign in again once the person removed the app and Graph refuses the token: reauth_required', async () => {
    const { id, sandboxUrl } = await signedIn();
    const { accessToken } = await storedSecrets(id);
    const removed = await fetch(`${sandboxUrl}/${metaGraphVersion}/me/permissions`, { method: 'DELETE', headers: { authorization: `Bearer ${accessToken}` } });
    expect(await removed.json()).toEqual({ success: true });

    const run = await runAndWait(id);
    expect(run).toMatchObject({ status: 'failed', error: { code: 'reauth_required', retryable: false } });
    expect(await connection(id)).toMatchObject({ status: 'error', lastError: { code: 'reauth_required' } });
    const tested = (await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/test`, auth: a.session })).json();
    expect(tested).toMatchObject({ ok: false, error: { code: 'reauth_required' } });
  });

  it('a live connection must choose its ad accounts before it syncs: 409 accounts_required', async () => {
    const created = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'meta_ads', mode: 'live', authMethod: 'oauth2' } });
    expect(created.statusCode, created.body).toBe(201);
    const res = await call(t.api, { method: 'POST', url: `/api/v1/connections/${created.json().id}/runs`, auth: a.session });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('accounts_required');
  });
});
