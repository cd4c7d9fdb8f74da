import { oauthHttpSandbox, pagedCollection, SandboxError, seededRecords, type LazyRecords, type RouteContext, type SandboxSpec } from '../../sandboxes/index.js';
import { dayOf } from './calendar.js';
import { parseReportRequest } from './report-request.js';
import { runReport, type HeldDays } from './run-report.js';
import { propertyTraffic, type PropertyTraffic } from './traffic-model.js';

/**
 * A Google Analytics 4 sandbox in the shapes of Google's discovery documents (`test/specs/ga4/`,
 * checked by `ga4.contract.test.ts`). One server stands for both of Google's hosts, whose paths
 * do not collide:
 * - Admin API (analyticsadmin.googleapis.com): `GET /v1beta/accountSummaries?pageSize&pageToken`
 *   answers `ListAccountSummariesResponse`: two accounts sharing `properties` properties, 50
 *   accounts a page unless `pageSize` says otherwise, at most 200.
 * - Data API (analyticsdata.googleapis.com): `POST /v1beta/properties/{propertyId}:runReport`
 *   answers `RunReportResponse` from seeded daily traffic (`traffic-model.ts`), for the metrics
 *   and dimensions of `report-fields.ts`; `report-request.ts` says what a request may hold.
 *   A property the caller cannot see answers 403 PERMISSION_DENIED, as GA4 does.
 * The sandbox holds `days` days ending at `endDate`, and its clock stands at the day after, so
 * `yesterday` is `endDate`, the last complete day, and `today` has no data yet. Every request
 * needs `Authorization: Bearer <token>`; errors answer Google's `{ error: { code, message, status } }`.
 * Docs: https://developers.google.com/analytics/devguides/config/admin/v1/rest/v1beta/accountSummaries/list,
 * https://developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/properties/runReport,
 * https://cloud.google.com/apis/design/errors.
 */
export const ga4SandboxToken = 'ya29.sandbox-ga4-access-token';
export const ga4SandboxEndDate = '2026-11-24';

export interface Ga4SandboxOptions {
  /** Properties shared by the two accounts; 3 when left out. */
  properties?: number;
  /** Days of data held; 730 (two years) when left out. */
  days?: number;
  /** The last day held, `YYYY-MM-DD`; `ga4SandboxEndDate` when left out, so tests can name exact numbers. */
  endDate?: string;
  /** Which bearer tokens pass; only `ga4SandboxToken` when left out. The OAuth sandbox hands in the tokens it issues. */
  isValidToken?: (token: string) => boolean;
}

const accountCount = 2;
const summaryPaging = { style: 'cursor', cursorParam: 'pageToken', sizeParam: 'pageSize', defaultSize: 50, maxSize: 200 } as const;
const siteKinds = ['Store', 'Blog', 'Docs', 'App', 'Marketplace'];
const companyKinds = ['Outfitters', 'Media', 'Labs', 'Supply Co.'];
const unauthenticated =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const noPermission = 'User does not have sufficient permissions for this property. To learn more about Property ID, see https://developers.google.com/analytics/devguides/reporting/data/v1/property-id.';

// Property i keeps its id and name however many properties the sandbox holds. Ids are spaced so they never collide.
const seededProperties = (count: number) =>
  seededRecords('ga4/properties', count, (random, i) => ({
    id: String(310_000_000 + i * 1_000_003 + random.int(0, 999_999)),
    displayName: `${capitalised(random.word())} ${random.pick(siteKinds)}`,
  }));

const seededAccounts = seededRecords('ga4/accounts', accountCount, (random, i) => ({
  id: String(200_000_000 + i * 10_000_019 + random.int(0, 9_999_999)),
  displayName: `${capitalised(random.word())} ${random.pick(companyKinds)}`,
}));

/** The first seeded property's id, the one a sandbox connection reports on. */
export const ga4SandboxPropertyId = seededProperties(1).recordAt(0).id;

export function ga4Sandbox(options: Ga4SandboxOptions = {}): SandboxSpec {
  const { properties = 3, days = 730, endDate = ga4SandboxEndDate, isValidToken = (token) => token === ga4SandboxToken } = options;
  if (!Number.isInteger(properties) || properties < 1) throw new RangeError('ga4Sandbox needs "properties" of 1 or more.');
  if (!Number.isInteger(days) || days < 1) throw new RangeError('ga4Sandbox needs "days" of 1 or more.');
  const lastDay = dayOf(endDate);
  if (lastDay === undefined) throw new RangeError('ga4Sandbox needs "endDate" as a YYYY-MM-DD date.');
  const held: HeldDays = { firstDay: lastDay - days + 1, lastDay };
  const summaries = accountSummaries(properties);
  const summaryRecords: LazyRecords<AccountSummary> = { count: summaries.length, recordAt: (index) => summaries[index]! };
  const traffic = new Map<string, PropertyTraffic>();
  for (const summary of summaries) for (const { property } of summary.propertySummaries ?? []) traffic.set(property, propertyTraffic(property.slice('properties/'.length)));

  return {
    auth: (headers) => {
      const token = /^Bearer +(\S+)$/i.exec(headers.authorization ?? '')?.[1];
      return token !== undefined && isValidToken(token);
    },
    errorBody: (status, message) => ({ error: { code: status, message: status === 401 ? unauthenticated : message, status: rpcStatus[status] ?? 'UNKNOWN' } }),
    routes: [
      {
        method: 'GET',
        path: '/v1beta/accountSummaries',
        handle(ctx) {
          const page = pagedCollection(summaryRecords, summaryPaging).page({ url: ctx.url, query: withoutZeroPageSize(ctx.query), repeatCursor: ctx.repeatCursor });
          return { body: { ...(page.records.length > 0 && { accountSummaries: page.records }), ...(page.nextCursor && { nextPageToken: page.nextCursor }) } };
        },
      },
      {
        // `{propertyId}:runReport` is one path segment: the kit hands it over whole, and the handler splits off the method.
        method: 'POST',
        path: '/v1beta/properties/:propertyAndMethod',
        handle(ctx) {
          const { propertyId, method } = customMethodOf(ctx);
          if (method !== 'runReport') throw new SandboxError(404, `No route for POST ${ctx.path}.`);
          if (!/^\d+$/.test(propertyId)) throw new SandboxError(400, `Invalid property ID "${propertyId}": GA4 property IDs are numeric, as in properties/1234.`);
          const property = `properties/${propertyId}`;
          const seeded = traffic.get(property);
          if (!seeded) throw new SandboxError(403, noPermission);
          return { body: runReport(parseReportRequest(ctx.body, property, lastDay + 1), seeded, held) };
        },
      },
    ],
  };
}

/**
 * The sandbox the hub starts for a GA4 connection in sandbox mode, with Google's sign-in played by
 * the sandbox's authorization server: its tokens pass, and so does the fixed one a sandbox
 * connection uses until someone signs in.
 */
export const ga4SandboxProvider = oauthHttpSandbox(
  'Google Analytics 4',
  (oauth) => ga4Sandbox({ isValidToken: (token) => token === ga4SandboxToken || oauth.isValidToken(token) }),
  { accessToken: ga4SandboxToken },
  { propertyIds: ga4SandboxPropertyId },
);

interface AccountSummary {
  name: string;
  account: string;
  displayName: string;
  propertySummaries?: Array<{ property: string; displayName: string; propertyType: 'PROPERTY_TYPE_ORDINARY'; parent: string }>;
}

/** The first account holds the first half of the properties (rounded up), the second the rest. */
function accountSummaries(properties: number): AccountSummary[] {
  const seeded = seededProperties(properties);
  const perAccount = Math.ceil(properties / accountCount);
  return Array.from({ length: accountCount }, (_, a): AccountSummary => {
    const account = seededAccounts.recordAt(a);
    const from = a * perAccount;
    const owned = Array.from({ length: Math.max(0, Math.min(properties, from + perAccount) - from) }, (_, k) => seeded.recordAt(from + k));
    return {
      name: `accountSummaries/${account.id}`,
      account: `accounts/${account.id}`,
      displayName: account.displayName,
      // An account without properties has no list at all: proto3 JSON leaves empty lists out.
      ...(owned.length > 0 && {
        propertySummaries: owned.map((property) => ({ property: `properties/${property.id}`, displayName: property.displayName, propertyType: 'PROPERTY_TYPE_ORDINARY' as const, parent: `accounts/${account.id}` })),
      }),
    };
  });
}

function customMethodOf(ctx: RouteContext): { propertyId: string; method: string } {
  const segment = ctx.params.propertyAndMethod ?? '';
  const colon = segment.lastIndexOf(':');
  return colon < 0 ? { propertyId: segment, method: '' } : { propertyId: segment.slice(0, colon), method: segment.slice(colon + 1) };
}

/** A `pageSize` of 0 is proto3's "unset": the default page size, not an error. */
function withoutZeroPageSize(query: Record<string, string>): Record<string, string> {
  const { pageSize, ...rest } = query;
  return pageSize === '0' ? rest : query;
}

/** google.rpc.Code names for the statuses the sandbox and its faults answer (https://cloud.google.com/apis/design/errors#handling_errors). */
const rpcStatus: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  // Google's front end answers 502 when it cannot reach the service: as transient as UNAVAILABLE.
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
