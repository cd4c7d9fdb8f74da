import { defineConnector } from '../../runtime/define.js';

/**
 * Instantly cold-email campaigns and their analytics, read through API v2 with an API key.
 * Docs: https://developer.instantly.ai/api-reference/campaign/list-campaign (`limit`, `starting_after`,
 * `next_starting_after`), https://developer.instantly.ai/api-reference/campaign/get-campaigns-analytics,
 * https://developer.instantly.ai/api-reference/campaign/get-daily-campaign-analytics and
 * https://developer.instantly.ai/getting-started/rate-limit (100 requests per second and 6,000 per
 * minute, shared by every key of a workspace).
 */
export default defineConnector({
  id: 'instantly',
  name: 'Instantly',
  kind: 'api',
  category: 'outreach',
  description: 'Cold-email campaigns from an Instantly workspace, with their sent, open, reply and bounce counts.',
  docs: 'https://developer.instantly.ai/api-reference/campaign/list-campaign',
  icon: 'icon.svg',
  baseUrl: 'https://api.instantly.ai',
  auth: [{ method: 'bearer', label: 'API v2 key' }],
  // 100 a second keeps both limits: a bucket of 6,000 a minute could burst past the per-second one.
  rateLimit: { requests: 100, perSeconds: 1 },
  testStream: 'campaigns',
  streams: {
    campaigns: {
      description: 'Campaigns with their status, schedule, sequences and sending settings.',
      request: { path: '/api/v2/campaigns', query: { limit: 100 } },
      records: 'items',
      primaryKey: 'id',
      paginate: { style: 'cursor', next: 'next_starting_after', sendAs: 'starting_after' },
    },
    campaign_analytics: {
      description: 'Totals per campaign: leads, emails sent, opens, replies, link clicks, bounces, unsubscribes and opportunities.',
      request: { path: '/api/v2/campaigns/analytics' },
      records: '',
      primaryKey: 'campaign_id',
    },
    campaign_analytics_daily: {
      description: 'Totals per day across every campaign: sent, opened, replies, clicks and opportunities.',
      request: { path: '/api/v2/campaigns/analytics/daily' },
      records: '',
      primaryKey: 'date',
      // The latest days' counts still grow after they are first read, so those days are read again.
      incremental: { field: 'date', sendAs: 'start_date', lookback: 'P3D' },
    },
  },
  metrics: [
    {
      // The workspace's daily totals: Instantly's daily analytics are not broken down by campaign.
      stream: 'campaign_analytics_daily',
      date: 'date',
      values: { sent: 'sent', opens: 'unique_opened', replies: 'unique_replies', clicks: 'unique_clicks', opportunities: 'opportunities' },
      rates: { openRate: { of: 'opens', per: 'sent' }, replyRate: { of: 'replies', per: 'sent' } },
      headline: ['sent', 'opens', 'openRate', 'replies', 'replyRate', 'clicks', 'opportunities'],
    },
  ],
});
