import { describe, expect, it } from 'vitest';
import { freshnessOf } from './freshness.js';
import { insightsOf } from './insights.js';
import { combinedMapping, type ProviderMetrics } from './metric-series.js';
import type { Kpi, ProviderOverview } from './overview.js';

const meta: ProviderMetrics = {
  provider: 'meta_ads',
  name: 'Meta Ads',
  mapping: combinedMapping([
    {
      stream: 'insights_daily',
      date: 'date',
      dimensions: {},
      values: { impressions: 'i', clicks: 'c', spend: 's', conversions: 'v' },
      rates: { ctr: { of: 'clicks', per: 'impressions' }, cpc: { of: 'spend', per: 'clicks' } },
      units: { spend: 'currency', cpc: 'currency' },
      better: { cpc: 'lower', spend: 'neither' },
    },
  ]),
};
const period = { from: '2026-11-01', to: '2026-11-30' };
const kpi = (metric: string, previous: number, current: number, unit: Kpi['unit'] = 'count'): Kpi => ({ metric, unit, previous, current, change: previous === 0 ? null : (current - previous) / previous });
const overview = (kpis: Kpi[]): ProviderOverview => ({ provider: 'meta_ads', name: 'Meta Ads', period, previousPeriod: { from: '2026-10-02', to: '2026-10-31' }, hasPrevious: true, kpis });
const providers = new Map([['meta_ads', meta]]);
const bases = (ctr: number) => new Map([['meta_ads', { ctr: { current: ctr, previous: ctr }, cpc: { current: ctr, previous: ctr } }]]);

describe('insightsOf', () => {
  it('keeps changes of 15% or more over enough volume, judged by which way is good, largest first', () => {
    const { facts } = insightsOf(
      [overview([kpi('clicks', 1000, 1300), kpi('impressions', 10, 19), kpi('conversions', 100, 110), kpi('cpc', 0.5, 0.8, 'currency'), kpi('spend', 500, 1000, 'currency'), kpi('ctr', 0.02, 0.01, 'ratio')])],
      providers,
      bases(5000),
      [],
    );
    expect(facts.map((f) => [f.metric, f.direction, f.assessment])).toEqual([
      ['spend', 'up', 'neutral'],
      ['cpc', 'up', 'bad'],
      ['ctr', 'down', 'bad'],
      ['clicks', 'up', 'good'],
    ]);
    expect(facts[0]).toMatchObject({ id: 'meta_ads.spend', previous: 500, current: 1000, change: 1, period, message: 'Meta Ads spend rose 100% (500 → 1,000) from 2026-11-01 to 2026-11-30 against the 30 days before.' });
  });

  it('does not trust a rate over too small a denominator', () => {
    const { facts } = insightsOf([overview([kpi('ctr', 0.02, 0.01, 'ratio')])], providers, bases(99), []);
    expect(facts).toEqual([]);
  });

  it('recommends what follows from bad changes, from spend outgrowing conversions, and from stale sources', () => {
    const { steps } = insightsOf([overview([kpi('spend', 500, 800, 'currency'), kpi('conversions', 100, 90), kpi('ctr', 0.02, 0.01, 'ratio')])], providers, bases(5000), [
      { connectionId: 'c9', name: 'Old ads', lastSyncedAt: '2026-11-20T03:00:00.000Z' },
    ]);
    expect(steps.map((s) => s.id)).toEqual(['stale.c9', 'meta_ads.spend_without_conversions', 'meta_ads.ctr.step']);
    expect(steps[0]!.text).toBe('Sync or reconnect “Old ads”: its data ends at its last successful sync, 2026-11-20, so the numbers here may be out of date.');
    expect(steps[1]).toMatchObject({ text: 'Meta Ads spend rose 60% while conversions fell 10%: cap or pause the campaigns that spend without converting.', because: ['meta_ads.spend'] });
    expect(steps[2]).toMatchObject({ because: ['meta_ads.ctr'], text: expect.stringContaining('refresh the creatives') });
  });
});

describe('freshnessOf', () => {
  const now = new Date('2026-12-03T12:00:00Z');
  const connection = (mode: 'sandbox' | 'live', status: 'connected' | 'error', hoursAgo: number | null) => ({
    connectionId: `${mode}-${status}-${hoursAgo}`,
    name: 'x',
    provider: 'ga4',
    mode,
    status,
    lastSyncedAt: hoursAgo === null ? null : new Date(now.getTime() - hoursAgo * 3_600_000),
  });

  it('says live, sandbox or mixed, and stale when a source errs, never synced or synced over 48 hours ago', () => {
    expect(freshnessOf([connection('live', 'connected', 2)], now)).toMatchObject({ source: 'live', stale: false, lastSyncedAt: '2026-12-03T10:00:00.000Z' });
    expect(freshnessOf([connection('sandbox', 'connected', 49)], now)).toMatchObject({ source: 'sandbox', stale: true });
    expect(freshnessOf([connection('live', 'error', 1), connection('sandbox', 'connected', 1)], now)).toMatchObject({ source: 'mixed', stale: true });
    expect(freshnessOf([connection('live', 'connected', null)], now)).toMatchObject({ stale: true, lastSyncedAt: null });
    expect(freshnessOf([], now)).toEqual({ source: 'none', stale: false, lastSyncedAt: null, connections: [] });
  });
});
