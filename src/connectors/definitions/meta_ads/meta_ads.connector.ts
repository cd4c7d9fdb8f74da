import { defineConnector } from '../../runtime/define.js';
import { metaAdsHooks } from './hooks.js';

/**
 * Meta Ads (Facebook and Instagram ads): daily delivery per ad account and campaign through the
 * Marketing API's insights (Graph API v21.0), signed in with Facebook Login. Facebook issues no
 * refresh tokens: the sign-in's short-lived token is traded at once for a long-lived one (about
 * 60 days, `fb_exchange_token`), and when that runs out, or the person removes the app, the
 * connection asks to be signed in again (`reauth_required`).
 * Docs: https://developers.facebook.com/docs/marketing-api/insights,
 * https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow,
 * https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived.
 * Rate limit: an ad account allows a score of 60 per 300 s to an app in Meta's development tier
 * (9,000 in the standard tier), a read scoring 1; the bucket keeps to the development tier's
 * (https://developers.facebook.com/docs/marketing-api/overview/rate-limiting).
 */
export default defineConnector(
  {
    id: 'meta_ads',
    name: 'Meta Ads',
    kind: 'api',
    category: 'advertising',
    description: 'Daily impressions, clicks, spend and conversions per ad account and campaign, with the campaigns themselves.',
    docs: 'https://developers.facebook.com/docs/marketing-api/insights',
    icon: 'icon.svg',
    baseUrl: 'https://graph.facebook.com',
    auth: [
      {
        method: 'oauth2',
        label: 'Sign in with Facebook',
        provider: 'facebook',
        authorizationUrl: 'https://www.facebook.com/v21.0/dialog/oauth',
        tokenUrl: 'https://graph.facebook.com/v21.0/oauth/access_token',
        scopes: ['ads_read'],
        scopeSeparator: ',',
        longLivedGrant: { grantType: 'fb_exchange_token', tokenParam: 'fb_exchange_token' },
      },
    ],
    rateLimit: { requests: 60, perSeconds: 300 },
    config: {
      adAccountIds: {
        title: 'Ad accounts',
        description: 'Comma-separated ad account ids (act_1234567890), chosen after signing in: GET and PUT /connections/:id/accounts.',
        required: false,
        pattern: { regex: '^\\s*(act_)?\\d+(\\s*,\\s*(act_)?\\d+)*\\s*$', message: 'must be ad account ids such as act_1234567890, separated by commas' },
      },
      historyDays: { type: 'integer', title: 'Days of history', description: 'How far back the first sync reads; Meta keeps 37 months.', required: false, default: 730 },
      settleDays: {
        type: 'integer',
        title: 'Days Meta may still revise',
        description: 'Each sync reads again this many days before the last day read: conversions are attributed to the day of the click or view for up to 28 days.',
        required: false,
        default: 28,
      },
    },
    streams: {},
    metrics: [
      {
        stream: 'insights_daily',
        date: 'date',
        dimensions: { account: 'account_id', campaign: 'campaign_id' },
        values: { impressions: 'impressions', clicks: 'clicks', spend: 'spend', conversions: 'conversions' },
        rates: {
          ctr: { of: 'clicks', per: 'impressions' },
          cpc: { of: 'spend', per: 'clicks' },
          conversionRate: { of: 'conversions', per: 'clicks' },
        },
        // In each ad account's own currency (its `account_currency`): sums across accounts mix currencies.
        units: { spend: 'currency', cpc: 'currency' },
        headline: ['impressions', 'clicks', 'spend', 'ctr', 'cpc', 'conversions', 'conversionRate'],
        better: { spend: 'neither', cpc: 'lower' },
      },
    ],
  },
  metaAdsHooks,
);
