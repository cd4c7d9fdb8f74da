import { defineConnector } from '../../runtime/define.js';
import { loginServer, mailchimpHooks } from './hooks.js';

/**
 * Mailchimp email campaigns and their reports, through the Marketing API 3.0, with an API key or
 * signed in with OAuth 2.0 (Mailchimp's tokens never expire and come without a refresh token, and
 * it has no scopes). Each account's API lives in its data center; `hooks.ts` finds it from the
 * credential, so the base URL here is the login server every account shares.
 * Docs: https://mailchimp.com/developer/marketing/guides/quick-start/,
 * https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/ and
 * https://mailchimp.com/developer/marketing/docs/fundamentals/#api-limits (10 simultaneous
 * connections per account, no rate per second: reads here go one request at a time).
 */
const page = { style: 'offset' as const, offsetParam: 'offset', limitParam: 'count', limit: 1000 };
// Opens, clicks and unsubscribes keep arriving for weeks after a send.
const settling = 'P30D';

export default defineConnector(
  {
    id: 'mailchimp',
    name: 'Mailchimp',
    kind: 'api',
    category: 'email',
    description: 'Email campaigns from a Mailchimp account, with their sends, opens, clicks, bounces and unsubscribes.',
    docs: 'https://mailchimp.com/developer/marketing/api/reports/list-campaign-reports/',
    icon: 'icon.svg',
    baseUrl: loginServer,
    auth: [
      {
        method: 'oauth2',
        label: 'Sign in with Mailchimp',
        provider: 'mailchimp',
        authorizationUrl: 'https://login.mailchimp.com/oauth2/authorize',
        tokenUrl: 'https://login.mailchimp.com/oauth2/token',
      },
      // Mailchimp takes a key as a bearer token, or as the password of HTTP Basic with any user name.
      { method: 'api_key', label: 'API key', in: 'header', name: 'Authorization', prefix: 'Bearer ' },
    ],
    rateLimit: { requests: 10, perSeconds: 1 },
    testStream: 'campaigns',
    streams: {
      campaigns: {
        description: 'Campaigns with their status, audience, settings and report summary.',
        // Oldest first, so that campaigns created while a read pages through do not shift its offsets.
        request: { path: '/campaigns', query: { sort_field: 'create_time', sort_dir: 'ASC' } },
        records: 'campaigns',
        primaryKey: 'id',
        paginate: page,
        // Campaigns have no time of last change; the creation time never moves, where a draft's send time would.
        incremental: { field: 'create_time', sendAs: 'since_create_time', lookback: settling },
      },
      reports: {
        description: 'The report of each sent campaign: emails sent, opens, clicks, bounces, unsubscribes, forwards and e-commerce totals.',
        request: { path: '/reports' },
        records: 'reports',
        primaryKey: 'id',
        paginate: page,
        incremental: { field: 'send_time', sendAs: 'since_send_time', lookback: settling },
      },
    },
    metrics: [
      {
        stream: 'reports',
        // A report holds a campaign's totals to date, counted on the day it was sent (UTC).
        date: 'send_time',
        dimensions: { campaign: 'id', audience: 'list_id' },
        values: {
          emailsSent: 'emails_sent',
          // Unique counts: people who opened or clicked at least once. Totals count every repeat
          // (and, for opens, Apple Mail's privacy prefetches), so a rate over them could pass 100%.
          opens: 'opens.unique_opens',
          clicks: 'clicks.unique_subscriber_clicks',
          bounces: { sum: ['bounces.hard_bounces', 'bounces.soft_bounces', 'bounces.syntax_errors'] },
          unsubscribes: 'unsubscribed',
        },
        // Per email sent. Mailchimp's own open_rate and click_rate divide by emails delivered
        // (sent less bounces), so they read a little higher than these where a send bounced.
        rates: {
          openRate: { of: 'opens', per: 'emailsSent' },
          clickRate: { of: 'clicks', per: 'emailsSent' },
        },
        headline: ['emailsSent', 'opens', 'openRate', 'clicks', 'clickRate', 'bounces', 'unsubscribes'],
        better: { bounces: 'lower', unsubscribes: 'lower' },
      },
    ],
  },
  mailchimpHooks,
);
