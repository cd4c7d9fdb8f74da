import { numberOf } from '../../runtime/metrics-mapping.js';
import { daysReadOf } from '../../runtime/account-choice.js';
import { TributaryError } from '../../../domain/errors.js';
import type { ConnectionContext, DiscoveredStream, StreamReadContext } from '../../runtime/hooks.js';
import type { RecordBatch } from '../../runtime/read-stream.js';
import { adAccountIds } from './ad-account-ids.js';
import { graphList, graphVersion } from './graph-list.js';

/**
 * `insights_daily`: one record per ad account, campaign and day, from
 * `GET /act_<id>/insights?level=campaign&time_increment=1&time_range=…`
 * (https://developers.facebook.com/docs/marketing-api/insights/parameters), Graph's strings made
 * numbers. Days are the ad account's own (its time zone). A first sync reads `historyDays` back;
 * later syncs read again from `settleDays` before the last day read: Meta counts a conversion on
 * the day of the click or view that led to it, for up to 28 days after the click (`28d_click`,
 * the longest of the `action_attribution_windows` in the parameters doc above).
 *
 * `conversions` adds up three action types that never count one event twice: Meta Pixel purchases
 * (`offsite_conversion.fb_pixel_purchase`), Meta Pixel leads (`offsite_conversion.fb_pixel_lead`)
 * and leads from Meta's own forms (`onsite_conversion.lead_grouped`). Meta's rollups (`purchase`,
 * `omni_purchase`, `lead`) count the same events again, so they are kept in `actions` only
 * (https://developers.facebook.com/docs/marketing-api/reference/ads-action-stats/).
 */
export const insightsStream = 'insights_daily';

const conversionTypes = new Set(['offsite_conversion.fb_pixel_purchase', 'offsite_conversion.fb_pixel_lead', 'onsite_conversion.lead_grouped']);
const fields = ['account_id', 'account_name', 'account_currency', 'campaign_id', 'campaign_name', 'objective', 'impressions', 'clicks', 'spend', 'ctr', 'cpc', 'cpm', 'actions'];
/** Meta asks for short ranges on large accounts (https://developers.facebook.com/docs/marketing-api/insights/best-practices/). */
const windowDays = 90;
const pageSize = '500';

export const insightsColumns: DiscoveredStream = {
  description: 'Impressions, clicks, spend and conversions per ad account, campaign and day.',
  primaryKey: ['account_id', 'campaign_id', 'date'],
  cursorCandidates: ['date'],
  columns: {
    account_id: { type: 'string' },
    campaign_id: { type: 'string' },
    date: { type: 'date' },
    account_name: { type: 'string' },
    account_currency: { type: 'string' },
    campaign_name: { type: 'string' },
    objective: { type: 'string' },
    impressions: { type: 'integer' },
    clicks: { type: 'integer' },
    spend: { type: 'number', label: 'Spend, in the account currency' },
    ctr: { type: 'number', label: 'Click-through rate, percent (Meta)' },
    cpc: { type: 'number', label: 'Cost per click (Meta)' },
    cpm: { type: 'number', label: 'Cost per 1,000 impressions (Meta)' },
    conversions: { type: 'number' },
    actions: { type: 'json' },
  },
};

export async function* readInsights(context: ConnectionContext & StreamReadContext, today: number): AsyncGenerator<RecordBatch> {
  const read = daysReadOf(context.state);
  const days = requestedDays(context.config, today);
  let page = 0;
  for (const account of adAccountIds(context.config)) {
    const windows = windowsOf(days.since(read[account]), days.until);
    for (const [w, [since, until]] of windows.entries()) {
      const query = { level: 'campaign', time_increment: '1', time_range: JSON.stringify({ since, until }), fields: fields.join(','), limit: pageSize };
      for await (const list of graphList(context, `/${graphVersion}/${account}/insights`, query)) {
        if (context.maxPages !== undefined && page >= context.maxPages) return;
        // Once the account's last page is in, its days are read up to `until`, with or without delivery.
        if (list.last && w === windows.length - 1) read[account] = days.until;
        page += 1;
        yield { records: list.records.map(insightsRecord), page, bytes: list.bytes, cursor: JSON.stringify(read) };
      }
    }
  }
}

const dayMs = 86_400_000;
const isoDay = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10);

/**
 * The days a read covers. It ends yesterday in UTC: a day every ad account's time zone has
 * reached, so Graph never meets a day that has not begun. It starts no earlier than Graph's
 * 37 months back (a day's margin for time zones ahead of UTC).
 */
function requestedDays(config: Record<string, unknown>, today: number): { until: string; since(lastRead: string | undefined): string } {
  const now = new Date(today * dayMs);
  const oldest = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 37, now.getUTCDate()) / dayMs + 1;
  const history = Math.max(1, Number(config.historyDays ?? 730));
  const settle = Math.max(0, Number(config.settleDays ?? 28));
  const until = today - 1;
  return {
    until: isoDay(until),
    since: (lastRead) => {
      const last = dayOf(lastRead);
      return isoDay(Math.max(last === undefined ? until - history + 1 : Math.min(last - settle, until), oldest));
    },
  };
}

/** `[since, until]` cut into ranges of at most `windowDays`, oldest first. */
function windowsOf(since: string, until: string): Array<[string, string]> {
  const last = dayOf(until)!;
  const windows: Array<[string, string]> = [];
  for (let start = dayOf(since)!; start <= last; start += windowDays) windows.push([isoDay(start), isoDay(Math.min(start + windowDays - 1, last))]);
  return windows;
}

/** The day (since 1970-01-01) of a `YYYY-MM-DD` text, or undefined for anything else. */
function dayOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const day = Date.parse(`${text}T00:00:00Z`) / dayMs;
  return Number.isInteger(day) ? day : undefined;
}

interface ActionStat {
  action_type: string;
  value: number;
}

function insightsRecord(row: Record<string, unknown>): Record<string, unknown> {
  const { date_start: date, date_stop: _stop, actions: rawActions, ...rest } = row;
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || typeof rest.campaign_id !== 'string') {
    throw new TributaryError('invalid_response', 'Meta Ads: an insights row has no campaign_id or date_start as documented.', { details: { path: 'data' } });
  }
  const actions: ActionStat[] = Array.isArray(rawActions)
    ? rawActions.map((a: { action_type?: unknown; value?: unknown }) => ({ action_type: String(a.action_type), value: numberOf(a.value) }))
    : [];
  const record: Record<string, unknown> = { ...rest, date, actions };
  for (const name of ['impressions', 'clicks', 'spend']) record[name] = numberOf(rest[name]);
  // Graph leaves a rate out when it has no denominator (no impressions, no clicks).
  for (const name of ['ctr', 'cpc', 'cpm']) if (rest[name] !== undefined) record[name] = numberOf(rest[name]);
  record.conversions = actions.reduce((total, a) => total + (conversionTypes.has(a.action_type) ? a.value : 0), 0);
  return record;
}


