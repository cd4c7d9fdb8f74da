import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricRow } from '../src/connectors/runtime/metrics-mapping.js';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from './support/api.js';

/**
 * The data hub over a GA4 sandbox connection's two years of days: series and totals with rates
 * computed from sums, an overview against the period before, insights, where the numbers come
 * from, and the 400s a person can act on. Another workspace sees none of it.
 */
let t: TestApi;
let a: Tenant;
let b: Tenant;
let connectionId: string;
let days: MetricRow[];

beforeAll(async () => {
  t = await startTestApi({ worker: { random: () => 0 } });
  a = await signUpTenant(t.api, 'analyst');
  b = await signUpTenant(t.api, 'other');
  const created = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'ga4', authMethod: 'oauth2', name: 'Website' } });
  connectionId = created.json().id;
  const run = await call(t.api, { method: 'POST', url: `/api/v1/connections/${connectionId}/runs?wait=true&timeoutSeconds=60`, auth: a.session });
  expect(run.json().status, run.body).toBe('succeeded');
  days = await (await t.warehouse.destination(a.workspaceId)).readMetrics({ from: '2000-01-01', to: '2100-01-01' });
});
afterAll(() => t.close());

const get = (url: string, tenant = a) => call(t.api, { method: 'GET', url, auth: tenant.session });
const sum = (rows: MetricRow[], metric: string) => rows.reduce((total, row) => total + row.metrics[metric]!, 0);
const between = (from: string, to: string) => days.filter((d) => d.date >= from && d.date <= to);

describe('GET /data/metrics', () => {
  it('another workspace gets no providers and none of this workspace’s numbers', async () => {
    const res = await get('/api/v1/data/metrics', b);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ providers: [], freshness: { source: 'none', connections: [] } });
    expect((await get('/api/v1/data/metrics?provider=ga4', b)).statusCode).toBe(400);
  });

  it('sums values and computes rates from the sums over the period, never averaging daily rates', async () => {
    const res = await get('/api/v1/data/metrics?provider=ga4&metric=sessions,bounceRate&from=2026-10-01&to=2026-10-31&granularity=month');
    expect(res.statusCode, res.body).toBe(200);
    const [sessions, bounceRate] = res.json().providers[0].metrics;
    const october = between('2026-10-01', '2026-10-31');
    expect(october).toHaveLength(31);
    expect(sessions).toMatchObject({ metric: 'sessions', unit: 'count', total: sum(october, 'sessions'), points: [{ period: '2026-10-01', value: sum(october, 'sessions') }] });
    expect(bounceRate.unit).toBe('ratio');
    expect(bounceRate.total).toBeCloseTo(sum(october, 'bounces') / sum(october, 'sessions'), 12);
    const meanOfDailyRates = sum(october, 'bounceRate') / october.length;
    expect(Math.abs(bounceRate.total - meanOfDailyRates)).toBeGreaterThan(1e-9);
  });

  it('cuts a series into ISO weeks named by their Monday, every week present', async () => {
    const res = await get('/api/v1/data/metrics?provider=ga4&metric=sessions&from=2026-11-01&to=2026-11-24&granularity=week');
    const { points, total } = res.json().providers[0].metrics[0];
    expect(points.map((p: { period: string }) => p.period)).toEqual(['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    expect(points.reduce((s: number, p: { value: number }) => s + p.value, 0)).toBe(total);
    expect(points[0].value).toBe(sum(between('2026-11-01', '2026-11-01'), 'sessions'));
  });

  it('ends a period on the last day with data when no dates are given, and says the data is sandbox', async () => {
    const body = (await get('/api/v1/data/metrics?metric=sessions')).json();
    expect(body.period).toEqual({ from: '2026-10-26', to: '2026-11-24' });
    expect(body.freshness).toMatchObject({ source: 'sandbox', stale: false, lastSyncedAt: expect.any(String), connections: [{ connectionId, name: 'Website', provider: 'ga4', mode: 'sandbox', stale: false }] });
  });

  it('filters by a dimension', async () => {
    const property = days[0]!.dimensions.property!;
    const kept = (await get(`/api/v1/data/metrics?metric=sessions&dimension=property:${property}`)).json();
    const other = (await get('/api/v1/data/metrics?metric=sessions&dimension=property:999')).json();
    expect(kept.providers[0].metrics[0].total).toBeGreaterThan(0);
    expect(other.providers[0].metrics[0].total).toBe(0);
  });

  it('answers 400 naming the field for a bad period, an unknown metric, provider or dimension', async () => {
    const cases: Array<[string, string]> = [
      ['from=2026-11-02&to=2026-11-01', 'from: must be on or before to'],
      ['from=2026-02-30', 'from: must be a real day'],
      ['from=2020-01-01&to=2026-01-01', 'to: a period is at most'],
      ['metric=spend', 'metric: "spend" is not a metric of Google Analytics 4'],
      ['provider=shopify', 'provider: "shopify" has no connection with metrics'],
      ['dimension=campaign', 'dimension: "campaign" must be name:value'],
      ['granularity=hour', 'granularity'],
    ];
    for (const [query, message] of cases) {
      const res = await get(`/api/v1/data/metrics?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.message, query).toContain(message);
    }
  });
});

describe('GET /data/overview', () => {
  it('shows the headline metrics for the period with the change against the period before', async () => {
    const res = await get('/api/v1/data/overview?from=2026-11-11&to=2026-11-24');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.previousPeriod).toEqual({ from: '2026-10-28', to: '2026-11-10' });
    const [ga4] = body.providers;
    expect(ga4).toMatchObject({ provider: 'ga4', name: 'Google Analytics 4', hasPrevious: true, freshness: { source: 'sandbox' } });
    expect(ga4.kpis.map((k: { metric: string }) => k.metric)).toEqual(['sessions', 'users', 'pageviews', 'bounceRate', 'avgSessionDuration', 'conversions', 'conversionRate', 'revenue']);
    const sessions = ga4.kpis[0];
    const current = sum(between('2026-11-11', '2026-11-24'), 'sessions');
    const previous = sum(between('2026-10-28', '2026-11-10'), 'sessions');
    expect(sessions).toEqual({ metric: 'sessions', unit: 'count', current, previous, change: (current - previous) / previous });
    expect(ga4.kpis.find((k: { metric: string }) => k.metric === 'revenue').unit).toBe('currency');
  });

  it('has no change to show for a period with nothing before it', async () => {
    const ga4 = (await get('/api/v1/data/overview?from=2024-11-25&to=2024-12-24')).json().providers[0];
    expect(ga4.hasPrevious).toBe(false);
    expect(ga4.kpis.every((k: { change: number | null }) => k.change === null)).toBe(true);
  });
});

describe('GET /data/insights', () => {
  it('lists the changes of 15% or more with their facts, each step pointing at the facts it follows from', async () => {
    // A Monday against the Sunday before: the sandbox's traffic dips at weekends.
    const res = await get('/api/v1/data/insights?from=2026-11-23&to=2026-11-23');
    expect(res.statusCode, res.body).toBe(200);
    const { facts, steps, freshness } = res.json();
    expect(freshness.source).toBe('sandbox');
    for (const fact of facts) {
      expect(Math.abs(fact.change)).toBeGreaterThanOrEqual(0.15);
      expect(fact).toMatchObject({ provider: 'ga4', period: { from: '2026-11-23', to: '2026-11-23' }, previousPeriod: { from: '2026-11-22', to: '2026-11-22' } });
      expect(fact.change).toBeCloseTo((fact.current - fact.previous) / fact.previous, 12);
    }
    expect(facts.length).toBeGreaterThan(0);
    const ids = new Set(facts.map((f: { id: string }) => f.id));
    expect(facts.find((f: { id: string }) => f.id === 'ga4.sessions')).toMatchObject({ direction: 'up', assessment: 'good', message: expect.stringMatching(/^Google Analytics 4 sessions rose \d+% \([\d,]+ → [\d,]+\) on 2026-11-23 against the day before\.$/) });
    for (const step of steps) for (const because of step.because) expect(ids.has(because) || because.startsWith('connection:')).toBe(true);
  });

  it('recommends a step for a metric that got worse: traffic falling into a weekend', async () => {
    const sessionsOn = (date: string) => days.find((d) => d.date === date)!.metrics.sessions!;
    const drop = days.map((d) => d.date).sort().find((date, i, all) => i > 0 && sessionsOn(date) < 0.8 * sessionsOn(all[i - 1]!))!;
    expect(new Date(drop).getUTCDay()).toBe(6);
    const { facts, steps } = (await get(`/api/v1/data/insights?from=${drop}&to=${drop}`)).json();
    expect(facts.find((f: { id: string }) => f.id === 'ga4.sessions')).toMatchObject({ direction: 'down', assessment: 'bad' });
    expect(steps).toContainEqual({ id: 'ga4.sessions.step', provider: 'ga4', text: expect.stringContaining('Traffic fell: compare channels in Google Analytics 4'), because: ['ga4.sessions'] });
  });
});
