import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetricRow } from '../connectors/runtime/metrics-mapping.js';
import { combinedMapping, seriesOf, withDimensions, type ProviderMetrics } from './metric-series.js';
import { bucketOf, bucketsOf, previousRange } from './periods.js';

const ads: ProviderMetrics = {
  provider: 'ads',
  name: 'Ads',
  mapping: combinedMapping([{ stream: 'insights', date: 'day', dimensions: {}, values: { clicks: 'c', impressions: 'i' }, rates: { ctr: { of: 'clicks', per: 'impressions' } }, units: {}, better: {} }]),
};
const row = (date: string, clicks: number, impressions: number, campaign = '1'): MetricRow => ({
  connection_id: 'c',
  provider: 'ads',
  date,
  dimension_key: `campaign=${campaign}`,
  dimensions: { campaign },
  metrics: { clicks, impressions, ctr: impressions === 0 ? 0 : clicks / impressions },
});

describe('periods', () => {
  it('names weeks by their Monday and months by their first day, and compares a period with the one of its length before', () => {
    expect(['2026-11-23', '2026-11-29', '2026-11-30', '2024-02-29'].map((d) => bucketOf(d, 'week'))).toEqual(['2026-11-23', '2026-11-23', '2026-11-30', '2024-02-26']);
    expect(bucketsOf({ from: '2026-01-30', to: '2026-03-01' }, 'month')).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    expect(previousRange({ from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-01-29', to: '2026-02-28' });
  });
});

describe('seriesOf', () => {
  it('computes a rate from the period’s sums: 10 clicks of 100 and 1 of 1,000 make 1%, not the 5% mean of the days', () => {
    const rows = [row('2026-11-02', 10, 100), row('2026-11-03', 1, 1000)];
    const [ctr] = seriesOf(rows, ads, ['ctr'], { from: '2026-11-02', to: '2026-11-03' }, 'week');
    expect(ctr!.total).toBeCloseTo(11 / 1100, 15);
    expect(ctr!.total).not.toBeCloseTo((0.1 + 0.001) / 2, 5);
    expect(ctr!.points).toEqual([{ period: '2026-11-02', value: ctr!.total }]);
  });

  it('over any rows and range: value points add up to the total, and every rate is sum over sum (property)', () => {
    const day = fc.integer({ min: 0, max: 60 }).map((n) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10));
    const rows = fc.array(fc.tuple(day, fc.nat(1000), fc.nat(5000), fc.constantFrom('1', '2')).map(([d, c, i, campaign]) => row(d, c, i, campaign)), { maxLength: 40 });
    fc.assert(
      fc.property(rows, fc.constantFrom('day' as const, 'week' as const, 'month' as const), (generated, granularity) => {
        const range = { from: '2026-01-10', to: '2026-02-20' };
        const [clicks, ctr] = seriesOf(generated, ads, ['clicks', 'ctr'], range, granularity);
        const inside = generated.filter((r) => r.date >= range.from && r.date <= range.to);
        const sum = (m: string) => inside.reduce((s, r) => s + r.metrics[m]!, 0);
        expect(clicks!.points.reduce((s, p) => s + p.value, 0)).toBe(clicks!.total);
        expect(clicks!.total).toBe(sum('clicks'));
        expect(ctr!.total).toBe(sum('impressions') === 0 ? 0 : sum('clicks') / sum('impressions'));
        expect(clicks!.points.map((p) => p.period)).toEqual(bucketsOf(range, granularity));
      }),
    );
  });

  it('keeps only rows with the dimension values asked for', () => {
    const rows = [row('2026-11-02', 1, 10, '1'), row('2026-11-02', 2, 10, '2')];
    expect(withDimensions(rows, { campaign: '2' })).toEqual([rows[1]]);
    expect(withDimensions(rows, {})).toEqual(rows);
  });
});
