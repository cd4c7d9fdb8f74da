import { defineConnector } from '../../runtime/define.js';
import { linkedinHooks } from './hooks.js';

/**
 * LinkedIn (organic): the daily share statistics of the LinkedIn Pages a member administers, and
 * the posts each publishes, through the Community Management API, signed in with LinkedIn's OAuth
 * 2.0. Access tokens last 60 days; apps LinkedIn allows programmatic refresh get a refresh token
 * (a year), the others reconnect when the token runs out (`reauth_required`). The statistics need
 * `rw_organization_admin` (the member must be an ADMINISTRATOR of the Page), the posts
 * `r_organization_social`. LinkedIn publishes its rate limits per app in the developer portal, by
 * the day; five requests a second stays well inside them.
 * Docs: https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow,
 * https://learn.microsoft.com/en-us/linkedin/shared/authentication/programmatic-refresh-tokens and
 * https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics.
 */
export default defineConnector(
  {
    id: 'linkedin',
    name: 'LinkedIn (organic)',
    kind: 'api',
    category: 'social',
    description: 'Daily organic impressions, clicks, reactions, comments, reposts and posts published for the LinkedIn Pages you administer.',
    docs: 'https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics',
    icon: 'icon.svg',
    baseUrl: 'https://api.linkedin.com',
    auth: [
      {
        method: 'oauth2',
        label: 'Sign in with LinkedIn',
        provider: 'linkedin',
        authorizationUrl: 'https://www.linkedin.com/oauth/v2/authorization',
        tokenUrl: 'https://www.linkedin.com/oauth/v2/accessToken',
        revocationUrl: 'https://www.linkedin.com/oauth/v2/revoke',
        scopes: ['r_organization_social', 'rw_organization_admin'],
      },
    ],
    rateLimit: { requests: 5, perSeconds: 1 },
    config: {
      organizationIds: { title: 'LinkedIn Pages', description: 'Comma-separated organization ids (2414183), chosen after signing in: GET and PUT /connections/:id/accounts.', required: false },
    },
    streams: {},
    metrics: [
      {
        stream: 'share_statistics_daily',
        date: 'date',
        dimensions: { organization: 'organization_id' },
        values: {
          postsPublished: 'posts_published',
          impressions: 'impressionCount',
          clicks: 'clickCount',
          likes: 'likeCount',
          comments: 'commentCount',
          shares: 'shareCount',
          engagements: { sum: ['clickCount', 'likeCount', 'commentCount', 'shareCount'] },
        },
        // LinkedIn's own `engagement` adds follows, which share statistics do not count on their
        // own (that is the follower statistics API): this rate is the four interactions per impression.
        rates: { engagementRate: { of: 'engagements', per: 'impressions' } },
        headline: ['impressions', 'engagements', 'engagementRate', 'clicks', 'likes', 'comments', 'shares', 'postsPublished'],
      },
    ],
  },
  linkedinHooks,
);
