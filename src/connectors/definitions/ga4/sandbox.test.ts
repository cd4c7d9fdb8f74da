import { describe, expect, it } from 'vitest';
import { sandboxPerTest } from '../../../../test/support/connector-reads.js';
import { parseReportRequest } from './report-request.js';
import { ga4Sandbox, ga4SandboxPropertyId, ga4SandboxToken, type Ga4SandboxOptions } from './sandbox.js';

/** What the GA4 sandbox's numbers look like, beyond their shape (`ga4.contract.test.ts`). */
const sandboxes = sandboxPerTest();

interface Report {
  rows?: Array<{ dimensionValues?: Array<{ value: string }>; metricValues?: Array<{ value: string }> }>;
  rowCount?: number;
  metricHeaders?: Array<{ name: string }>;
}

interface ReportAnswer {
  status: number;
  report: Report;
  error?: { message: string };
}

async function runReport(body: Record<string, unknown>, { propertyId = ga4SandboxPropertyId, token = ga4SandboxToken } = {}): Promise<ReportAnswer> {
  const response = await fetch(`${sandboxes.server.url}/v1beta/properties/${propertyId}:runReport`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Report & { error?: { message: string } };
  return { status: response.status, report: json, ...(json.error && { error: json.error }) };
}

/** The report's rows as records: dimension values as strings, metric values as numbers. */
async function rowsOf(body: Record<string, unknown>, options?: { propertyId?: string }): Promise<Array<Record<string, string | number>>> {
  const { status, report } = await runReport(body, options);
  expect(status).toBe(200);
  const dimensions = (body.dimensions as Array<{ name: string }> | undefined) ?? [];
  return (report.rows ?? []).map((row) => ({
    ...Object.fromEntries(dimensions.map(({ name }, i) => [name, row.dimensionValues![i]!.value])),
    ...Object.fromEntries(report.metricHeaders!.map(({ name }, i) => [name, Number(row.metricValues![i]!.value)])),
  }));
}

const range = (startDate: string, endDate: string) => [{ startDate, endDate }];
const metrics = (...names: string[]) => names.map((name) => ({ name }));
const byDate = [{ name: 'date' }];
const sum = (rows: Array<Record<string, string | number>>, field: string) => rows.reduce((total, row) => total + (row[field] as number), 0);

async function start(options?: Ga4SandboxOptions) {
  return sandboxes.start(ga4Sandbox(options));
}

describe('the GA4 sandbox', () => {
  describe('the days it holds', () => {
    it('holds two years ending at the fixed end date, and nothing either side', async () => {
      await start();
      const rows = await rowsOf({ dateRanges: range('2020-01-01', '2030-12-31'), dimensions: byDate, metrics: metrics('sessions') });
      expect(rows).toHaveLength(730);
      expect([rows[0]!.date, rows.at(-1)!.date]).toEqual(['20241125', '20261124']);
      const outside = await runReport({ dateRanges: range('2026-11-25', '2027-01-31'), dimensions: byDate, metrics: metrics('sessions'), keepEmptyRows: true });
      expect(outside).toMatchObject({ status: 200, report: { metricHeaders: [{ name: 'sessions', type: 'TYPE_INTEGER' }] } });
      expect(outside.report.rows).toBeUndefined();
      expect(outside.report.rowCount).toBeUndefined();
    });

    it('counts relative dates back from the day after the end date, so yesterday is the last day held', async () => {
      await start({ endDate: '2025-03-31', days: 90 });
      const lastWeek = await rowsOf({ dateRanges: range('7daysAgo', 'yesterday'), dimensions: byDate, metrics: metrics('sessions') });
      expect(lastWeek.map((row) => row.date)).toEqual(['20250325', '20250326', '20250327', '20250328', '20250329', '20250330', '20250331']);
      expect(await rowsOf({ dateRanges: range('today', 'today'), dimensions: byDate, metrics: metrics('sessions') })).toEqual([]);
      const all = await rowsOf({ dateRanges: range('365daysAgo', 'today'), dimensions: byDate, metrics: metrics('sessions') });
      expect([all.length, all[0]!.date]).toEqual([90, '20250101']);
    });

    it('refuses dates that are not dates, and ranges that end before they start', async () => {
      await start();
      for (const [startDate, endDate] of [['2026-13-01', 'today'], ['lastWeek', 'today'], ['yesterday', '7daysAgo']]) {
        const answer = await runReport({ dateRanges: range(startDate!, endDate!), metrics: metrics('sessions') });
        expect(answer.status, `${startDate} to ${endDate}`).toBe(400);
      }
      expect((await runReport({ metrics: metrics('sessions') })).status).toBe(400);
    });
  });

  describe('its traffic', () => {
    it('looks like a real site: busier on weekdays, growing year on year, hundreds to thousands of sessions a day', async () => {
      await start();
      const days = await rowsOf({ dateRanges: range('2024-11-25', '2026-11-24'), dimensions: byDate, metrics: metrics('sessions') });
      const weekday = (row: Record<string, string | number>) => new Date(`${String(row.date).replace(/(\d{4})(\d\d)(\d\d)/, '$1-$2-$3')}T00:00:00Z`).getUTCDay();
      const average = (rows: typeof days) => sum(rows, 'sessions') / rows.length;
      const weekends = days.filter((row) => weekday(row) % 6 === 0);
      expect(average(days.filter((row) => weekday(row) % 6 !== 0))).toBeGreaterThan(1.1 * average(weekends));
      expect(sum(days.slice(365), 'sessions')).toBeGreaterThan(sum(days.slice(0, 365), 'sessions'));
      for (const row of days) expect(row.sessions).toSatisfy((sessions: number) => sessions >= 100 && sessions <= 20_000);
    });

    it('keeps each day consistent: users under sessions, pages over them, rates as ratios, revenue in cents', async () => {
      await start();
      const days = await rowsOf({
        dateRanges: range('2025-06-01', '2025-08-31'),
        dimensions: byDate,
        metrics: metrics('sessions', 'totalUsers', 'activeUsers', 'newUsers', 'screenPageViews', 'bounceRate', 'engagementRate', 'averageSessionDuration', 'conversions', 'keyEvents', 'sessionConversionRate', 'totalRevenue'),
      });
      expect(days).toHaveLength(92);
      for (const day of days) {
        const n = (field: string) => day[field] as number;
        expect(n('totalUsers')).toBeLessThan(n('sessions'));
        expect(n('activeUsers')).toBeLessThanOrEqual(n('totalUsers'));
        expect(n('newUsers')).toBeLessThanOrEqual(n('totalUsers'));
        expect(n('screenPageViews')).toBeGreaterThan(n('sessions'));
        expect(n('bounceRate')).toSatisfy((rate: number) => rate >= 0.3 && rate <= 0.7);
        expect(n('bounceRate') + n('engagementRate')).toBeCloseTo(1, 12);
        expect(n('averageSessionDuration')).toSatisfy((seconds: number) => seconds > 60 && seconds < 400);
        expect(n('conversions')).toBe(n('keyEvents'));
        expect(n('sessionConversionRate')).toSatisfy((rate: number) => rate > 0 && rate < 0.15);
        expect(String(day.totalRevenue)).toMatch(/^\d+(\.\d{1,2})?$/);
      }
    });

    it('sums days and channels into totals whose rates recompute from the parts', async () => {
      await start();
      const fields = metrics('sessions', 'engagementRate', 'averageSessionDuration', 'totalRevenue');
      const dateRanges = range('2025-01-01', '2025-03-31');
      const [total] = await rowsOf({ dateRanges, metrics: fields });
      const days = await rowsOf({ dateRanges, dimensions: byDate, metrics: fields });
      const cells = await rowsOf({ dateRanges, dimensions: [...byDate, { name: 'sessionDefaultChannelGroup' }], metrics: fields, keepEmptyRows: true });
      expect(cells).toHaveLength(90 * 7);
      const weighted = (rows: typeof days, field: string) => rows.reduce((all, row) => all + (row[field] as number) * (row.sessions as number), 0) / sum(rows, 'sessions');
      for (const parts of [days, cells]) {
        expect(sum(parts, 'sessions')).toBe(total!.sessions);
        expect(weighted(parts, 'engagementRate')).toBeCloseTo(total!.engagementRate as number, 10);
        expect(weighted(parts, 'averageSessionDuration')).toBeCloseTo(total!.averageSessionDuration as number, 8);
        expect(sum(parts, 'totalRevenue')).toBeCloseTo(total!.totalRevenue as number, 6);
      }
      const firstDay = cells.filter((cell) => cell.date === days[0]!.date);
      expect(sum(firstDay, 'sessions')).toBe(days[0]!.sessions);
    });

    it('gives each property its own traffic', async () => {
      await start();
      const accounts = (await (await fetch(`${sandboxes.server.url}/v1beta/accountSummaries`, { headers: { authorization: `Bearer ${ga4SandboxToken}` } })).json()) as {
        accountSummaries: Array<{ propertySummaries: Array<{ property: string }> }>;
      };
      const ids = accounts.accountSummaries.flatMap((a) => a.propertySummaries.map((p) => p.property.replace('properties/', '')));
      const sessions = await Promise.all(ids.map(async (propertyId) => (await rowsOf({ dateRanges: range('2026-01-01', '2026-01-31'), metrics: metrics('sessions') }, { propertyId }))[0]!.sessions));
      expect(new Set(sessions).size).toBe(3);
    });
  });

  describe('its report options', () => {
    it('leaves out rows whose metrics are all zero unless keepEmptyRows asks for them', async () => {
      await start();
      const request = { dateRanges: range('2026-01-01', '2026-03-31'), dimensions: [...byDate, { name: 'sessionDefaultChannelGroup' }], metrics: metrics('totalRevenue') };
      const kept = await runReport({ ...request, keepEmptyRows: true });
      const dropped = await runReport(request);
      expect(kept.report.rowCount).toBe(90 * 7);
      expect(dropped.report.rowCount).toBeLessThan(90 * 7);
      expect(dropped.report.rows!.every((row) => row.metricValues![0]!.value !== '0')).toBe(true);
    });

    it('orders rows by a metric or a dimension, descending when asked', async () => {
      await start();
      const request = { dateRanges: range('2026-01-01', '2026-03-31'), dimensions: byDate, metrics: metrics('sessions') };
      const bySessions = await rowsOf({ ...request, orderBys: [{ metric: { metricName: 'sessions' }, desc: true }] });
      expect(bySessions.map((row) => row.sessions)).toEqual(bySessions.map((row) => row.sessions as number).sort((a, b) => b - a));
      const newestFirst = await rowsOf({ ...request, orderBys: [{ dimension: { dimensionName: 'date' }, desc: true }] });
      expect(newestFirst[0]!.date).toBe('20260331');
      expect((await runReport({ ...request, orderBys: [{ metric: { metricName: 'totalRevenue' } }] })).status).toBe(400);
    });

    it('gives 10,000 rows unless asked for fewer, counting all of them in rowCount', async () => {
      await start({ days: 1_500 });
      const answer = await runReport({ dateRanges: range('2000-01-01', 'yesterday'), dimensions: [...byDate, { name: 'sessionDefaultChannelGroup' }], metrics: metrics('sessions'), keepEmptyRows: true });
      expect([answer.report.rows!.length, answer.report.rowCount]).toEqual([10_000, 10_500]);
    });

    it('reads limit and offset as int64s, strings or numbers, and cuts limit to 250,000', () => {
      const request = (change: object) => parseReportRequest({ dateRanges: range('yesterday', 'yesterday'), metrics: metrics('sessions'), ...change }, 'properties/1', 20_000);
      expect(request({ limit: '300000', offset: 20 })).toMatchObject({ limit: 250_000, offset: 20 });
      expect(request({ limit: 0 })).toMatchObject({ limit: 10_000, offset: 0 });
      expect(() => request({ limit: '-1' })).toThrow('limit must be positive');
      expect(() => request({ offset: 'ten' })).toThrow("Invalid value at 'offset' (TYPE_INT64)");
    });

    it('refuses, by name, what GA4 takes but the sandbox does not simulate', async () => {
      await start();
      const base = { dateRanges: range('30daysAgo', 'yesterday'), metrics: metrics('sessions') };
      const filtered = await runReport({ ...base, dimensionFilter: { filter: { fieldName: 'sessionDefaultChannelGroup', stringFilter: { value: 'Direct' } } } });
      expect([filtered.status, filtered.error?.message]).toEqual([400, expect.stringContaining('does not simulate dimensionFilter')]);
      const twoRanges = await runReport({ ...base, dateRanges: [...range('60daysAgo', '31daysAgo'), ...range('30daysAgo', 'yesterday')] });
      expect([twoRanges.status, twoRanges.error?.message]).toEqual([400, expect.stringContaining('more than one date range')]);
    });
  });

  describe('its accounts and tokens', () => {
    it('seeds the same accounts and properties every time, the first properties whatever the count', async () => {
      const summaries = async (options: Ga4SandboxOptions) => {
        await start(options);
        const response = await fetch(`${sandboxes.server.url}/v1beta/accountSummaries`, { headers: { authorization: `Bearer ${ga4SandboxToken}` } });
        await sandboxes.server.close();
        return ((await response.json()) as { accountSummaries: Array<{ propertySummaries?: Array<{ property: string }> }> }).accountSummaries;
      };
      const three = await summaries({});
      expect(await summaries({})).toEqual(three);
      const properties = (list: typeof three) => list.flatMap((a) => (a.propertySummaries ?? []).map((p) => p.property));
      expect(properties(await summaries({ properties: 7 })).slice(0, 3)).toEqual(properties(three));
      const one = await summaries({ properties: 1 });
      expect([one.length, properties(one), one[1]!.propertySummaries]).toEqual([2, [`properties/${ga4SandboxPropertyId}`], undefined]);
    });

    it('lets the OAuth sandbox decide which bearer tokens pass', async () => {
      await start({ isValidToken: (token) => token.startsWith('ya29.issued-') });
      const request = { dateRanges: range('yesterday', 'yesterday'), metrics: metrics('sessions') };
      expect((await runReport(request, { token: 'ya29.issued-42' })).status).toBe(200);
      expect((await runReport(request)).status).toBe(401);
    });
  });
});
