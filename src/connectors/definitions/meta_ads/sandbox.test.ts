import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { consent } from '../../../../test/support/oauth.js';
import { z } from 'zod';
import { startSandboxServer, type SandboxServer, type SandboxServerOptions } from '../../sandboxes/index.js';
import { metaAdsSandbox, metaAdsSandboxEndDate, metaAdsSandboxProvider, metaAdsSandboxToken, metaGraphVersion, type MetaAdsSandboxOptions } from './sandbox.js';

// Meta's documented shapes: numbers arrive as strings, datetimes with a colon-less offset.
// https://developers.facebook.com/docs/marketing-api/reference/ad-account/, …/ad-campaign-group/, …/ads-insights/
const digits = z.string().regex(/^\d+$/);
const decimal = z.string().regex(/^\d+(\.\d+)?$/);
const isoDay = z.string().regex(/^\d{4}-\d\d-\d\d$/);
const graphTime = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$/);

const adAccountSchema = z.strictObject({
  id: z.string().regex(/^act_\d+$/),
  account_id: digits.optional(),
  name: z.string().min(1).optional(),
  currency: z.enum(['USD', 'EUR']).optional(),
  timezone_name: z.string().optional(),
  account_status: z.literal(1).optional(),
});
const campaignSchema = z.strictObject({
  id: digits,
  account_id: digits.optional(),
  name: z.string().min(1).optional(),
  objective: z.enum(['OUTCOME_SALES', 'OUTCOME_TRAFFIC', 'OUTCOME_AWARENESS']).optional(),
  status: z.enum(['ACTIVE', 'PAUSED']).optional(),
  effective_status: z.enum(['ACTIVE', 'PAUSED']).optional(),
  daily_budget: digits.optional(),
  created_time: graphTime.optional(),
  updated_time: graphTime.optional(),
});
const insightsRowSchema = z.strictObject({
  account_id: digits.optional(),
  account_name: z.string().optional(),
  account_currency: z.string().length(3).optional(),
  campaign_id: digits.optional(),
  campaign_name: z.string().optional(),
  objective: z.string().optional(),
  impressions: digits.optional(),
  clicks: digits.optional(),
  spend: z.string().regex(/^\d+(\.\d\d?)?$/).optional(),
  ctr: decimal.optional(),
  cpc: decimal.optional(),
  cpm: decimal.optional(),
  actions: z.array(z.strictObject({ action_type: z.string(), value: digits })).optional(),
  date_start: isoDay,
  date_stop: isoDay,
});
const pageSchema = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    data: z.array(item),
    paging: z.strictObject({ cursors: z.strictObject({ before: z.string(), after: z.string() }), previous: z.url().optional(), next: z.url().optional() }).optional(),
  });
const errorSchema = z.strictObject({
  error: z.strictObject({
    message: z.string(),
    type: z.enum(['OAuthException', 'GraphMethodException']),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    is_transient: z.boolean().optional(),
    fbtrace_id: z.string().min(1),
  }),
});

type InsightsRow = z.infer<typeof insightsRowSchema>;

const usdAccount = 'act_418000000000001';
const allFields = 'account_id,account_name,account_currency,campaign_id,campaign_name,objective,impressions,clicks,spend,ctr,cpc,cpm,actions,date_start,date_stop';
const dailyByCampaign = { level: 'campaign', time_increment: '1', fields: allFields };
const daysBefore = (date: string, days: number) => new Date(Date.parse(date) - days * 86_400_000).toISOString().slice(0, 10);
const endDate = metaAdsSandboxEndDate;

let sandbox: SandboxServer | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});
const start = async (options?: MetaAdsSandboxOptions, serverOptions?: SandboxServerOptions) => (sandbox = await startSandboxServer(metaAdsSandbox(options), serverOptions));

/** A Graph URL on the running sandbox, the sandbox token in `access_token` unless the query says otherwise. */
function graphUrl(path: string, query: Record<string, string> = {}): string {
  const url = new URL(`${sandbox!.url}/${metaGraphVersion}${path}`);
  for (const [name, value] of Object.entries({ access_token: metaAdsSandboxToken, ...query })) if (value !== '') url.searchParams.set(name, value);
  return url.href;
}

async function getPage<T extends z.ZodType>(url: string, item: T) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return pageSchema(item).parse(await response.json());
}

async function getError(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  return { status: response.status, ...errorSchema.parse(await response.json()).error };
}

/** Every record of a list, following `paging.next` to its end. */
async function walk<T extends z.ZodType>(url: string, item: T): Promise<{ records: Array<z.infer<T>>; pages: number }> {
  const records: Array<z.infer<T>> = [];
  let pages = 0;
  for (let next: string | undefined = url; next !== undefined; pages++) {
    const page: { data: Array<z.infer<T>>; paging?: { next?: string } } = await getPage(next, item);
    records.push(...page.data);
    next = page.paging?.next;
  }
  return { records, pages };
}

const insights = (query: Record<string, string>, account = usdAccount) => walk(graphUrl(`/${account}/insights`, { limit: '500', ...query }), insightsRowSchema).then((r) => r.records);
const actionOf = (row: InsightsRow, type: string) => Number(row.actions?.find((a) => a.action_type === type)?.value ?? 0);

describe('Meta Ads sandbox', () => {
  it('accepts the token as access_token or as an Authorization: Bearer header, and masks it in the log', async () => {
    await start();
    const inQuery = await fetch(graphUrl('/me'));
    const inHeader = await fetch(graphUrl('/me', { access_token: '' }), { headers: { authorization: `Bearer ${metaAdsSandboxToken}` } });
    for (const response of [inQuery, inHeader]) {
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ name: 'Sandbox Advertiser', id: expect.stringMatching(/^\d+$/) });
    }
    expect(sandbox!.requests.map((r) => r.query.access_token ?? r.headers.authorization)).toEqual(['***', 'Bearer ***']);
  });

  it('refuses a wrong token with code 190 and a missing one with code 104, both with a 400', async () => {
    await start();
    const wrong = { status: 400, code: 190, type: 'OAuthException', message: 'Invalid OAuth access token - Cannot parse access token' };
    expect(await getError(graphUrl('/me/adaccounts', { access_token: 'EAAwrong' }))).toMatchObject(wrong);
    expect(await getError(graphUrl('/me/adaccounts', { access_token: '' }), { headers: { authorization: 'Bearer EAAwrong' } })).toMatchObject(wrong);
    expect(await getError(graphUrl(`/${usdAccount}/insights`, { access_token: '' }))).toMatchObject({ status: 400, code: 104, type: 'OAuthException' });
  });

  it('accepts the tokens isValidToken accepts', async () => {
    await start({ isValidToken: (token) => token.startsWith('EAA') });
    expect((await fetch(graphUrl('/me/adaccounts', { access_token: 'EAAanother' }))).status).toBe(200);
    expect(await getError(graphUrl('/me/adaccounts', { access_token: 'nope' }))).toMatchObject({ code: 190 });
  });

  it('lists the ad accounts with Graph cursor paging: next on every page but the last, previous on every page but the first', async () => {
    await start({ adAccounts: 3 });
    const fields = 'id,account_id,name,currency,timezone_name,account_status';
    const first = await getPage(graphUrl('/me/adaccounts', { fields, limit: '2' }), adAccountSchema);
    expect(first.data.map((a) => [a.id, a.currency, a.account_status])).toEqual([
      [usdAccount, 'USD', 1],
      ['act_418000000000002', 'EUR', 1],
    ]);
    expect(first.data.every((a) => a.id === `act_${a.account_id}`)).toBe(true);
    expect(first.paging?.previous).toBeUndefined();
    expect(new URL(first.paging!.next!).searchParams.get('after')).toBe(first.paging!.cursors.after);

    const last = await getPage(first.paging!.next!, adAccountSchema);
    expect(last.data.map((a) => a.id)).toEqual(['act_418000000000003']);
    expect(last.paging?.next).toBeUndefined();
    expect((await getPage(last.paging!.previous!, adAccountSchema)).data).toEqual(first.data);
  });

  it('sends the fields a request names plus the id, or Graph defaults when it names none', async () => {
    await start();
    expect((await getPage(graphUrl('/me/adaccounts'), adAccountSchema)).data[0]).toEqual({ account_id: '418000000000001', id: usdAccount });
    expect((await getPage(graphUrl('/me/adaccounts', { fields: 'name,currency' }), adAccountSchema)).data[0]).toEqual({ name: expect.any(String), currency: 'USD', id: usdAccount });
    expect((await getPage(graphUrl(`/${usdAccount}/campaigns`), campaignSchema)).data.every((c) => Object.keys(c).join() === 'id')).toBe(true);
    expect(await (await fetch(graphUrl(`/${usdAccount}`, { fields: 'name,timezone_name' }))).json()).toEqual({ name: expect.any(String), timezone_name: 'America/Los_Angeles', id: usdAccount });
  });

  it("lists an account's campaigns, created before they first delivered", async () => {
    await start({ campaignsPerAccount: 7 });
    const fields = 'id,name,status,objective,created_time';
    const { records, pages } = await walk(graphUrl(`/${usdAccount}/campaigns`, { fields, limit: '3' }), campaignSchema);
    expect(pages).toBe(3);
    expect(new Set(records.map((c) => c.id)).size).toBe(7);
    const rows = await insights({ level: 'campaign', time_increment: '1', date_preset: 'maximum', fields: 'campaign_id' });
    for (const campaign of records) {
      const firstDelivery = rows.find((row) => row.campaign_id === campaign.id)!.date_start;
      expect(campaign.created_time!.slice(0, 10) < firstDelivery).toBe(true);
    }
  });

  it('walks every insight row of a two-year daily campaign report exactly once, ordered by date then campaign', async () => {
    await start();
    const rows = await insights({ ...dailyByCampaign, date_preset: 'maximum' });
    const keys = rows.map((r) => `${r.date_start} ${r.campaign_id}`);
    expect(new Set(keys).size).toBe(rows.length);
    expect(keys).toEqual([...keys].sort());
    expect(rows.every((r) => r.date_start === r.date_stop)).toBe(true);
    expect([rows[0]!.date_start, rows.at(-1)!.date_start]).toEqual([daysBefore(endDate, 729), endDate]);
    // A campaign delivers on consecutive days, from its start to today or to when it was paused.
    for (const id of new Set(rows.map((r) => r.campaign_id))) {
      const days = rows.filter((r) => r.campaign_id === id).map((r) => Date.parse(r.date_start) / 86_400_000);
      expect(days.at(-1)! - days[0]!).toBe(days.length - 1);
    }

    // The same rows 25 a page, following next links.
    const since = daysBefore(endDate, 59);
    const { records, pages } = await walk(graphUrl(`/${usdAccount}/insights`, { ...dailyByCampaign, time_range: JSON.stringify({ since, until: endDate }) }), insightsRowSchema);
    expect(records).toEqual(rows.filter((r) => r.date_start >= since));
    expect(pages).toBe(Math.ceil(records.length / 25));
  });

  it('keeps ctr, cpc and cpm consistent with impressions, clicks and spend, and within realistic ranges', async () => {
    await start();
    for (const account of [usdAccount, 'act_418000000000002']) {
      for (const row of await insights({ ...dailyByCampaign, date_preset: 'last_90d' }, account)) {
        const [impressions, clicks, spend] = [Number(row.impressions), Number(row.clicks), Number(row.spend)];
        expect(Math.abs(Number(row.ctr) - (clicks / impressions) * 100)).toBeLessThan(1e-6);
        expect(Math.abs(Number(row.cpc) - spend / clicks)).toBeLessThan(1e-6);
        expect(Math.abs(Number(row.cpm) - (spend / impressions) * 1_000)).toBeLessThan(1e-6);
        expect(impressions).toBeGreaterThan(1_000);
        expect(Number(row.ctr)).toBeGreaterThanOrEqual(0.5);
        expect(Number(row.ctr)).toBeLessThanOrEqual(3);
        const funnel = ['link_click', 'landing_page_view', 'offsite_conversion.fb_pixel_add_to_cart', 'offsite_conversion.fb_pixel_purchase'].map((t) => actionOf(row, t));
        expect([clicks, ...funnel]).toEqual([clicks, ...funnel].sort((a, b) => b - a));
        expect(row.account_currency).toBe(account === usdAccount ? 'USD' : 'EUR');
      }
    }
  });

  it('sums exactly: an account row is its campaigns added up, an all_days row its days added up', async () => {
    await start();
    const byCampaign = await insights({ ...dailyByCampaign, date_preset: 'last_30d' });
    const byAccount = await insights({ level: 'account', time_increment: '1', date_preset: 'last_30d', fields: allFields });
    const totals = await insights({ level: 'campaign', date_preset: 'last_30d', fields: allFields });
    const sum = (rows: InsightsRow[]) => ({
      impressions: rows.reduce((n, r) => n + Number(r.impressions), 0),
      clicks: rows.reduce((n, r) => n + Number(r.clicks), 0),
      spendCents: rows.reduce((n, r) => n + Math.round(Number(r.spend) * 100), 0),
      purchases: rows.reduce((n, r) => n + actionOf(r, 'offsite_conversion.fb_pixel_purchase'), 0),
    });
    const counts = (r: InsightsRow) => sum([r]);
    expect(byAccount).toHaveLength(30);
    for (const day of byAccount) expect(counts(day)).toEqual(sum(byCampaign.filter((r) => r.date_start === day.date_start)));
    for (const total of totals) {
      expect([total.date_start, total.date_stop]).toEqual([daysBefore(endDate, 29), endDate]);
      expect(counts(total)).toEqual(sum(byCampaign.filter((r) => r.campaign_id === total.campaign_id)));
    }
    expect(byAccount.every((r) => r.campaign_id === undefined && r.account_name !== undefined)).toBe(true);
  });

  it('delivers more on weekdays than at weekends', async () => {
    await start();
    const days = await insights({ level: 'account', time_increment: '1', date_preset: 'maximum', fields: 'impressions' });
    const average = (weekday: number) => {
      const on = days.filter((r) => new Date(r.date_start).getUTCDay() === weekday);
      return on.reduce((n, r) => n + Number(r.impressions), 0) / on.length;
    };
    expect(average(2)).toBeGreaterThan(average(6) * 1.1);
  });

  it('answers the same numbers every time, in every sandbox, whatever was asked before', async () => {
    const query = { ...dailyByCampaign, time_range: JSON.stringify({ since: '2025-06-01', until: '2025-06-30' }) };
    await start();
    const first = await insights(query);
    await sandbox!.close();
    await start();
    await insights({ level: 'account', date_preset: 'maximum' });
    expect(await insights(query)).toEqual(first);
    expect(first.length).toBeGreaterThan(30);
  });

  it.each([
    ['no period: last_30d, ending on the last day with data', {}, [[daysBefore(endDate, 29), endDate]]],
    ['yesterday', { date_preset: 'yesterday' }, [[endDate, endDate]]],
    ['this_month, up to today', { date_preset: 'this_month' }, [['2026-11-01', '2026-11-25']]],
    ['last_3d, one row a day', { date_preset: 'last_3d', time_increment: '1' }, [0, 1, 2].map((n) => [daysBefore(endDate, 2 - n), daysBefore(endDate, 2 - n)])],
    ['time_range before date_preset', { date_preset: 'yesterday', time_range: '{"since":"2026-03-01","until":"2026-03-10"}' }, [['2026-03-01', '2026-03-10']]],
    [
      'monthly buckets cut at the range',
      { time_range: '{"since":"2026-01-15","until":"2026-03-10"}', time_increment: 'monthly' },
      [['2026-01-15', '2026-01-31'], ['2026-02-01', '2026-02-28'], ['2026-03-01', '2026-03-10']],
    ],
    ['7-day buckets from since', { time_range: '{"since":"2026-03-01","until":"2026-03-16"}', time_increment: '7' }, [['2026-03-01', '2026-03-07'], ['2026-03-08', '2026-03-14'], ['2026-03-15', '2026-03-16']]],
    ['nothing before the first day with data', { time_range: '{"since":"2024-01-01","until":"2024-06-30"}', time_increment: '1' }, []],
  ])('reads the period: %s', async (_, query, periods) => {
    await start();
    const rows = await insights({ level: 'account', ...query });
    expect(rows.map((r) => [r.date_start, r.date_stop])).toEqual(periods);
  });

  it.each([
    ['time_range that is not JSON', 100, { time_range: 'last week' }],
    ['time_range with a date that does not exist', 100, { time_range: '{"since":"2026-02-30","until":"2026-03-01"}' }],
    ['time_range ending before it starts', 100, { time_range: '{"since":"2026-03-02","until":"2026-03-01"}' }],
    ['time_range starting over 37 months ago', 3018, { time_range: '{"since":"2023-10-24","until":"2026-11-24"}' }],
    ['unknown date_preset', 100, { date_preset: 'last_2_weeks' }],
    ['time_increment past 90 days', 100, { time_increment: '91' }],
    ['level the sandbox has no objects for', 100, { level: 'adset' }],
    ['unknown field', 100, { fields: 'impressions,reach' }],
    ['breakdowns', 100, { breakdowns: 'age' }],
    ['limit that is no number', 100, { limit: 'all' }],
    ['cursor the sandbox never sent', 100, { after: 'bm90LWEtY3Vyc29y' }],
  ])('refuses a %s with a 400 and code %d', async (_, code, query) => {
    await start();
    const error = await getError(graphUrl(`/${usdAccount}/insights`, query));
    expect(error).toMatchObject({ status: 400, code, type: 'OAuthException' });
    expect(error.message).toMatch(code === 3018 ? /^\(#3018\) The start date of the time range cannot be beyond 37 months/ : /^\(#100\) /);
  });

  it('accepts a time_range starting exactly 37 months before today', async () => {
    await start();
    expect(await insights({ time_range: JSON.stringify({ since: '2023-10-25', until: endDate }) })).toHaveLength(1);
  });

  it('answers unknown accounts, names and edges as Graph does', async () => {
    await start();
    expect(await getError(graphUrl('/act_999/insights', dailyByCampaign))).toMatchObject({
      status: 400,
      code: 100,
      error_subcode: 33,
      type: 'GraphMethodException',
      message: expect.stringMatching(/^Unsupported get request\. Object with ID 'act_999' does not exist, cannot be loaded due to missing permissions/),
    });
    expect(await getError(graphUrl('/act_999'))).toMatchObject({ code: 100, error_subcode: 33 });
    expect(await getError(graphUrl('/acme/campaigns'))).toMatchObject({ status: 400, code: 803, message: '(#803) Some of the aliases you requested do not exist: acme' });
    expect(await getError(graphUrl(`/${usdAccount}/adsets`))).toMatchObject({ status: 400, code: 2500, message: 'Unknown path components: /adsets' });
    expect(await getError(graphUrl('/me/campaigns'))).toMatchObject({ code: 2500, message: 'Unknown path components: /campaigns' });
    expect(await getError(graphUrl('/me/adaccounts', { fields: 'name,owner' }))).toMatchObject({
      code: 100,
      message: '(#100) Tried accessing nonexisting field (owner) on node type (AdAccount)',
    });
  });

  it("sends Meta's usage headers with insights", async () => {
    await start();
    const response = await fetch(graphUrl(`/${usdAccount}/insights`));
    expect(JSON.parse(response.headers.get('x-fb-ads-insights-throttle')!)).toEqual({ app_id_util_pct: expect.any(Number), acc_id_util_pct: expect.any(Number), ads_api_access_tier: 'standard_access' });
    expect(JSON.parse(response.headers.get('x-business-use-case-usage')!)).toEqual({
      '418000000000001': [{ type: 'ads_insights', call_count: expect.any(Number), total_cputime: expect.any(Number), total_time: expect.any(Number), estimated_time_to_regain_access: 0, ads_api_access_tier: 'standard_access' }],
    });
  });

  it("pages 25 rows by default and caps limit at 500", async () => {
    await start();
    const url = (limit: string) => graphUrl(`/${usdAccount}/insights`, { ...dailyByCampaign, date_preset: 'maximum', limit });
    expect((await getPage(url(''), insightsRowSchema)).data).toHaveLength(25);
    expect((await getPage(url('5000'), insightsRowSchema)).data).toHaveLength(500);
  });

  it("answers the kit's faults in Graph's error shape: a 429 as a rate limit, a 503 as a transient error", async () => {
    await start(undefined, { faults: [{ kind: 'status', status: 429, times: 1 }, { kind: 'status', status: 503, times: 1 }] });
    expect(await getError(graphUrl(`/${usdAccount}/insights`))).toMatchObject({ status: 429, code: 17, message: '(#17) User request limit reached', is_transient: true });
    expect(await getError(graphUrl(`/${usdAccount}/insights`))).toMatchObject({ status: 503, code: 2, is_transient: true });
    expect((await fetch(graphUrl(`/${usdAccount}/insights`))).status).toBe(200);
  });

  it('points paging.next back at the page just read on a repeat_cursor fault', async () => {
    await start(undefined, { faults: [{ kind: 'repeat_cursor', times: 1, afterRequests: 1 }] });
    const first = await getPage(graphUrl(`/${usdAccount}/insights`, { ...dailyByCampaign, date_preset: 'last_30d' }), insightsRowSchema);
    const second = await getPage(first.paging!.next!, insightsRowSchema);
    expect(second.paging!.next).toBe(first.paging!.next);
  });

  it('starts for the hub with the token it accepts, its first ad account chosen, its data ending yesterday', async () => {
    const instance = await metaAdsSandboxProvider.start();
    try {
      const bearer = { headers: { authorization: `Bearer ${instance.secrets.accessToken}` } };
      const response = await fetch(`${instance.baseUrl}/${metaGraphVersion}/me/adaccounts`, bearer);
      expect(pageSchema(adAccountSchema).parse(await response.json()).data.map((a) => a.id)).toEqual([usdAccount, 'act_418000000000002']);
      expect(instance.config).toEqual({ adAccountIds: usdAccount });
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const days = await fetch(`${instance.baseUrl}/${metaGraphVersion}/${usdAccount}/insights?date_preset=last_3d&time_increment=1`, bearer);
      expect(pageSchema(insightsRowSchema).parse(await days.json()).data.at(-1)!.date_start).toBe(yesterday);
    } finally {
      await instance.close();
    }
  });

  it("refuses a token with Graph's challenge beside its body: invalid_token for a refused token, invalid_request otherwise", async () => {
    await start();
    const refused = await fetch(graphUrl('/me', { access_token: 'EAAwrong' }));
    expect(refused.headers.get('www-authenticate')).toBe('OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse access token"');
    const badField = await fetch(graphUrl('/me', { fields: 'email' }));
    expect(badField.headers.get('www-authenticate')).toMatch(/^OAuth "Facebook Platform" "invalid_request" "\(#100\) /);
    // A GraphMethodException comes without a challenge.
    expect((await fetch(graphUrl('/act_999'))).headers.get('www-authenticate')).toBeNull();
  });

  it('plays Facebook Login: no refresh token, a two-hour token for the code, traded for a 60-day one with fb_exchange_token', async () => {
    const instance = await metaAdsSandboxProvider.start();
    try {
      const { clientId: client_id, clientSecret: client_secret } = instance.oauthClient!;
      const redirect_uri = 'http://localhost:3000/api/v1/oauth/callback';
      const verifier = 'v'.repeat(64);
      const authorize = new URL(`${instance.baseUrl}/oauth/authorize`);
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      authorize.search = new URLSearchParams({ response_type: 'code', client_id, redirect_uri, scope: 'ads_read', state: 'st', code_challenge: challenge, code_challenge_method: 'S256' }).toString();
      const code = (await consent(authorize)).searchParams.get('code')!;
      const token = async (form: Record<string, string>) =>
        (await fetch(`${instance.baseUrl}/oauth/token`, { method: 'POST', body: new URLSearchParams({ client_id, client_secret, ...form }) })).json() as Promise<Record<string, unknown>>;

      const short = await token({ grant_type: 'authorization_code', code, redirect_uri, code_verifier: verifier });
      expect(short).toEqual({ access_token: expect.stringMatching(/^sbx-at-/), token_type: 'Bearer', expires_in: 7_200, scope: 'ads_read' });
      const long = await token({ grant_type: 'fb_exchange_token', fb_exchange_token: String(short.access_token) });
      expect(long).toEqual({ access_token: expect.stringMatching(/^sbx-at-/), token_type: 'Bearer', expires_in: 5_184_000, scope: 'ads_read' });
      const me = await fetch(`${instance.baseUrl}/${metaGraphVersion}/me`, { headers: { authorization: `Bearer ${String(long.access_token)}` } });
      expect(me.status).toBe(200);
      expect(await token({ grant_type: 'fb_exchange_token', fb_exchange_token: 'EAAnotissued' })).toMatchObject({ error: 'invalid_grant' });
      expect(await token({ grant_type: 'refresh_token', refresh_token: 'sbx-rt-none' })).toMatchObject({ error: 'invalid_grant' });
    } finally {
      await instance.close();
    }
  });

  it('ends the login on DELETE /me/permissions, as the person removing the app', async () => {
    let revoked = 0;
    await start({ revokeLogin: () => (revoked += 1) });
    const response = await fetch(graphUrl('/me/permissions'), { method: 'DELETE' });
    expect(await response.json()).toEqual({ success: true });
    expect(revoked).toBe(1);
    expect((await fetch(graphUrl('/me/permissions', { access_token: 'EAAwrong' }), { method: 'DELETE' })).status).toBe(400);
    expect(revoked).toBe(1);
  });
});
