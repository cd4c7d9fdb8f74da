import type { LazyRecords } from '../../sandboxes/index.js';
import type { AdAccount, Campaign } from './ad-accounts.js';
import { actionTypes, addDelivery, noDelivery } from './campaign-delivery.js';
import { invalidParameter } from './graph-error.js';
import { isoDate, reportBuckets, type Bucket, type Calendar } from './report-period.js';

/**
 * `GET /act_<id>/insights` (https://developers.facebook.com/docs/marketing-api/reference/ad-account/insights/):
 * one row per time bucket and per campaign (`level=campaign`) or for the whole account (`level=account`,
 * the default), ordered by date then campaign. Graph sends no row for a campaign that did not deliver,
 * every number as a string, and only the fields asked for, plus `date_start` and `date_stop`
 * (https://developers.facebook.com/docs/marketing-api/reference/ads-insights/).
 */
export type InsightsRow = Record<string, string | Array<{ action_type: string; value: string }>>;

type Level = 'account' | 'campaign';

const insightsFields = [
  'account_id', 'account_name', 'account_currency', 'campaign_id', 'campaign_name', 'objective',
  'impressions', 'clicks', 'spend', 'ctr', 'cpc', 'cpm', 'actions', 'date_start', 'date_stop',
];
/** Graph's answer when a request names no fields. */
const defaultFields: Record<Level, string[]> = { account: ['account_id', 'impressions', 'spend'], campaign: ['account_id', 'campaign_id', 'impressions', 'spend'] };
// They change which rows come back: answering as if they were absent would mislead a connector's tests.
const unmodelledParams = ['breakdowns', 'time_ranges', 'filtering'];

/** The report's rows, each built only when its page is asked for. */
export function insightsReport(account: AdAccount, query: Record<string, string>, calendar: Calendar): LazyRecords<InsightsRow> {
  const unmodelled = unmodelledParams.find((name) => query[name] !== undefined && query[name] !== '' && query[name] !== '[]');
  if (unmodelled !== undefined) throw invalidParameter(`the sandbox does not model ${unmodelled}; leave it out`);
  const level = levelOf(query.level ?? 'account');
  const fields = fieldsOf(query.fields, level);
  const buckets = reportBuckets(query, calendar);
  const groups: Campaign[][] = level === 'campaign' ? account.campaigns.map((campaign) => [campaign]) : [account.campaigns];
  const deliveringIn = (bucket: Bucket) => groups.filter((group) => group.some((c) => c.firstDay <= bucket.stop && c.lastDay >= bucket.start));

  // firstRowOf[b]: the index of bucket b's first row; a row is found by bisecting it.
  const firstRowOf = new Uint32Array(buckets.length + 1);
  buckets.forEach((bucket, b) => (firstRowOf[b + 1] = firstRowOf[b]! + deliveringIn(bucket).length));
  return {
    count: firstRowOf[buckets.length]!,
    recordAt(index) {
      const b = bucketOfRow(firstRowOf, index);
      const bucket = buckets[b]!;
      return insightsRow(account, level, deliveringIn(bucket)[index - firstRowOf[b]!]!, bucket, fields);
    },
  };
}

/** The usage headers Meta sends with insights (https://developers.facebook.com/docs/graph-api/overview/rate-limiting): far from any limit. */
export function insightsUsageHeaders(account: AdAccount): Record<string, string> {
  const usage = { type: 'ads_insights', call_count: 2, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 0, ads_api_access_tier: 'standard_access' };
  return {
    'x-fb-ads-insights-throttle': JSON.stringify({ app_id_util_pct: 0, acc_id_util_pct: 2, ads_api_access_tier: 'standard_access' }),
    'x-business-use-case-usage': JSON.stringify({ [account.node.account_id]: [usage] }),
  };
}

function levelOf(level: string): Level {
  if (level === 'account' || level === 'campaign') return level;
  if (level === 'adset' || level === 'ad') throw invalidParameter('the sandbox has no ad sets or ads: ask for level=account or level=campaign');
  throw invalidParameter('param level must be one of {ad, adset, campaign, account}');
}

function fieldsOf(list: string | undefined, level: Level): string[] {
  if (list === undefined || list === '') return defaultFields[level];
  const fields = list.split(',').map((field) => field.trim());
  const unknown = fields.find((field) => !insightsFields.includes(field));
  if (unknown !== undefined) {
    throw invalidParameter(`${unknown} is not valid for fields param. please check https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values`);
  }
  return fields;
}

function bucketOfRow(firstRowOf: Uint32Array, index: number): number {
  let low = 0;
  let high = firstRowOf.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (firstRowOf[middle]! <= index) low = middle;
    else high = middle - 1;
  }
  return low;
}

function insightsRow(account: AdAccount, level: Level, group: Campaign[], bucket: Bucket, fields: string[]): InsightsRow {
  const total = noDelivery();
  for (const campaign of group) addDelivery(total, campaign, bucket.start, bucket.stop);
  const campaign = level === 'campaign' ? group[0]!.node : undefined;
  const spend = total.spendCents / 100;
  const actions = actionTypes.filter((type) => total.actions[type] > 0).map((type) => ({ action_type: type, value: String(total.actions[type]) }));
  // Rates come from the summed counts, as Graph computes them; one with no denominator is left out.
  const values: Partial<InsightsRow> = {
    account_id: account.node.account_id,
    account_name: account.node.name,
    account_currency: account.node.currency,
    campaign_id: campaign?.id,
    campaign_name: campaign?.name,
    objective: campaign?.objective,
    impressions: String(total.impressions),
    clicks: String(total.clicks),
    spend: String(spend),
    ctr: total.impressions > 0 ? decimal((total.clicks / total.impressions) * 100) : undefined,
    cpc: total.clicks > 0 ? decimal(spend / total.clicks) : undefined,
    cpm: total.impressions > 0 ? decimal((spend / total.impressions) * 1_000) : undefined,
    actions: actions.length > 0 ? actions : undefined,
  };
  const row: InsightsRow = {};
  for (const field of fields) {
    const value = values[field];
    if (value !== undefined) row[field] = value;
  }
  row.date_start = isoDate(bucket.start);
  row.date_stop = isoDate(bucket.stop);
  return row;
}

/** Up to six decimals and no trailing zeros, as Graph prints numbers (its own example: `"spend": "5339.5"`). */
function decimal(value: number): string {
  return String(Number(value.toFixed(6)));
}
