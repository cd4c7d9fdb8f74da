import { describe, expect, it } from 'vitest';
import { sandboxPerTest } from '../../../../test/support/connector-reads.js';
import { loadDiscoveryContract } from './discovery-contract.js';
import { ga4Sandbox, ga4SandboxPropertyId, ga4SandboxToken } from './sandbox.js';

/**
 * The GA4 sandbox against Google's own discovery documents: the paths it serves are Google's,
 * the requests these tests send are documented `RunReportRequest`s, and every answer, errors
 * included, has the documented shape. The connector's tests run against this sandbox, so this is
 * what lets them say something about the real GA4.
 */
const dataApi = loadDiscoveryContract(new URL('../../../../test/specs/ga4/analyticsdata.v1beta.json', import.meta.url));
const adminApi = loadDiscoveryContract(new URL('../../../../test/specs/ga4/analyticsadmin.v1beta.json', import.meta.url));

const sandboxes = sandboxPerTest();

const runReportPath = (propertyId = ga4SandboxPropertyId) => `/v1beta/properties/${propertyId}:runReport`;
const allMetrics = [
  'sessions', 'totalUsers', 'activeUsers', 'newUsers', 'screenPageViews', 'bounceRate', 'averageSessionDuration',
  'conversions', 'keyEvents', 'sessionConversionRate', 'totalRevenue', 'engagementRate',
].map((name) => ({ name }));
const twoYearsDaily = { dateRanges: [{ startDate: '2024-11-25', endDate: '2026-11-24' }], dimensions: [{ name: 'date' }], metrics: allMetrics };

interface Answer {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

/** One request to the running sandbox, as a client of Google's would send it. */
async function send(method: 'GET' | 'POST', pathAndQuery: string, { body, token = ga4SandboxToken }: { body?: unknown; token?: string | null } = {}): Promise<Answer> {
  const response = await fetch(`${sandboxes.server.url}${pathAndQuery}`, {
    method,
    headers: { ...(token !== null && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { method, path: pathAndQuery.split('?')[0]!, status: response.status, body: (await response.json()) as unknown };
}

interface Report {
  rows?: Array<{ dimensionValues?: Array<{ value: string }>; metricValues?: Array<{ value: string }> }>;
  rowCount?: number;
}

describe('the GA4 sandbox against Google’s discovery documents', () => {
  it('serves documented methods at their documented paths, without the two APIs colliding', () => {
    expect(dataApi.findMethod('POST', runReportPath())).toMatchObject({
      id: 'analyticsdata.properties.runReport',
      flatPath: 'v1beta/properties/{propertiesId}:runReport',
      request: 'RunReportRequest',
      response: 'RunReportResponse',
    });
    expect(adminApi.findMethod('GET', '/v1beta/accountSummaries')).toMatchObject({
      id: 'analyticsadmin.accountSummaries.list',
      flatPath: 'v1beta/accountSummaries',
      response: 'GoogleAnalyticsAdminV1betaListAccountSummariesResponse',
    });
    expect(adminApi.findMethod('POST', runReportPath())).toBeUndefined();
    expect(dataApi.findMethod('GET', '/v1beta/accountSummaries')).toBeUndefined();
  });

  it('lists account summaries as documented, page by page, each account once', async () => {
    await sandboxes.start(ga4Sandbox({ properties: 5 }));
    const accounts: Array<{ account: string; propertySummaries?: Array<{ property: string; parent: string }> }> = [];
    let pageToken: string | undefined;
    do {
      const answer = await send('GET', `/v1beta/accountSummaries?pageSize=1${pageToken ? `&pageToken=${pageToken}` : ''}`);
      expect(answer.status).toBe(200);
      expect(adminApi.checkResponse(answer)).toEqual([]);
      const page = answer.body as { accountSummaries: typeof accounts; nextPageToken?: string };
      accounts.push(...page.accountSummaries);
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
    expect(new Set(accounts.map((a) => a.account)).size).toBe(2);
    const properties = accounts.flatMap((a) => (a.propertySummaries ?? []).map((p) => ({ ...p, owner: a.account })));
    expect(new Set(properties.map((p) => p.property)).size).toBe(5);
    expect(properties.every((p) => p.parent === p.owner)).toBe(true);
    expect(properties[0]!.property).toBe(`properties/${ga4SandboxPropertyId}`);
    expect(sandboxes.server.requests.flatMap((request) => adminApi.checkRequest(request))).toEqual([]);
  });

  it.each([
    ['two years, daily, every metric', twoYearsDaily],
    ['by channel group, relative dates', { dateRanges: [{ startDate: '90daysAgo', endDate: 'yesterday' }], dimensions: [{ name: 'sessionDefaultChannelGroup' }], metrics: allMetrics }],
    [
      'by date and channel group, ordered, one page',
      {
        dateRanges: [{ startDate: '2026-01-01', endDate: '2026-03-31', name: 'q1' }],
        dimensions: [{ name: 'date' }, { name: 'sessionDefaultChannelGroup' }],
        metrics: [{ name: 'sessions' }, { name: 'totalRevenue' }],
        orderBys: [{ metric: { metricName: 'sessions' }, desc: true }, { dimension: { dimensionName: 'date', orderType: 'NUMERIC' } }],
        limit: '50',
        offset: '100',
        keepEmptyRows: true,
      },
    ],
    ['totals, without dimensions', { property: `properties/${ga4SandboxPropertyId}`, dateRanges: [{ startDate: '30daysAgo', endDate: 'today' }], metrics: allMetrics, currencyCode: 'USD' }],
    ['a range with no data', { dateRanges: [{ startDate: '2020-01-01', endDate: '2020-12-31' }], dimensions: [{ name: 'date' }], metrics: [{ name: 'sessions' }] }],
  ])('sends a documented RunReportRequest and gets a documented RunReportResponse: %s', async (_, request) => {
    await sandboxes.start(ga4Sandbox());
    expect(dataApi.checkSchema('RunReportRequest', request)).toEqual([]);
    const answer = await send('POST', runReportPath(), { body: request });
    expect(answer.status).toBe(200);
    expect(dataApi.checkResponse(answer)).toEqual([]);
    expect(sandboxes.server.requests.flatMap((logged) => dataApi.checkRequest({ ...logged, body: request }))).toEqual([]);
  });

  it('pages through a two-year daily report with limit and offset, every day once', async () => {
    await sandboxes.start(ga4Sandbox());
    const dates: string[] = [];
    let rowCount = Infinity;
    for (let offset = 0; offset < rowCount; offset += 100) {
      const request = { ...twoYearsDaily, limit: '100', offset: String(offset) };
      expect(dataApi.checkSchema('RunReportRequest', request)).toEqual([]);
      const answer = await send('POST', runReportPath(), { body: request });
      expect(dataApi.checkResponse(answer)).toEqual([]);
      const report = answer.body as Report;
      rowCount = report.rowCount!;
      dates.push(...report.rows!.map((row) => row.dimensionValues![0]!.value));
    }
    expect(rowCount).toBe(730);
    expect(dates).toHaveLength(730);
    expect(new Set(dates).size).toBe(730);
    expect(dates[0]).toBe('20241125');
    expect(dates.at(-1)).toBe('20261124');
    expect([...dates].sort()).toEqual(dates);
  });

  it('gives the same numbers for the same request, on this sandbox and on a new one', async () => {
    await sandboxes.start(ga4Sandbox());
    const first = await send('POST', runReportPath(), { body: twoYearsDaily });
    const second = await send('POST', runReportPath(), { body: twoYearsDaily });
    expect(second.body).toEqual(first.body);
    await sandboxes.server.close();
    await sandboxes.start(ga4Sandbox());
    expect((await send('POST', runReportPath(), { body: twoYearsDaily })).body).toEqual(first.body);
  });

  describe('errors, in Google’s error model', () => {
    const daily = (change: Record<string, unknown>) => ({ ...twoYearsDaily, ...change });

    it.each([
      ['no token', 'POST', runReportPath(), { body: twoYearsDaily, token: null }, 401, 'UNAUTHENTICATED', 'invalid authentication credentials'],
      ['a token the sandbox never issued', 'POST', runReportPath(), { body: twoYearsDaily, token: 'ya29.revoked' }, 401, 'UNAUTHENTICATED', 'invalid authentication credentials'],
      ['no token, listing accounts', 'GET', '/v1beta/accountSummaries', { token: null }, 401, 'UNAUTHENTICATED', 'invalid authentication credentials'],
      ['a property the caller cannot see', 'POST', runReportPath('123456789'), { body: twoYearsDaily }, 403, 'PERMISSION_DENIED', 'User does not have sufficient permissions for this property'],
      ['an unknown metric', 'POST', runReportPath(), { body: daily({ metrics: [{ name: 'sessionz' }] }) }, 400, 'INVALID_ARGUMENT', 'Field sessionz is not a valid metric'],
      ['an unknown dimension', 'POST', runReportPath(), { body: daily({ dimensions: [{ name: 'country' }] }) }, 400, 'INVALID_ARGUMENT', 'Field country is not a valid dimension'],
      ['a date that does not exist', 'POST', runReportPath(), { body: daily({ dateRanges: [{ startDate: '2026-02-30', endDate: 'today' }] }) }, 400, 'INVALID_ARGUMENT', '"2026-02-30"'],
      ['a field RunReportRequest does not have', 'POST', runReportPath(), { body: daily({ pageSize: 10 }) }, 400, 'INVALID_ARGUMENT', 'Unknown name "pageSize"'],
      ['a page token the API never issued', 'GET', '/v1beta/accountSummaries?pageToken=not-a-token', {}, 400, 'INVALID_ARGUMENT', 'pageToken'],
    ] as const)('answer %s', async (_, method, path, options, status, rpcStatus, words) => {
      await sandboxes.start(ga4Sandbox());
      const answer = await send(method, path, options);
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({ error: { code: status, message: expect.stringContaining(words), status: rpcStatus } });
      expect((method === 'GET' ? adminApi : dataApi).checkResponse(answer)).toEqual([]);
    });

    it('answer a vendor fault (a 429) the same way', async () => {
      await sandboxes.start(ga4Sandbox(), { faults: [{ kind: 'status', status: 429, times: 1 }] });
      const answer = await send('POST', runReportPath(), { body: twoYearsDaily });
      expect(answer).toMatchObject({ status: 429, body: { error: { code: 429, status: 'RESOURCE_EXHAUSTED' } } });
      expect(dataApi.checkResponse(answer)).toEqual([]);
    });
  });

  describe('the contract check itself', () => {
    it('names each field of a value that breaks the schema', () => {
      const report = {
        metricHeaders: [{ name: 'sessions', type: 'TYPE_COUNT' }],
        rows: [{ metricValues: [{ value: 1422 }], colour: 'red' }],
        rowCount: '730',
        kind: 'analyticsData#runReport',
      };
      expect(dataApi.checkSchema('RunReportResponse', report)).toEqual([
        expect.stringMatching(/^schemas\.RunReportResponse: \/metricHeaders\/0\/type must be one of \["METRIC_TYPE_UNSPECIFIED","TYPE_INTEGER",/),
        'schemas.RunReportResponse: /rows/0/metricValues/0/value must be a string',
        'schemas.RunReportResponse: /rows/0 has the undocumented property "colour"',
        'schemas.RunReportResponse: /rowCount must be an integer',
      ]);
      expect(dataApi.checkSchema('RunReportResponse', [])).toEqual(['schemas.RunReportResponse: (the value) must be an object']);
      expect(dataApi.checkSchema('RunReport', {})).toEqual(['schemas has no "RunReport"']);
    });

    it('wants an int64 as a decimal string, as Google sends and takes it', () => {
      const request = { dateRanges: [{ startDate: 'yesterday', endDate: 'today' }], limit: 100, offset: 'ten' };
      expect(dataApi.checkSchema('RunReportRequest', request)).toEqual([
        'schemas.RunReportRequest: /limit must be a string (an int64 travels as a decimal string)',
        'schemas.RunReportRequest: /offset must be a whole number',
      ]);
    });

    it('names undocumented methods, query parameters and missing credentials', () => {
      const headers = { authorization: 'Bearer ***' };
      expect(dataApi.checkRequest({ method: 'POST', path: `/v1beta/properties/${ga4SandboxPropertyId}:runReports`, query: {}, headers })).toEqual([
        `POST /v1beta/properties/${ga4SandboxPropertyId}:runReports: no documented method matches`,
      ]);
      expect(adminApi.checkRequest({ method: 'GET', path: '/v1beta/accountSummaries', query: { pageSize: 'ten', page: '2' }, headers })).toEqual([
        'analyticsadmin.accountSummaries.list: query parameter "pageSize" = "ten": (the value) must be an integer',
        'analyticsadmin.accountSummaries.list: the query parameter "page" is not documented',
      ]);
      expect(adminApi.checkRequest({ method: 'GET', path: '/v1beta/accountSummaries', query: { prettyPrint: 'false' }, headers: {} })).toEqual([
        'analyticsadmin.accountSummaries.list: the request carries no credentials (an Authorization: Bearer header, or access_token, oauth_token, key)',
      ]);
      expect(adminApi.checkRequest({ method: 'GET', path: '/v1beta/accountSummaries', query: {}, body: {} })).toEqual(['analyticsadmin.accountSummaries.list: sends a body, but none is documented']);
    });

    it('holds error bodies to Google’s error model', () => {
      const answer = (body: unknown) => ({ method: 'POST', path: runReportPath(), status: 403, body });
      expect(dataApi.checkResponse(answer({ error: { code: 403, message: 'No.', status: 'PERMISSION_DENIED' } }))).toEqual([]);
      expect(dataApi.checkResponse(answer({ error: { code: 400, message: 'No.', status: 'FORBIDDEN' } }))).toEqual([
        expect.stringMatching(/^analyticsdata\.properties\.runReport → 403: \/error\/status must be one of \["OK",/),
        'analyticsdata.properties.runReport → 403: /error/code is 400, not the HTTP status',
      ]);
      expect(dataApi.checkResponse(answer({ status: 'error', message: 'No.' }))).toEqual([
        'analyticsdata.properties.runReport → 403: (the value) has the undocumented property "status"',
        'analyticsdata.properties.runReport → 403: (the value) has the undocumented property "message"',
        'analyticsdata.properties.runReport → 403: (the value) has no "error"',
      ]);
    });
  });
});
