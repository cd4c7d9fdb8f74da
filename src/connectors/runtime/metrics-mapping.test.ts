import { describe, expect, it } from 'vitest';
import { parseDefinition } from './define.js';
import { dayText, metricRowsOf, metricsMappingSchema, type MetricsMapping } from './metrics-mapping.js';

const source = { connectionId: 'c1', provider: 'ads' };
const ads: MetricsMapping = metricsMappingSchema.parse({
  stream: 'insights',
  date: 'day',
  dimensions: { account: 'account.id', campaign: 'campaign_id' },
  values: { impressions: 'impressions', clicks: 'clicks', spend: 'spend', reach: { product: ['rate', 'base'] }, engagements: { sum: ['clicks', 'likes'] } },
  rates: { ctr: { of: 'clicks', per: 'impressions' } },
  units: { spend: 'currency' },
});

describe('metricRowsOf', () => {
  it('makes a row per record: its day, dimensions as a key, values read, multiplied, added, and the day’s rates', () => {
    const [row] = metricRowsOf(ads, [{ day: '2026-11-03', account: { id: 'act_1' }, campaign_id: 42, impressions: '2000', clicks: 50, spend: '12.5', rate: 0.5, base: 8, likes: 3 }], source);
    expect(row).toEqual({
      connection_id: 'c1',
      provider: 'ads',
      date: '2026-11-03',
      dimension_key: 'account=act_1|campaign=42',
      dimensions: { account: 'act_1', campaign: '42' },
      metrics: { impressions: 2000, clicks: 50, spend: 12.5, reach: 4, engagements: 53, ctr: 0.025 },
    });
  });

  it('counts a missing or unreadable number as 0, a rate over nothing as 0, and leaves out records without a day', () => {
    const rows = metricRowsOf(ads, [{ day: '2026-11-03', impressions: 'n/a' }, { day: 'yesterday', clicks: 3 }, { clicks: 1 }], source);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.metrics).toMatchObject({ impressions: 0, clicks: 0, ctr: 0 });
    expect(rows[0]!.dimension_key).toBe('account=|campaign=');
  });

  it('keeps the later of two records of one day and key, and makes each record its own row with an identity', () => {
    expect(metricRowsOf(ads, [{ day: '2026-11-03', clicks: 1 }, { day: '2026-11-03', clicks: 2 }], source).map((r) => r.metrics.clicks)).toEqual([2]);
    const orders = metricsMappingSchema.parse({ stream: 'orders', date: 'createdAt', identity: 'id', values: { orders: { constant: 1 }, revenue: 'total' } });
    const rows = metricRowsOf(orders, [{ id: 'o1', createdAt: '2026-11-03T23:30:00-02:00', total: '10' }, { id: 'o2', createdAt: '2026-11-04T01:00:00Z', total: 5 }], source);
    expect(rows.map((r) => [r.date, r.dimension_key, r.metrics])).toEqual([
      ['2026-11-04', '#=o1', { orders: 1, revenue: 10 }],
      ['2026-11-04', '#=o2', { orders: 1, revenue: 5 }],
    ]);
  });
});

describe('dayText', () => {
  it('reads days, GA4’s compact days, instants and epoch milliseconds as UTC days', () => {
    expect(['2026-01-31', '20260131', '2026-01-31T23:59:59Z', '2026-02-01T01:00:00+02:00', Date.UTC(2026, 0, 31, 12)].map(dayText)).toEqual(Array(5).fill('2026-01-31'));
    expect(['31/01/2026', '', null, {}, Number.NaN, '2026-13-45T00:00:00Z'].map(dayText)).toEqual(Array(6).fill(undefined));
  });
});

describe('a definition’s metrics', () => {
  const definition = (metrics: unknown) => ({
    id: 'acme',
    name: 'Acme',
    kind: 'custom',
    category: 'ads',
    description: 'Acme ads',
    docs: 'https://acme.test/docs',
    baseUrl: 'https://api.acme.test',
    auth: [{ method: 'bearer' }],
    streams: { insights: { request: { path: '/insights' }, records: 'data', primaryKey: 'id' } },
    metrics,
  });

  it('are checked when the definition loads, each issue naming its field', () => {
    const parsed = parseDefinition(definition([{ stream: 'reports', date: 'day', values: { clicks: 'clicks' }, rates: { ctr: { of: 'clicks', per: 'impressions' } }, headline: ['cpc'], better: { spend: 'lower' } }]));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.issues).toEqual([
      { field: 'metrics.0.stream', message: 'names no stream of this connector' },
      { field: 'metrics.0.rates.ctr.per', message: '"impressions" is not one of the values' },
      { field: 'metrics.0.headline', message: '"cpc" is neither a value nor a rate' },
      { field: 'metrics.0.better.spend', message: 'names neither a value nor a rate' },
    ]);
    expect(parseDefinition(definition([{ stream: 'insights', date: 'day', values: { clicks: 'clicks' } }])).ok).toBe(true);
  });

  it('cannot belong to a connector named "metrics", whose stream "daily" would be the metrics table', () => {
    const parsed = parseDefinition({ ...definition([]), id: 'metrics' });
    expect(!parsed.ok && parsed.issues).toContainEqual({ field: 'id', message: '"metrics" is reserved; choose another id' });
  });
});
