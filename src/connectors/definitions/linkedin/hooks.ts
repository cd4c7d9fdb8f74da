import type { Account, ConnectionContext, ConnectorHooks, Discovery } from '../../runtime/hooks.js';
import { restliPath } from './restli.js';
import { linkedinHeaders, readShareStatistics, shareStatisticsStream } from './share-statistics.js';

/**
 * LinkedIn's versioned REST API takes Rest.li 2.0 queries and a version header on every request,
 * which the declarative form has no place for, so the one stream is read by a hook
 * (`share-statistics.ts`). The Pages to read are the organizations the member administers
 * (`GET /rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED`, names from
 * `GET /rest/organizations/{id}`), chosen into `organizationIds`.
 * Docs: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-access-control-by-role
 * and https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-lookup-api.
 */
const aclPageSize = 100;

interface AclPage {
  elements?: Array<{ organization?: string }>;
}

const administeredRoles = (start: number, count: number) =>
  restliPath('/rest/organizationAcls', { q: 'roleAssignee', role: 'ADMINISTRATOR', state: 'APPROVED', start, count });

/**
 * The stream, keyed by organization and day. Its one request also proves the token, its scope and
 * the API version at connection test time: the connector declares no stream a test could read.
 */
async function discover(context: ConnectionContext): Promise<Discovery> {
  await context.send({ path: administeredRoles(0, 1), headers: linkedinHeaders });
  const count = { type: 'integer' } as const;
  return {
    streams: {
      [shareStatisticsStream]: {
        description: 'Organic impressions, clicks, reactions, comments, reposts and engagement per LinkedIn Page and day, with the posts published that day.',
        primaryKey: ['organization_id', 'date'],
        cursorCandidates: ['date'],
        columns: {
          organization_id: { type: 'string' },
          date: { type: 'date' },
          posts_published: count,
          impressionCount: count,
          uniqueImpressionsCount: count,
          clickCount: count,
          likeCount: count,
          commentCount: count,
          shareCount: count,
          engagement: { type: 'number' },
        },
      },
    },
  };
}

async function listOrganizations(context: ConnectionContext): Promise<Account[]> {
  const ids: string[] = [];
  for (let start = 0; ; start += aclPageSize) {
    const page = (await context.send({ path: administeredRoles(start, aclPageSize), headers: linkedinHeaders })).body as AclPage;
    const elements = page.elements ?? [];
    for (const { organization } of elements) {
      const id = /^urn:li:organization:(\d+)$/.exec(organization ?? '')?.[1];
      if (id !== undefined) ids.push(id);
    }
    if (elements.length < aclPageSize) break;
  }
  const accounts: Account[] = [];
  for (const id of ids) {
    const organization = (await context.send({ path: `/rest/organizations/${id}`, headers: linkedinHeaders })).body as { localizedName?: string; vanityName?: string };
    accounts.push({ id, name: organization.localizedName ?? organization.vanityName ?? `Organization ${id}` });
  }
  return accounts;
}

export const linkedinHooks: ConnectorHooks = { discover, readStream: readShareStatistics, accounts: { field: 'organizationIds', list: listOrganizations } };
