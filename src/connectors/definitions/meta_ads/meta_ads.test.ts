import { describe, expect, it } from 'vitest';
import { readAll as readConnector, sandboxPerTest } from '../../../../test/support/connector-reads.js';
import { manualClock } from '../../../../test/support/manual-clock.js';
import { isTributaryError } from '../../../domain/errors.js';
import { connectionContext } from '../../runtime/read-stream.js';
import { createRequester } from '../../runtime/requester.js';
import { testConnection } from '../../runtime/test-connection.js';
import metaAds from './meta_ads.connector.js';
import { metaAdsSandbox, metaAdsSandboxEndDate, metaAdsSandboxToken, metaGraphVersion, type MetaAdsSandboxOptions } from './sandbox.js';

const sandboxes = sandboxPerTest();
const usd = 'act_418000000000001';
const eur = 'act_418000000000002';
/** The sandbox's today: the day after its last day with data. */
const today = Date.parse(`${metaAdsSandboxEndDate}T06:00:00Z`) + 86_400_000;
const daysBefore = (date: string, days: number) => new Date(Date.parse(date) - days * 86_400_000).toISOString().slice(0, 10);

interface InsightsRecord {
  account_id: string;
  campaign_id: string;
  date: string;
  impressions: number;
  clicks: number;
  spend: number;
  conversions: number;
  actions: Array<{ action_type: string; value: number }>;
}

async function start(options: MetaAdsSandboxOptions = {}, faults: Parameters<typeof sandboxes.start>[1] = {}) {
  return sandboxes.start(metaAdsSandbox(options), faults);
}

function readAll(stream: string, { token = metaAdsSandboxToken, config = { adAccountIds: `${usd},${eur}` } as Record<string, unknown>, state = undefined as string | undefined, clock = manualClock(today).clock } = {}) {
  return readConnector(metaAds, stream, { secrets: { accessToken: token }, baseUrl: sandboxes.server.url, config, clock, ...(state ? { state } : {}) });
}

/** What the sandbox itself reports for an account over some days, added up: the oracle a read must match. */
async function accountTotals(account: string, since: string, until: string) {
  const url = new URL(`${sandboxes.server.url}/${metaGraphVersion}/${account}/insights`);
  url.search = new URLSearchParams({ access_token: metaAdsSandboxToken, fields: 'impressions,clicks,spend', time_range: JSON.stringify({ since, until }) }).toString();
  const [row] = ((await (await fetch(url)).json()) as { data: Array<Record<string, string>> }).data;
  return { impressions: Number(row!.impressions), clicks: Number(row!.clicks), spend: Number(row!.spend) };
}

const sum = (records: InsightsRecord[], field: 'impressions' | 'clicks' | 'spend') => records.reduce((total, r) => total + r[field], 0);

describe('Meta Ads', () => {
  it('reads two years of daily insights per ad account and campaign, following Graph paging across accounts and 90-day windows', async () => {
    // Eight campaigns deliver up to 720 rows in 90 days: more than a page of 500.
    const sandbox = await start({ campaignsPerAccount: 8 });
    const batches = await readAll('insights_daily');
    const records = batches.flatMap((b) => b.records as InsightsRecord[]);

    const keys = records.map((r) => `${r.account_id} ${r.campaign_id} ${r.date}`);
    expect(new Set(keys).size).toBe(records.length);
    expect(records.every((r) => typeof r.impressions === 'number' && typeof r.spend === 'number' && Number.isInteger(r.clicks))).toBe(true);
    for (const account of [usd, eur]) {
      const own = records.filter((r) => `act_${r.account_id}` === account);
      expect(own.map((r) => r.date).sort()[0]).toBe(daysBefore(metaAdsSandboxEndDate, 729));
      const expected = await accountTotals(account, daysBefore(metaAdsSandboxEndDate, 729), metaAdsSandboxEndDate);
      expect({ impressions: sum(own, 'impressions'), clicks: sum(own, 'clicks') }).toEqual({ impressions: expected.impressions, clicks: expected.clicks });
      expect(sum(own, 'spend')).toBeCloseTo(expected.spend, 2);
    }

    const insights = sandbox.requests.filter((r) => r.path.endsWith('/insights') && r.query.access_token === undefined);
    expect(insights.every((r) => r.query.level === 'campaign' && r.query.time_increment === '1' && r.query.limit === '500')).toBe(true);
    const ranges = insights.map((r) => JSON.parse(r.query.time_range!) as { since: string; until: string });
    expect(ranges.every(({ since, until }) => (Date.parse(until) - Date.parse(since)) / 86_400_000 < 90)).toBe(true);
    expect(insights.some((r) => r.query.after !== undefined)).toBe(true);
    expect(batches.at(-1)!.cursor).toBe(JSON.stringify({ [usd]: metaAdsSandboxEndDate, [eur]: metaAdsSandboxEndDate }));
  });

  it('counts Meta Pixel purchases and leads as conversions, not the funnel before them', async () => {
    await start({ days: 30 });
    const records = (await readAll('insights_daily')).flatMap((b) => b.records as InsightsRecord[]);
    const purchases = (r: InsightsRecord) => r.actions.find((a) => a.action_type === 'offsite_conversion.fb_pixel_purchase')?.value ?? 0;
    expect(records.every((r) => r.conversions === purchases(r))).toBe(true);
    expect(records.some((r) => r.conversions > 0 && r.actions.some((a) => a.action_type === 'link_click' && a.value > r.conversions))).toBe(true);
  });

  it('reads again only the days Meta may still revise, per ad account: an account chosen later reads its history', async () => {
    const sandbox = await start();
    const state = JSON.stringify({ [usd]: metaAdsSandboxEndDate });
    const records = (await readAll('insights_daily', { state })).flatMap((b) => b.records as InsightsRecord[]);
    const first = (account: string) => records.filter((r) => `act_${r.account_id}` === account).map((r) => r.date).sort()[0];
    expect(first(usd)).toBe(daysBefore(metaAdsSandboxEndDate, 28));
    expect(first(eur)).toBe(daysBefore(metaAdsSandboxEndDate, 729));
    expect(sandbox.requests.filter((r) => r.path === `/${metaGraphVersion}/${usd}/insights`)).toHaveLength(1);
  });

  it('never asks for more than the 37 months Graph keeps, however much history is configured', async () => {
    await start({ days: 1_200 });
    const batches = await readAll('insights_daily', { config: { adAccountIds: usd, historyDays: 5_000 } });
    const dates = batches.flatMap((b) => (b.records as InsightsRecord[]).map((r) => r.date)).sort();
    expect(dates[0]).toBe('2023-10-26');
  });

  it('waits out a 429 with Retry-After, then reads every row', async () => {
    await start({ days: 60 }, { faults: [{ kind: 'status', status: 429, retryAfterSeconds: 2, times: 1, afterRequests: 1 }] });
    const { clock, waits } = manualClock(today);
    const records = (await readAll('insights_daily', { clock })).flatMap((b) => b.records);
    expect(waits).toEqual([2_000]);
    await sandboxes.server.close();
    await start({ days: 60 });
    expect(records).toEqual((await readAll('insights_daily')).flatMap((b) => b.records));
  });

  it('fails with auth_failed, not a retry, when Graph refuses the token (a 400 with code 190)', async () => {
    const sandbox = await start();
    const error = await readAll('insights_daily', { token: 'EAAexpired' }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('auth_failed');
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.requests[0]!.headers.authorization).toBe('Bearer ***');
  });

  it('tests a connection with one cheap call that proves the token', async () => {
    const sandbox = await start();
    const test = (token: string) =>
      testConnection(metaAds, { requester: createRequester({ vendor: metaAds.name }), auth: metaAds.auth[0]!, secrets: { accessToken: token }, baseUrl: sandbox.url });
    expect(await test(metaAdsSandboxToken)).toMatchObject({ ok: true, discovery: { streams: { insights_daily: { primaryKey: ['account_id', 'campaign_id', 'date'] }, campaigns: { primaryKey: ['id'] } } } });
    expect(await test('EAAwrong')).toMatchObject({ ok: false, error: { code: 'auth_failed' } });
    expect(sandbox.requests.map((r) => r.path)).toEqual([`/${metaGraphVersion}/me`, `/${metaGraphVersion}/me`]);
  });

  it('reads the campaigns of every chosen ad account, budgets as numbers', async () => {
    await start({ campaignsPerAccount: 7 });
    const campaigns = (await readAll('campaigns')).flatMap((b) => b.records as Array<{ id: string; account_id: string; daily_budget: number }>);
    expect(campaigns).toHaveLength(14);
    expect(new Set(campaigns.map((c) => c.account_id))).toEqual(new Set(['418000000000001', '418000000000002']));
    expect(campaigns.every((c) => Number.isInteger(c.daily_budget) && c.daily_budget > 0)).toBe(true);
  });

  it('lists every ad account the sign-in can see, following Graph paging', async () => {
    const sandbox = await start({ adAccounts: 130, campaignsPerAccount: 1 });
    const context = connectionContext(metaAds, { requester: createRequester({ vendor: metaAds.name }), auth: metaAds.auth[0]!, secrets: { accessToken: metaAdsSandboxToken }, baseUrl: sandbox.url });
    const accounts = await metaAds.hooks!.accounts!.list(context);
    expect(accounts).toHaveLength(130);
    expect(accounts[0]).toEqual({ id: usd, name: expect.stringMatching(/ \(USD\)$/) });
    expect(sandbox.requests).toHaveLength(2);
  });

  it('asks for a choice of ad accounts rather than reading none', async () => {
    await start();
    const error = await readAll('insights_daily', { config: {} }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('accounts_required');
  });
});
