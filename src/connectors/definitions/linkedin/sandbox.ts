import { oauthHttpSandbox, type RouteContext, type SandboxReply, type SandboxRoute, type SandboxSpec } from '../../sandboxes/index.js';
import { accessDenied, emptyToken, invalidParam, invalidToken, LinkedInError, linkedinErrorBody, notFound, versionInactive, versionMissing } from './linkedin-error.js';
import { postsBetween, seedOrganizations, shareStatisticsOn, type SandboxOrganization } from './page-activity.js';
import { restliQuery, type DecodedRestli } from './restli.js';
import { dayMs, dayStart, retentionStart } from './statistics-window.js';

/**
 * A sandbox of LinkedIn's versioned REST API (`https://api.linkedin.com/rest`) for organic Page
 * statistics. Every request needs `Authorization: Bearer <token>`, `LinkedIn-Version: YYYYMM` (a
 * version is taken for the 12 months after it came out) and `X-Restli-Protocol-Version: 2.0.0`;
 * every query is read as Rest.li 2.0 (`restli.ts`), so an unencoded URN or an encoded structure
 * is refused. Errors are `{ status, serviceErrorCode, code, message }` (`linkedin-error.ts`).
 * - `GET /rest/organizationAcls?q=roleAssignee&role&state&start&count`: the member's roles,
 *   `{ paging, elements: [{ roleAssignee, role, state, organization }] }`
 *   (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-access-control-by-role).
 * - `GET /rest/organizations/{id}`: `{ id, localizedName, vanityName, … }`
 *   (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-lookup-api).
 * - `GET /rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=<urn>&timeIntervals=(timeRange:(start:<ms>,end:<ms>),timeGranularityType:DAY)`:
 *   one element per whole day in the range before today, within the rolling 12 months; only an
 *   administrator's organization (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics).
 * - `GET /rest/posts?q=author&author=<urn>&sortBy&start&count`: the organization's posts, newest
 *   first, 10 a page unless told, at most 100 (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api).
 * Posts and statistics exist for the 400 days before the sandbox's today, which is its clock's.
 */
export const linkedinSandboxToken = 'AQVsandbox-linkedin-access-token-000000000';
export const linkedinSandboxMember = 'urn:li:person:Sbx7Member42';

export interface LinkedInSandboxOptions {
  /** Organizations the member administers, 3 unless told otherwise; one more they only analyse. */
  organizations?: number;
  /** The sandbox's clock (real time unless told otherwise): LinkedIn's window moves with today. */
  now?: () => number;
  /** Which bearer tokens pass; only `linkedinSandboxToken` unless told otherwise. */
  isValidToken?: (token: string) => boolean;
}

const heldDays = 400;
const maxPostsPage = 100;

export function linkedinSandbox(options: LinkedInSandboxOptions = {}): SandboxSpec {
  const { organizations: administered = 3, now = Date.now, isValidToken = (token) => token === linkedinSandboxToken } = options;
  const organizations = seedOrganizations(administered);
  const byUrn = new Map(organizations.map((organization) => [organization.urn, organization]));

  const route = (path: string, answer: (ctx: RouteContext, params: Record<string, DecodedRestli>) => SandboxReply): SandboxRoute => ({
    method: 'GET',
    path,
    handle(ctx) {
      try {
        checkHeaders(ctx, isValidToken, now());
        let params: Record<string, DecodedRestli>;
        try {
          params = restliQuery(ctx.url.search);
        } catch (error) {
          throw invalidParam(`Invalid param. ${(error as Error).message}`);
        }
        return answer(ctx, params);
      } catch (error) {
        // The kit's `errorBody` gets a status and a message only; LinkedIn's code needs the error itself.
        if (error instanceof LinkedInError) return error.reply();
        throw error;
      }
    },
  });
  /** The administered organization a URN parameter names; 403 for any other, as LinkedIn answers. */
  const administeredBy = (params: Record<string, DecodedRestli>, name: string, resource: string): SandboxOrganization => {
    const urn = text(params, name);
    if (!/^urn:li:organization:\d+$/.test(urn)) throw invalidParam(`Invalid param. ${name} must be an organization URN, as in urn%3Ali%3Aorganization%3A123.`);
    const organization = byUrn.get(urn);
    if (organization?.role !== 'ADMINISTRATOR') throw accessDenied(resource);
    return organization;
  };

  return {
    errorBody: linkedinErrorBody,
    routes: [
      route('/rest/organizationAcls', (_ctx, params) => {
        finder(params, 'roleAssignee');
        const matching = organizations.filter((o) => (params.role === undefined || params.role === o.role) && (params.state === undefined || params.state === 'APPROVED'));
        const { start, count } = paging(params, 10, 100);
        const elements = matching.slice(start, start + count).map((o) => ({ roleAssignee: linkedinSandboxMember, role: o.role, state: 'APPROVED', organization: o.urn }));
        return { body: { paging: { start, count, links: [], total: matching.length }, elements } };
      }),
      route('/rest/organizations/:id', (ctx) => {
        const organization = byUrn.get(`urn:li:organization:${ctx.params.id}`);
        if (!organization) throw notFound(`organization ${ctx.params.id}`);
        const { id, localizedName, vanityName } = organization;
        return { body: { id: Number(id), localizedName, vanityName, name: { localized: { en_US: localizedName }, preferredLocale: { country: 'US', language: 'en' } }, primaryOrganizationType: 'NONE' } };
      }),
      route('/rest/organizationalEntityShareStatistics', (_ctx, params) => {
        finder(params, 'organizationalEntity');
        const organization = administeredBy(params, 'organizationalEntity', 'organizationalEntityShareStatistics.FINDER-organizationalEntity');
        if (params.timeIntervals === undefined) throw invalidParam('The sandbox does not simulate lifetime share statistics; send timeIntervals.');
        if (params.shares !== undefined || params.ugcPosts !== undefined) throw invalidParam('The sandbox does not simulate statistics of single posts (shares, ugcPosts).');
        const { start, end } = timeIntervals(params.timeIntervals, now());
        const today = dayStart(now()) / dayMs;
        const elements = [];
        for (let day = Math.ceil(start / dayMs); day * dayMs + dayMs <= end && day < today; day++) {
          elements.push({ organizationalEntity: organization.urn, timeRange: { start: day * dayMs, end: day * dayMs + dayMs }, totalShareStatistics: shareStatisticsOn(organization, day) });
        }
        return { body: { paging: { start: 0, count: 10, links: [] }, elements } };
      }),
      route('/rest/posts', (_ctx, params) => {
        finder(params, 'author');
        const organization = administeredBy(params, 'author', 'posts.FINDER-author');
        if (params.sortBy !== undefined && params.sortBy !== 'LAST_MODIFIED' && params.sortBy !== 'CREATED') throw invalidParam('Invalid param. sortBy must be LAST_MODIFIED or CREATED.');
        const { start, count } = paging(params, 10, maxPostsPage);
        const today = dayStart(now()) / dayMs;
        const posts = postsBetween(organization, organizations.indexOf(organization), today - heldDays, today - 1);
        return { body: { paging: { start, count, links: [], total: posts.length }, elements: posts.slice(start, start + count) } };
      }),
    ],
  };
}

/**
 * The sandbox the hub starts for a LinkedIn connection in sandbox mode, with LinkedIn's sign-in
 * played by its authorization server: access tokens for 60 days and refresh tokens, as LinkedIn
 * issues them to apps with programmatic refresh. A sandbox connection reads the first Page.
 */
export const linkedinSandboxProvider = oauthHttpSandbox(
  'LinkedIn',
  (oauth) => linkedinSandbox({ isValidToken: (token) => token === linkedinSandboxToken || oauth.isValidToken(token) }),
  { accessToken: linkedinSandboxToken },
  { organizationIds: seedOrganizations(1)[0]!.id },
  { accessTokenSeconds: 60 * 86_400 },
);

function checkHeaders(ctx: RouteContext, isValidToken: (token: string) => boolean, now: number): void {
  const token = /^Bearer\s+(\S+)$/i.exec(ctx.headers.authorization ?? '')?.[1];
  if (token === undefined) throw emptyToken();
  if (!isValidToken(token)) throw invalidToken();
  const version = ctx.headers['linkedin-version'];
  if (typeof version !== 'string' || version === '') throw versionMissing();
  if (!activeVersion(version, now)) throw versionInactive(version);
  if (ctx.headers['x-restli-protocol-version'] !== '2.0.0') throw invalidParam('Invalid param. The query was read as Rest.li protocol 1.0; send X-Restli-Protocol-Version: 2.0.0.');
}

/** `YYYYMM`, out already and not past its year (https://learn.microsoft.com/en-us/linkedin/marketing/versioning). */
function activeVersion(version: string, now: number): boolean {
  const match = /^(\d{4})(0[1-9]|1[0-2])$/.exec(version);
  if (!match) return false;
  const released = Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
  return released <= now && now < Date.UTC(Number(match[1]) + 1, Number(match[2]) - 1, 1);
}

function finder(params: Record<string, DecodedRestli>, name: string): void {
  if (params.q !== name) throw invalidParam(`Invalid param. This resource's finder is q=${name}.`);
}

function text(params: Record<string, DecodedRestli>, name: string): string {
  const value = params[name];
  if (typeof value !== 'string') throw invalidParam(`Invalid param. ${name} is required${value === undefined ? '' : ' and must be text'}.`);
  return value;
}

function paging(params: Record<string, DecodedRestli>, defaultCount: number, maxCount: number): { start: number; count: number } {
  const whole = (name: string, fallback: number) => {
    const value = params[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !/^\d+$/.test(value)) throw invalidParam(`Invalid param. ${name} must be a whole number.`);
    return Number(value);
  };
  return { start: whole('start', 0), count: Math.min(whole('count', defaultCount), maxCount) };
}

/** `(timeRange:(start:<ms>,end:<ms>),timeGranularityType:DAY)`, within the rolling 12 months. */
function timeIntervals(value: DecodedRestli, now: number): { start: number; end: number } {
  const shape = 'timeIntervals must be (timeRange:(start:<ms>,end:<ms>),timeGranularityType:DAY)';
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidParam(`Invalid param. ${shape}.`);
  const range = value.timeRange;
  if (typeof range !== 'object' || Array.isArray(range) || typeof range.start !== 'string' || !/^\d+$/.test(range.start)) throw invalidParam(`Invalid param. ${shape}.`);
  if (value.timeGranularityType !== 'DAY') throw invalidParam(value.timeGranularityType === 'MONTH' ? 'The sandbox simulates DAY granularity only.' : `Invalid param. ${shape}.`);
  const start = Number(range.start);
  const end = typeof range.end === 'string' && /^\d+$/.test(range.end) ? Number(range.end) : now;
  if (end <= start) throw invalidParam('Invalid param. timeIntervals.timeRange.end must be after its start.');
  if (start < retentionStart(now)) throw invalidParam('Invalid param. timeIntervals.timeRange.start must be within the past 12 months: share statistics are kept for a rolling 12 months.');
  return { start, end };
}
