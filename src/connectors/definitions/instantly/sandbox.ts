import { STATUS_CODES } from 'node:http';
import { httpSandbox, pagedCollection, SandboxError, seededRecords, type SandboxSpec, type SeededRandom } from '../../sandboxes/index.js';

/**
 * An Instantly API v2 sandbox. Every request needs `Authorization: Bearer <key>`; errors answer
 * `{ statusCode, error, message }` (the 401 and 429 bodies on the pages below).
 *
 * - `GET /api/v2/campaigns?limit&starting_after` answers `{ items: [campaign], next_starting_after }`,
 *   the cursor absent on the last page, `limit` capped at 100
 *   (https://developer.instantly.ai/api-reference/campaign/list-campaign).
 * - `GET /api/v2/campaigns/analytics` answers an array with one totals object per campaign
 *   (https://developer.instantly.ai/api-reference/campaign/get-campaigns-analytics).
 * - `GET /api/v2/campaigns/analytics/daily?start_date&end_date` answers an array with one object per
 *   day, dates as YYYY-MM-DD (https://developer.instantly.ai/api-reference/campaign/get-daily-campaign-analytics).
 */
export const instantlySandboxKey = 'instantly-sandbox-key-0000-0000';

export interface InstantlySandboxSize {
  campaigns?: number;
  /** Days of daily analytics, ending on `instantlySandboxLastDay`. */
  days?: number;
}

export const instantlySandboxLastDay = '2025-02-28';

const dayMs = 86_400_000;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
// https://developer.instantly.ai/api-reference/campaign/list-campaign: 0 draft, 1 active, 2 paused, 3 completed.
const statuses = [0, 1, 1, 1, 2, 3] as const;
const audiences = ['founders', 'agencies', 'recruiters', 'clinics', 'retailers'] as const;

export function instantlySandbox(size: InstantlySandboxSize = {}): SandboxSpec {
  const campaignRecords = seededRecords('instantly/campaigns', size.campaigns ?? 120, campaign);
  const campaigns = pagedCollection(campaignRecords, { style: 'cursor', cursorParam: 'starting_after', sizeParam: 'limit', defaultSize: 10, maxSize: 100 });
  const analytics = seededRecords('instantly/campaign_analytics', campaignRecords.count, (random, i) => campaignTotals(random, campaignRecords.recordAt(i)));
  const days = size.days ?? 90;
  const firstDay = Date.parse(`${instantlySandboxLastDay}T00:00:00Z`) - (days - 1) * dayMs;
  const daily = seededRecords('instantly/campaign_analytics_daily', days, (random, i) => dayTotals(random, new Date(firstDay + i * dayMs).toISOString().slice(0, 10)));

  return {
    auth: (headers) => headers.authorization === `Bearer ${instantlySandboxKey}`,
    errorBody: (status, message) => ({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message }),
    routes: [
      {
        method: 'GET',
        path: '/api/v2/campaigns',
        handle(ctx) {
          const page = campaigns.page(ctx);
          return { body: { items: page.records, ...(page.nextCursor && { next_starting_after: page.nextCursor }) } };
        },
      },
      {
        method: 'GET',
        path: '/api/v2/campaigns/analytics',
        handle: () => ({ body: Array.from({ length: analytics.count }, (_, i) => analytics.recordAt(i)) }),
      },
      {
        method: 'GET',
        path: '/api/v2/campaigns/analytics/daily',
        handle({ query }) {
          const from = dateParam(query.start_date, 'Start Date') ?? 0;
          const to = dateParam(query.end_date, 'End Date') ?? Infinity;
          if (from > to) throw new SandboxError(400, 'Start Date must be earlier than End Date');
          const first = Math.max(0, Math.ceil((from - firstDay) / dayMs));
          const end = Math.min(days, Math.floor((to - firstDay) / dayMs) + 1);
          return { body: Array.from({ length: Math.max(0, end - first) }, (_, i) => daily.recordAt(first + i)) };
        },
      },
    ],
  };
}

interface Campaign {
  id: string;
  name: string;
  status: number;
  is_evergreen: boolean;
}

function campaign(random: SeededRandom, index: number): Campaign & Record<string, unknown> {
  const created = random.isoTimestamp('2024-01-01T00:00:00Z', '2024-12-01T00:00:00Z');
  const audience = random.pick(audiences);
  return {
    id: uuid(random, index),
    name: `${random.word()} ${audience} outreach`,
    status: random.pick(statuses),
    campaign_schedule: {
      schedules: [{ name: 'Weekdays', timing: { from: '09:00', to: '17:00' }, days: { 1: true, 2: true, 3: true, 4: true, 5: true }, timezone: 'Europe/Berlin' }],
    },
    timestamp_created: created,
    timestamp_updated: random.isoTimestamp(created, '2025-03-01T00:00:00Z'),
    pl_value: random.int(50, 500),
    is_evergreen: random.next() < 0.2,
    sequences: [{ steps: [{ type: 'email', delay: 2, delay_unit: 'days', variants: [{ subject: `Quick question for ${audience}`, body: 'Hi {{firstName}}, …' }] }] }],
    email_list: [random.email()],
    daily_limit: random.pick([50, 100, 200]),
    stop_on_reply: true,
    link_tracking: random.next() < 0.5,
    open_tracking: true,
  };
}

/** Field names of the campaign analytics answer; each count no larger than the one it is part of. */
function campaignTotals(random: SeededRandom, { id, name, status, is_evergreen }: Campaign) {
  const leads = random.int(0, 3_000);
  const contacted = random.int(0, leads);
  const sent = contacted + random.int(0, contacted * 2);
  const opens = random.int(0, sent);
  const uniqueOpens = random.int(0, Math.min(opens, contacted));
  const replies = random.int(0, uniqueOpens);
  const uniqueReplies = random.int(0, replies);
  const automaticReplies = random.int(0, uniqueReplies);
  const clicks = random.int(0, opens);
  const uniqueClicks = random.int(0, clicks);
  const opportunities = random.int(0, uniqueReplies);
  return {
    campaign_name: name,
    campaign_id: id,
    campaign_status: status,
    campaign_is_evergreen: is_evergreen,
    leads_count: leads,
    contacted_count: contacted,
    emails_sent_count: sent,
    new_leads_contacted_count: random.int(0, contacted),
    open_count: opens,
    open_count_unique: uniqueOpens,
    open_count_unique_by_step: random.int(uniqueOpens, opens),
    reply_count: replies,
    reply_count_unique: uniqueReplies,
    reply_count_unique_by_step: random.int(uniqueReplies, replies),
    reply_count_automatic: automaticReplies,
    reply_count_automatic_unique: random.int(0, automaticReplies),
    reply_count_automatic_unique_by_step: automaticReplies,
    link_click_count: clicks,
    link_click_count_unique: uniqueClicks,
    link_click_count_unique_by_step: random.int(uniqueClicks, clicks),
    bounced_count: random.int(0, Math.floor(sent / 20)),
    unsubscribed_count: random.int(0, Math.floor(contacted / 50)),
    completed_count: random.int(0, contacted),
    total_opportunities: opportunities,
    total_opportunity_value: opportunities * random.int(100, 5_000),
  };
}

/** Field names of the daily campaign analytics answer. */
function dayTotals(random: SeededRandom, date: string) {
  const sent = random.int(0, 2_000);
  const contacted = random.int(0, sent);
  const opened = random.int(0, sent);
  const uniqueOpened = random.int(0, opened);
  const replies = random.int(0, uniqueOpened);
  const repliesAutomatic = random.int(0, replies);
  const clicks = random.int(0, opened);
  const opportunities = random.int(0, replies);
  return {
    date,
    sent,
    contacted,
    new_leads_contacted: random.int(0, contacted),
    opened,
    unique_opened: uniqueOpened,
    replies,
    unique_replies: random.int(0, replies),
    replies_automatic: repliesAutomatic,
    unique_replies_automatic: random.int(0, repliesAutomatic),
    clicks,
    unique_clicks: random.int(0, clicks),
    opportunities,
    unique_opportunities: random.int(0, opportunities),
  };
}

/** A UUIDv7-shaped id like Instantly's; the index in the last group keeps every id distinct. */
function uuid(random: SeededRandom, index: number): string {
  const hex = (digits: number) => random.int(0, 16 ** digits - 1).toString(16).padStart(digits, '0');
  return `0194${hex(4)}-${hex(4)}-7${hex(3)}-${random.pick(['8', '9', 'a', 'b'])}${hex(3)}-${index.toString(16).padStart(12, '0')}`;
}

/** Midnight UTC of a YYYY-MM-DD query value, or undefined when the request leaves it out. */
function dateParam(value: string | undefined, label: string): number | undefined {
  if (value === undefined) return undefined;
  const time = datePattern.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(time)) throw new SandboxError(400, `${label} must be a date in YYYY-MM-DD format`);
  return time;
}

/** The sandbox the hub starts for an Instantly connection in sandbox mode. */
export const instantlySandboxProvider = httpSandbox(() => instantlySandbox(), { token: instantlySandboxKey });
