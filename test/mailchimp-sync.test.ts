import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAudiences, seedCampaigns } from '../src/connectors/definitions/mailchimp/campaign-history.js';
import { mailchimpSandboxApiKey, mailchimpSandboxNow } from '../src/connectors/definitions/mailchimp/sandbox.js';
import { readCredentialSecret } from '../src/store/credential-repository.js';
import { call, runToEnd, signUpTenant, startTestApi, type Tenant, type TestApi } from './support/api.js';
import { signIn } from './support/oauth.js';

/**
 * Mailchimp as a new user meets it in sandbox mode, both ways in: sign in with "Mailchimp" (the
 * sandbox's authorization server, whose tokens, like Mailchimp's, never expire and have no refresh
 * token; the hub finds the account's data center from the login server's metadata), or enter an
 * API key that names its data center. Either way a sync brings the campaigns and their reports
 * into the dataset, one `metrics_daily` row per sent campaign, and a second sync replaces rows
 * rather than adding any.
 */
let t: TestApi;
let a: Tenant;

beforeAll(async () => {
  t = await startTestApi({ worker: { random: () => 0 } });
  a = await signUpTenant(t.api, 'marketer');
});
afterAll(() => t.close());

/** The hub's sandbox account: its campaigns, and the reports of those sent, as Mailchimp holds them. */
const history = seedCampaigns(120, seedAudiences(3), mailchimpSandboxNow);
const reports = history.flatMap(({ report }) => (report ? [report] : []));
const all = { from: '2000-01-01', to: '2100-01-01' };

const runAndWait = (connectionId: string) => runToEnd(t.api, a, connectionId);

async function create(body: Record<string, unknown>): Promise<string> {
  const created = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'mailchimp', ...body } });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id as string;
}

const metricsOf = async (connectionId: string) => (await (await t.warehouse.destination(a.workspaceId)).readMetrics(all)).filter((m) => m.connection_id === connectionId);

describe('Mailchimp (sandbox)', () => {
  it('signs in with OAuth, syncs campaigns and reports into the dataset and metrics_daily, and re-syncs without adding a row', async () => {
    const id = await create({ authMethod: 'oauth2' });
    await signIn(t.api, a, 'mailchimp', id);
    const view = (await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}`, auth: a.session })).json();
    expect(view).toMatchObject({ status: 'connected', source: 'sandbox', credential: { hint: expect.stringMatching(/^OAuth sbx-/) } });
    const secrets = await t.store.db.withWorkspace(a.workspaceId, async (tx) => {
      const [row] = await tx.query<{ credential_id: string }>('SELECT credential_id FROM connections WHERE id = $1', [id]);
      return JSON.parse(await readCredentialSecret(tx, t.vault, a.workspaceId, row!.credential_id)) as Record<string, unknown>;
    });
    // Nothing to refresh, ever: the token has no lifetime and comes alone.
    expect(Object.keys(secrets)).toEqual(['accessToken']);

    const first = await runAndWait(id);
    expect(first).toMatchObject({ status: 'succeeded', streams: { campaigns: { records: 120, pages: 1 }, reports: { records: reports.length, pages: 1 } } });
    const destination = await t.warehouse.destination(a.workspaceId);
    expect((await destination.describeTable('mailchimp_campaigns'))!.rowCount).toBe(120);
    expect((await destination.describeTable('mailchimp_reports'))!.rowCount).toBe(reports.length);

    const metrics = await metricsOf(id);
    expect(metrics).toHaveLength(reports.length);
    const report = reports.at(-1)!;
    const row = metrics.find((m) => m.dimensions.campaign === report.id)!;
    const bounces = report.bounces.hard_bounces + report.bounces.soft_bounces + report.bounces.syntax_errors;
    expect(row).toMatchObject({ provider: 'mailchimp', date: report.send_time.slice(0, 10), dimension_key: `campaign=${report.id}|audience=${report.list_id}` });
    expect(row.metrics).toEqual({
      emailsSent: report.emails_sent,
      opens: report.opens.unique_opens,
      clicks: report.clicks.unique_subscriber_clicks,
      bounces,
      unsubscribes: report.unsubscribed,
      openRate: report.opens.unique_opens / report.emails_sent,
      clickRate: report.clicks.unique_subscriber_clicks / report.emails_sent,
    });

    const second = await runAndWait(id);
    // Only the campaigns created, and the reports of campaigns sent, in the 30 days before the newest are read again.
    const lastMonth = (times: string[]) => times.filter((time) => Date.parse(time) > Math.max(...times.map(Date.parse)) - 30 * 86_400_000).length;
    expect(second).toMatchObject({
      status: 'succeeded',
      streams: { campaigns: { records: lastMonth(history.map((c) => c.campaign.create_time)) }, reports: { records: lastMonth(reports.map((r) => r.send_time)) } },
    });
    expect(second.streams.reports!.records).toBeLessThan(reports.length / 4);
    expect(await metricsOf(id)).toHaveLength(reports.length);
  });

  it('takes an API key that names its data center, and refuses one of another data center', async () => {
    const id = await create({ authMethod: 'api_key', secrets: { apiKey: mailchimpSandboxApiKey } });
    const tested = await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/test`, auth: a.session });
    expect(tested.statusCode, tested.body).toBe(200);
    expect((await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}`, auth: a.session })).json()).toMatchObject({ status: 'connected', credential: { hint: '…us21' } });
    expect(await runAndWait(id)).toMatchObject({ status: 'succeeded', records: 120 + reports.length });
    expect(await metricsOf(id)).toHaveLength(reports.length);

    const elsewhere = await create({ authMethod: 'api_key', secrets: { apiKey: mailchimpSandboxApiKey.replace(/-us21$/, '-us6') } });
    await call(t.api, { method: 'POST', url: `/api/v1/connections/${elsewhere}/test`, auth: a.session });
    const refused = (await call(t.api, { method: 'GET', url: `/api/v1/connections/${elsewhere}`, auth: a.session })).json();
    expect(refused).toMatchObject({ status: 'error', lastError: { code: 'auth_failed' } });
  });
});
