import { Buffer } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { oauthHttpSandbox, pagedCollection, type RouteContext, type SandboxReply, type SandboxRoute, type SandboxSpec } from '../../sandboxes/index.js';
import { seedAudiences, seedCampaigns, type SandboxCampaign } from './campaign-history.js';
import { apiKeyInvalid, apiKeyMissing, invalidResource, MailchimpError, mailchimpErrorBody } from './mailchimp-error.js';

/**
 * A Mailchimp Marketing API sandbox. One server stands for the login server and for every data
 * center, data center `us21`'s API (https://us21.api.mailchimp.com/3.0) served under `/us21/3.0`:
 * - `GET /oauth2/metadata` (login.mailchimp.com) answers an OAuth token's account, `{ dc,
 *   accountname, login, login_url, api_endpoint, … }`; a token it does not know is answered 200
 *   with `{ error: 'invalid_token' }`, as Mailchimp's login server does
 *   (https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/).
 * - `GET /<dc>/3.0/campaigns?count&offset&sort_field&sort_dir&status&since_create_time&before_create_time&since_send_time&before_send_time`
 *   answers `{ campaigns, total_items }` (https://mailchimp.com/developer/marketing/api/campaigns/list-campaigns/).
 * - `GET /<dc>/3.0/reports?count&offset&since_send_time&before_send_time` answers `{ reports,
 *   total_items }`, one per sent campaign, in the order they were sent
 *   (https://mailchimp.com/developer/marketing/api/reports/list-campaign-reports/).
 * Lists page by `offset` and `count` (10 unless told, at most 1,000); `fields` and
 * `exclude_fields` are not simulated. A request authenticates with HTTP Basic (any user name, the
 * API key as password) or `Authorization: Bearer` (a key or an OAuth token); a credential of
 * another data center is refused like a wrong one
 * (https://mailchimp.com/developer/marketing/docs/fundamentals/#api-structure). Errors are
 * problem details (`mailchimp-error.ts`).
 */
export const mailchimpSandboxDataCenter = 'us21';
export const mailchimpSandboxApiKey = `5f0c7a1e9b2d4c6a8e0f1a3b5c7d9e1f-${mailchimpSandboxDataCenter}`;
/** The OAuth token a sandbox connection signed in with OAuth uses until someone signs in. */
export const mailchimpSandboxToken = 'sandbox-mailchimp-oauth-token-0000000000';
/** The sandbox's clock: fixed, so tests and demos can name exact campaigns. */
export const mailchimpSandboxNow = Date.parse('2026-11-25T00:00:00Z');

export interface MailchimpSandboxOptions {
  /** 120 unless told otherwise, about one every six days. */
  campaigns?: number;
  audiences?: number;
  /** Which OAuth tokens pass; only `mailchimpSandboxToken` unless told otherwise. */
  isValidToken?: (token: string) => boolean;
}

const paging = { style: 'offset', offsetParam: 'offset', limitParam: 'count', defaultSize: 10, maxSize: 1000 } as const;
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function mailchimpSandbox(options: MailchimpSandboxOptions = {}): SandboxSpec {
  const { campaigns: count = 120, audiences: audienceCount = 3, isValidToken = (token) => token === mailchimpSandboxToken } = options;
  const history = seedCampaigns(count, seedAudiences(audienceCount), mailchimpSandboxNow);
  const reports = history.flatMap(({ report }) => (report ? [report] : [])).sort((a, b) => Date.parse(a.send_time) - Date.parse(b.send_time));

  /** Refuses a request without the sandbox's key or token, or sent to another data center than theirs. */
  const authorize = (ctx: RouteContext) => {
    const credential = credentialOf(ctx.headers);
    if (credential === undefined) throw apiKeyMissing();
    const known = credential === mailchimpSandboxApiKey || isValidToken(credential);
    if (!known || ctx.params.dc !== mailchimpSandboxDataCenter) throw apiKeyInvalid();
  };
  const api = (path: string, answer: (ctx: RouteContext) => SandboxReply): SandboxRoute => ({
    method: 'GET',
    path: `/:dc/3.0${path}`,
    handle(ctx) {
      try {
        authorize(ctx);
        return answer(ctx);
      } catch (error) {
        // The kit's `errorBody` gets a status and a message only; a problem's title needs the error itself.
        if (error instanceof MailchimpError) return error.reply();
        throw error;
      }
    },
  });

  return {
    errorBody: mailchimpErrorBody,
    routes: [
      {
        method: 'GET',
        path: '/oauth2/metadata',
        public: true,
        handle(ctx) {
          const token = /^(?:OAuth|Bearer)\s+(\S+)$/i.exec(ctx.headers.authorization ?? '')?.[1];
          if (token === undefined || !isValidToken(token)) return { body: { error: 'invalid_token' } };
          const origin = ctx.url.origin;
          const login = { email: 'owner@example.com', avatar: null, login_id: 31_415_926, login_name: 'sandbox.owner', login_email: 'owner@example.com' };
          return { body: { dc: mailchimpSandboxDataCenter, role: 'owner', accountname: 'Sandbox Outfitters', user_id: 27_182_818, login, login_url: origin, api_endpoint: `${origin}/${mailchimpSandboxDataCenter}` } };
        },
      },
      api('/campaigns', (ctx) => {
        const campaigns = history.map((entry) => entry.campaign).filter(campaignFilter(ctx.query));
        campaigns.sort(campaignOrder(ctx.query));
        return { body: listPage('campaigns', campaigns, ctx) };
      }),
      api('/reports', (ctx) => {
        const since = timeParam(ctx.query, 'since_send_time') ?? -Infinity;
        const before = timeParam(ctx.query, 'before_send_time') ?? Infinity;
        return { body: listPage('reports', reports.filter((r) => Date.parse(r.send_time) > since && Date.parse(r.send_time) < before), ctx) };
      }),
    ],
  };
}

/**
 * The sandbox the hub starts for a Mailchimp connection in sandbox mode. It takes the API key and,
 * for a connection that signs in with OAuth, the tokens of its authorization server, which, like
 * Mailchimp's, never expire and come without a refresh token.
 */
export const mailchimpSandboxProvider = oauthHttpSandbox(
  'Mailchimp',
  (oauth) => mailchimpSandbox({ isValidToken: (token) => token === mailchimpSandboxToken || oauth.isValidToken(token) }),
  { accessToken: mailchimpSandboxToken, apiKey: mailchimpSandboxApiKey },
  {},
  { accessTokenSeconds: Infinity, refreshTokens: false },
);

/** The API key or token: HTTP Basic's password, or a bearer. */
function credentialOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization ?? '';
  const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
  if (basic !== undefined) {
    const pair = Buffer.from(basic, 'base64').toString('utf8');
    return pair.includes(':') ? pair.slice(pair.indexOf(':') + 1) : undefined;
  }
  return /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header)?.[1];
}

function listPage<T>(name: string, records: readonly T[], ctx: RouteContext) {
  const page = pagedCollection({ count: records.length, recordAt: (i) => records[i]! }, paging).page(ctx);
  const self = { rel: 'self', href: `${ctx.url.origin}${ctx.url.pathname}`, method: 'GET' };
  return { [name]: page.records, total_items: page.total, _links: [self] };
}

type Campaign = SandboxCampaign['campaign'];

function campaignFilter(query: Record<string, string>): (campaign: Campaign) => boolean {
  const created = [timeParam(query, 'since_create_time') ?? -Infinity, timeParam(query, 'before_create_time') ?? Infinity];
  const sent = [timeParam(query, 'since_send_time'), timeParam(query, 'before_send_time')];
  const status = query.status;
  if (status !== undefined && !['save', 'paused', 'schedule', 'sending', 'sent'].includes(status)) throw invalidResource(`status: "${status}" is not one of save, paused, schedule, sending, sent.`);
  return (campaign) => {
    const createdAt = Date.parse(campaign.create_time);
    if (createdAt <= created[0]! || createdAt >= created[1]!) return false;
    if (status !== undefined && campaign.status !== status) return false;
    // A campaign that was never sent has no send time to compare: a send-time filter leaves it out.
    if (sent[0] === undefined && sent[1] === undefined) return true;
    const sentAt = campaign.send_time === '' ? NaN : Date.parse(campaign.send_time);
    return sentAt > (sent[0] ?? -Infinity) && sentAt < (sent[1] ?? Infinity);
  };
}

function campaignOrder(query: Record<string, string>): (a: Campaign, b: Campaign) => number {
  const field = query.sort_field ?? 'create_time';
  const direction = query.sort_dir ?? 'ASC';
  if (field !== 'create_time' && field !== 'send_time') throw invalidResource(`sort_field: "${field}" is not one of create_time, send_time.`);
  if (direction !== 'ASC' && direction !== 'DESC') throw invalidResource(`sort_dir: "${direction}" is not one of ASC, DESC.`);
  const sign = direction === 'ASC' ? 1 : -1;
  return (a, b) => sign * (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : 0);
}

function timeParam(query: Record<string, string>, name: string): number | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  const ms = isoTime.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw invalidResource(`${name}: "${value}" is not an ISO 8601 date and time, as in 2015-10-21T15:41:36+00:00.`);
  return ms;
}
