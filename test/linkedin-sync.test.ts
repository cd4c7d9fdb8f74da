import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postsOn, seedOrganizations, shareStatisticsOn } from '../src/connectors/definitions/linkedin/page-activity.js';
import { call, runToEnd, signUpTenant, startTestApi, type Tenant, type TestApi } from './support/api.js';
import { signIn } from './support/oauth.js';

/**
 * LinkedIn (organic) as a new user meets it in sandbox mode: create the connection, sign in with
 * "LinkedIn" (the sandbox's authorization server), choose two of the Pages the member administers,
 * sync the year of daily share statistics LinkedIn keeps into the dataset and `metrics_daily`, and
 * sync again re-reading only the last days, which replaces rows rather than adding any.
 */
let t: TestApi;
let a: Tenant;
const day = 86_400_000;
const [first, second] = seedOrganizations(3);

beforeAll(async () => {
  t = await startTestApi({ worker: { random: () => 0 } });
  a = await signUpTenant(t.api, 'social');
});
afterAll(() => t.close());

/** The days LinkedIn keeps and a first sync reads: from the day after today's date a year ago, to yesterday. */
function heldDays(): string[] {
  const today = new Date(Math.floor(Date.now() / day) * day);
  const days: string[] = [];
  for (let at = Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), today.getUTCDate() + 1); at < today.getTime(); at += day) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

const runAndWait = (connectionId: string) => runToEnd(t.api, a, connectionId);

describe('LinkedIn (organic, sandbox)', () => {
  it('signs in with OAuth, syncs the chosen Pages’ daily statistics into the dataset and metrics_daily, and re-syncs without adding a row', async () => {
    const created = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'linkedin', authMethod: 'oauth2' } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    await signIn(t.api, a, 'linkedin', id);
    expect((await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}`, auth: a.session })).json()).toMatchObject({ status: 'connected', source: 'sandbox' });

    const accounts = (await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}/accounts`, auth: a.session })).json();
    expect(accounts).toMatchObject({ field: 'organizationIds', selected: [first!.id] });
    expect(accounts.accounts).toEqual(seedOrganizations(3).slice(0, 3).map((o) => ({ id: o.id, name: o.localizedName })));
    const chosen = await call(t.api, { method: 'PUT', url: `/api/v1/connections/${id}/accounts`, auth: a.session, body: { ids: [first!.id, second!.id] } });
    expect(chosen.statusCode, chosen.body).toBe(200);

    const days = heldDays();
    expect(await runAndWait(id)).toMatchObject({ status: 'succeeded', records: 2 * days.length, streams: { share_statistics_daily: { records: 2 * days.length, pages: 2 } } });
    const destination = await t.warehouse.destination(a.workspaceId);
    const table = (await destination.describeTable('linkedin_share_statistics_daily'))!;
    expect(table.rowCount).toBe(2 * days.length);
    expect(table.columns.filter((c) => c.key).map((c) => c.name)).toEqual(['organization_id', 'date']);

    const all = { from: '2000-01-01', to: '2100-01-01' };
    const metrics = await destination.readMetrics(all);
    expect(metrics).toHaveLength(2 * days.length);
    const date = days.at(-10)!;
    const stats = shareStatisticsOn(second!, Date.parse(`${date}T00:00:00Z`) / day);
    const engagements = stats.clickCount + stats.likeCount + stats.commentCount + stats.shareCount;
    const row = metrics.find((m) => m.date === date && m.dimensions.organization === second!.id)!;
    expect(row).toMatchObject({ connection_id: id, provider: 'linkedin', dimension_key: `organization=${second!.id}` });
    expect(row.metrics).toEqual({
      postsPublished: postsOn(second!, Date.parse(`${date}T00:00:00Z`) / day),
      impressions: stats.impressionCount,
      clicks: stats.clickCount,
      likes: stats.likeCount,
      comments: stats.commentCount,
      shares: stats.shareCount,
      engagements,
      engagementRate: engagements / stats.impressionCount,
    });

    // The last day read and the three before it, for each Page.
    expect(await runAndWait(id)).toMatchObject({ status: 'succeeded', records: 8 });
    expect((await destination.describeTable('linkedin_share_statistics_daily'))!.rowCount).toBe(2 * days.length);
    expect(await destination.readMetrics(all)).toHaveLength(2 * days.length);
  });
});
