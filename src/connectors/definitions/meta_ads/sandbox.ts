import { oauthHttpSandbox, type LazyRecords, type RouteContext, type SandboxReply, type SandboxRoute, type SandboxSpec } from '../../sandboxes/index.js';
import { seedAdAccounts, type AdAccount } from './ad-accounts.js';
import { GraphError, graphErrorBody, invalidParameter, invalidToken, missingToken, unknownObject, unknownPath } from './graph-error.js';
import { graphPage } from './graph-paging.js';
import { insightsReport, insightsUsageHeaders } from './insights-report.js';
import { dayOf } from './report-period.js';

/**
 * A Meta Ads sandbox: the Marketing API's read side of the Graph API, under `/v21.0`.
 * - `GET /me` answers the token's user; `GET /me/adaccounts` its ad accounts `{ id: 'act_<n>',
 *   account_id, name, currency, timezone_name, account_status }`.
 * - `GET /act_<n>` answers one ad account; `GET /act_<n>/campaigns` its campaigns `{ id, account_id,
 *   name, objective, status, effective_status, daily_budget, created_time, updated_time }`.
 * - `GET /act_<n>/insights?level&time_range|date_preset&time_increment&fields` answers rows of
 *   delivery numbers, as strings (`insights-report.ts`), with Meta's usage headers.
 * - `DELETE /me/permissions` is the person removing the app: every token it was given dies
 *   (https://developers.facebook.com/docs/facebook-login/guides/permissions/request-revoke).
 * - With `metaAdsSandboxProvider`, Facebook Login's authorization server (`/oauth/…`): no refresh
 *   tokens, a two-hour token from the code, traded for a 60-day one with `fb_exchange_token`
 *   (https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived).
 * Nodes carry the fields the request names plus `id`, or Graph's defaults. Lists page with Graph's
 * cursors (`graph-paging.ts`), 25 a page, `limit` up to 500. The token goes in `access_token` or an
 * `Authorization: Bearer` header; errors are Graph's (`graph-error.ts`): 400 with code 104 without
 * a token, 190 with a wrong one, 100 for a bad parameter or an id that does not exist, 803 for a
 * name that is no id, 2500 for an edge the sandbox does not have, 3018 for a start date older than
 * 37 months. Docs: https://developers.facebook.com/docs/marketing-api/reference/,
 * https://developers.facebook.com/docs/graph-api/results, https://developers.facebook.com/docs/graph-api/guides/error-handling.
 */
export const metaGraphVersion = 'v21.0';
export const metaAdsSandboxToken = 'EAATributarySandbox0000MetaAds0000';
/** The last day with data unless told otherwise: fixed, so tests can name exact days (the hub's sandbox ends yesterday). */
export const metaAdsSandboxEndDate = '2026-11-24';

export interface MetaAdsSandboxOptions {
  /** 2 unless told otherwise: one in USD, one in EUR. */
  adAccounts?: number;
  campaignsPerAccount?: number;
  /** How many days have data, ending on `endDate`: 730 unless told otherwise. */
  days?: number;
  /** The last day with data, `YYYY-MM-DD`; the sandbox's today is the day after. */
  endDate?: string;
  /** Which access tokens the sandbox accepts; `metaAdsSandboxToken` only, unless told otherwise. */
  isValidToken?: (token: string) => boolean;
  /** What `DELETE /me/permissions` does: the OAuth sandbox's `revokeAll` (the fixed token stays). */
  revokeLogin?: () => void;
}

const sandboxUser = { id: '122100000000000042', name: 'Sandbox Advertiser' };
const userFields = ['id', 'name'];
const adAccountFields = ['id', 'account_id', 'name', 'currency', 'timezone_name', 'account_status'];
const campaignFields = ['id', 'account_id', 'name', 'objective', 'status', 'effective_status', 'daily_budget', 'created_time', 'updated_time'];

export function metaAdsSandbox(options: MetaAdsSandboxOptions = {}): SandboxSpec {
  const { adAccounts = 2, campaignsPerAccount = 5, days = 730, endDate = metaAdsSandboxEndDate, isValidToken = (token) => token === metaAdsSandboxToken, revokeLogin = () => undefined } = options;
  const lastDataDay = dayOf(endDate);
  if (lastDataDay === undefined) throw new RangeError(`endDate must be a date as YYYY-MM-DD, not "${endDate}".`);
  if (!Number.isInteger(days) || days < 1) throw new RangeError('days must be a whole number of at least 1.');
  const calendar = { today: lastDataDay + 1, lastDataDay };
  const accounts = seedAdAccounts({ accounts: adAccounts, campaignsPerAccount, firstDataDay: lastDataDay - days + 1, lastDataDay });
  const accountsById = new Map(accounts.map((account) => [account.node.id, account]));

  const accountOf = (ctx: RouteContext): AdAccount => {
    const id = ctx.params.objectId!;
    const account = accountsById.get(id);
    if (account) return account;
    // `me` is the token's user: it exists, only without this edge.
    throw id === 'me' ? unknownPath(ctx.path.split('/').at(-1)!) : unknownObject(id);
  };
  const route = (path: string, answer: (ctx: RouteContext) => SandboxReply, method: SandboxRoute['method'] = 'GET'): SandboxRoute => ({
    method,
    path: `/${metaGraphVersion}${path}`,
    handle(ctx) {
      try {
        const token = tokenOf(ctx);
        if (token === undefined) throw missingToken();
        if (!isValidToken(token)) throw invalidToken();
        return answer(ctx);
      } catch (error) {
        // The kit's `errorBody` gets a status and a message only; Graph's code and type need the error itself.
        if (error instanceof GraphError) return error.reply();
        throw error;
      }
    },
  });

  const accountNodes = accounts.map((account) => account.node);
  return {
    errorBody: graphErrorBody,
    routes: [
      route('/me', (ctx) => ({ body: fieldsOf(ctx, userFields, ['name'], 'User')(sandboxUser) })),
      route('/me/permissions', () => (revokeLogin(), { body: { success: true } }), 'DELETE'),
      route('/me/adaccounts', (ctx) => ({ body: graphPage(nodeList(accountNodes, fieldsOf(ctx, adAccountFields, ['account_id'], 'AdAccount')), ctx) })),
      route('/:objectId', (ctx) => ({ body: fieldsOf(ctx, adAccountFields, ['account_id'], 'AdAccount')(accountOf(ctx).node) })),
      route('/:objectId/campaigns', (ctx) => {
        const campaigns = accountOf(ctx).campaigns.map((campaign) => campaign.node);
        return { body: graphPage(nodeList(campaigns, fieldsOf(ctx, campaignFields, [], 'Campaign')), ctx) };
      }),
      route('/:objectId/insights', (ctx) => {
        const account = accountOf(ctx);
        return { headers: insightsUsageHeaders(account), body: graphPage(insightsReport(account, ctx.query, calendar), ctx) };
      }),
      route('/:objectId/:edge', (ctx) => {
        accountOf(ctx);
        throw unknownPath(ctx.params.edge!);
      }),
    ],
  };
}

/** The first ad account, the one a sandbox connection reads until it chooses others. */
export const metaAdsSandboxAdAccountId = seedAdAccounts({ accounts: 1, campaignsPerAccount: 0, firstDataDay: 0, lastDataDay: 0 })[0]!.node.id;

/**
 * The sandbox the hub starts for a Meta Ads connection in sandbox mode, Facebook Login played by
 * its authorization server: its tokens pass, and so does the fixed one a sandbox connection uses
 * until someone signs in. Its data ends yesterday (UTC), as Meta's would: the connector asks for
 * days by date, so a sandbox fixed in time would fall out of its window.
 */
export const metaAdsSandboxProvider = oauthHttpSandbox(
  'Meta',
  (oauth) =>
    metaAdsSandbox({
      endDate: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
      isValidToken: (token) => token === metaAdsSandboxToken || oauth.isValidToken(token),
      revokeLogin: () => oauth.revokeAll(),
    }),
  { accessToken: metaAdsSandboxToken },
  { adAccountIds: metaAdsSandboxAdAccountId },
  { refreshTokens: false, accessTokenSeconds: 2 * 3_600, longLivedGrant: { grantType: 'fb_exchange_token', tokenParam: 'fb_exchange_token', accessTokenSeconds: 60 * 86_400 } },
);

/** Graph reads the token from `access_token` first, then from `Authorization: Bearer` (or `OAuth`). */
function tokenOf({ query, headers }: RouteContext): string | undefined {
  if (query.access_token) return query.access_token;
  return /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
}

type GraphNode = { id: string } & Record<string, unknown>;

/**
 * What a node answer carries: the fields the request names, checked before any record is read,
 * or the node's defaults; `id` always (https://developers.facebook.com/docs/graph-api/guides/field-expansion/).
 */
function fieldsOf(ctx: RouteContext, known: readonly string[], defaults: readonly string[], nodeType: string): (node: GraphNode) => Record<string, unknown> {
  const { fields } = ctx.query;
  const names = fields === undefined || fields === '' ? defaults : fields.split(',').map((name) => name.trim());
  const unknown = names.find((name) => !known.includes(name));
  if (unknown !== undefined) throw invalidParameter(`Tried accessing nonexisting field (${unknown}) on node type (${nodeType})`);
  return (node) => {
    const answer: Record<string, unknown> = {};
    for (const name of names) answer[name] = node[name];
    answer.id = node.id;
    return answer;
  };
}

function nodeList(nodes: readonly GraphNode[], pick: (node: GraphNode) => Record<string, unknown>): LazyRecords<Record<string, unknown>> {
  return { count: nodes.length, recordAt: (index) => pick(nodes[index]!) };
}
