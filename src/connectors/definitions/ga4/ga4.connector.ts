import { defineConnector } from '../../runtime/define.js';
import { ga4Hooks } from './hooks.js';

/**
 * Google Analytics 4: daily traffic per property through the Data API, signed in with Google's
 * OAuth 2.0 (offline access, so a refresh token comes back; `prompt=consent` so it comes back on
 * every sign-in). Docs: https://developers.google.com/analytics/devguides/reporting/data/v1 and
 * https://developers.google.com/identity/protocols/oauth2/web-server (endpoints, revocation).
 * Google allows 10 concurrent requests and about 200,000 tokens a day per property.
 */
export default defineConnector(
  {
    id: 'ga4',
    name: 'Google Analytics 4',
    kind: 'api',
    category: 'analytics',
    description: 'Daily sessions, users, pageviews, engagement, key events and revenue for your GA4 properties.',
    docs: 'https://developers.google.com/analytics/devguides/reporting/data/v1',
    icon: 'icon.svg',
    baseUrl: 'https://analyticsdata.googleapis.com',
    auth: [
      {
        method: 'oauth2',
        label: 'Sign in with Google',
        provider: 'google',
        authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
        tokenUrl: 'https://oauth2.googleapis.com/token',
        revocationUrl: 'https://oauth2.googleapis.com/revoke',
        scopes: ['https://www.googleapis.com/auth/analytics.readonly'],
        authorizationParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
      },
    ],
    rateLimit: { requests: 10, perSeconds: 1 },
    config: {
      propertyIds: { title: 'GA4 properties', description: 'Comma-separated property ids (310873346), chosen after signing in: GET and PUT /connections/:id/accounts.', required: false },
      historyDays: { type: 'integer', title: 'Days of history', description: 'How far back the first sync reads.', required: false, default: 730 },
    },
    streams: {},
    metrics: [
      {
        stream: 'traffic_daily',
        date: 'date',
        dimensions: { property: 'property_id' },
        // GA4 reports bounce, duration and conversion as per-session rates: kept as the counts they stand for.
        values: {
          sessions: 'sessions',
          users: 'totalUsers',
          newUsers: 'newUsers',
          pageviews: 'screenPageViews',
          conversions: 'keyEvents',
          revenue: 'totalRevenue',
          bounces: { product: ['bounceRate', 'sessions'] },
          sessionDuration: { product: ['averageSessionDuration', 'sessions'] },
          convertingSessions: { product: ['sessionConversionRate', 'sessions'] },
        },
        rates: {
          bounceRate: { of: 'bounces', per: 'sessions' },
          avgSessionDuration: { of: 'sessionDuration', per: 'sessions' },
          conversionRate: { of: 'convertingSessions', per: 'sessions' },
        },
        units: { revenue: 'currency', sessionDuration: 'seconds', avgSessionDuration: 'seconds' },
        headline: ['sessions', 'users', 'pageviews', 'bounceRate', 'avgSessionDuration', 'conversions', 'conversionRate', 'revenue'],
        better: { bounces: 'lower', bounceRate: 'lower' },
      },
    ],
  },
  ga4Hooks,
);
