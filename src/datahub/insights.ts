import type { MetricUnit } from '../connectors/runtime/metrics-mapping.js';
import type { ProviderMetrics } from './metric-series.js';
import type { ProviderOverview } from './overview.js';
import { lengthOf, type DayRange } from './periods.js';

/**
 * Notable changes and the next steps that follow from them, by fixed rules (docs/DATA-HUB.md):
 *
 * 1. A **fact** is a headline metric of a provider whose value moved by at least 15% against the
 *    period of the same length before, over enough volume to mean something: a count of at least
 *    20 (or 10 in money, 60 in seconds) in one of the two periods, and for a rate at least 100 in
 *    its denominator in both (a ctr over 30 impressions says nothing).
 * 2. Each fact is judged by the metric's `better` direction: `good`, `bad` or `neutral`.
 * 3. A **step** follows from a bad fact of a metric the rules below know, or from spend rising
 *    faster than conversions, or from a connection whose data is stale. Facts sort by the size of
 *    the change; at most 12 facts and 8 steps.
 */
export interface Fact {
  id: string;
  provider: string;
  metric: string;
  unit: MetricUnit;
  period: DayRange;
  previousPeriod: DayRange;
  previous: number;
  current: number;
  change: number;
  direction: 'up' | 'down';
  assessment: 'good' | 'bad' | 'neutral';
  /** The fact in words, numbers included. */
  message: string;
}

export interface Step {
  id: string;
  provider: string;
  text: string;
  /** The facts (or connection) it follows from. */
  because: string[];
}

export interface StaleSource {
  connectionId: string;
  name: string;
  lastSyncedAt: string | null;
}

const minimumChange = 0.15;
const minimumVolume: Record<MetricUnit, number> = { count: 20, currency: 10, seconds: 60, ratio: 0 };
const minimumRateBase = 100;
const maxFacts = 12;
const maxSteps = 8;

/** What to do about a bad change of a metric, by metric name (and provider where the name means different things). */
const stepsForBadChange: Array<{ metric: string; provider?: string; text: string }> = [
  { metric: 'sessions', text: 'Traffic fell: compare channels in {name} to find where, and check that the tracking tag still fires on every page.' },
  { metric: 'pageviews', text: 'Fewer pages are viewed: check the pages that lost most views for broken links or changed navigation.' },
  { metric: 'bounceRate', text: 'More visits leave at once: open the landing pages that gained traffic and check their speed and whether they keep the ad’s promise.' },
  { metric: 'conversionRate', text: 'Fewer visitors convert in {name}: walk the checkout or sign-up path yourself, starting with pages that changed.' },
  { metric: 'ctr', text: 'Fewer people click your ads: refresh the creatives of the campaigns with the most impressions.' },
  { metric: 'cpc', text: 'Clicks cost more: review bids and audiences of the campaigns whose cost per click rose most.' },
  { metric: 'openRate', text: 'Fewer emails are opened: test subject lines and send times on the next campaign.' },
  { metric: 'clickRate', text: 'Fewer readers click: put one clear call to action near the top of the next email.' },
  { metric: 'unsubscribes', text: 'More people unsubscribe: check how often you send, and whether each audience gets what it signed up for.' },
  { metric: 'bounces', provider: 'mailchimp', text: 'More emails bounce: remove addresses that bounced hard from the audience.' },
  { metric: 'engagementRate', text: 'Posts engage fewer people: see which formats held up and post more of those.' },
  { metric: 'impressions', provider: 'linkedin', text: 'Posts reach fewer people: post more regularly, at the hours your followers are active.' },
  { metric: 'revenue', text: 'Revenue fell in {name}: check stock of the best sellers, then whether fewer visits or fewer conversions explain it.' },
  { metric: 'orders', text: 'Fewer orders: check that checkout works end to end and that the best sellers are in stock.' },
];

export function insightsOf(overviews: readonly ProviderOverview[], providers: ReadonlyMap<string, ProviderMetrics>, rateBases: ReadonlyMap<string, Record<string, { current: number; previous: number }>>, stale: readonly StaleSource[]): { facts: Fact[]; steps: Step[] } {
  const facts: Fact[] = [];
  for (const overview of overviews) {
    const provider = providers.get(overview.provider)!;
    for (const kpi of overview.kpis) {
      if (kpi.change === null || Math.abs(kpi.change) < minimumChange) continue;
      const base = rateBases.get(overview.provider)?.[kpi.metric];
      if (base ? Math.min(base.current, base.previous) < minimumRateBase : Math.max(kpi.current, kpi.previous) < minimumVolume[kpi.unit]) continue;
      const direction = kpi.change > 0 ? 'up' : 'down';
      const better = provider.mapping.better[kpi.metric] ?? 'higher';
      const assessment = better === 'neither' ? 'neutral' : (direction === 'up') === (better === 'higher') ? 'good' : 'bad';
      facts.push({
        id: `${overview.provider}.${kpi.metric}`,
        provider: overview.provider,
        metric: kpi.metric,
        unit: kpi.unit,
        period: overview.period,
        previousPeriod: overview.previousPeriod,
        previous: kpi.previous,
        current: kpi.current,
        change: kpi.change,
        direction,
        assessment,
        message: `${overview.name} ${kpi.metric} ${direction === 'up' ? 'rose' : 'fell'} ${percent(Math.abs(kpi.change))} (${formatted(kpi.previous, kpi.unit)} → ${formatted(kpi.current, kpi.unit)}) ${periodWords(overview.period)}.`,
      });
    }
  }
  facts.sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.id.localeCompare(b.id));
  const kept = facts.slice(0, maxFacts);
  return { facts: kept, steps: stepsOf(kept, overviews, providers, stale).slice(0, maxSteps) };
}

function stepsOf(facts: readonly Fact[], overviews: readonly ProviderOverview[], providers: ReadonlyMap<string, ProviderMetrics>, stale: readonly StaleSource[]): Step[] {
  const steps: Step[] = [];
  for (const source of stale) {
    const since = source.lastSyncedAt ? `its data ends at its last successful sync, ${source.lastSyncedAt.slice(0, 10)}` : 'it has never synced';
    steps.push({ id: `stale.${source.connectionId}`, provider: '', text: `Sync or reconnect “${source.name}”: ${since}, so the numbers here may be out of date.`, because: [`connection:${source.connectionId}`] });
  }
  for (const overview of overviews) {
    const spend = overview.kpis.find((k) => k.metric === 'spend');
    const conversions = overview.kpis.find((k) => k.metric === 'conversions');
    if (spend?.change != null && conversions?.change != null && spend.change >= minimumChange && conversions.change < spend.change / 2) {
      const conversionWords = conversions.change < 0 ? `fell ${percent(-conversions.change)}` : `rose only ${percent(conversions.change)}`;
      steps.push({
        id: `${overview.provider}.spend_without_conversions`,
        provider: overview.provider,
        text: `${overview.name} spend rose ${percent(spend.change)} while conversions ${conversionWords}: cap or pause the campaigns that spend without converting.`,
        because: facts.filter((f) => f.provider === overview.provider && (f.metric === 'spend' || f.metric === 'conversions')).map((f) => f.id),
      });
    }
  }
  for (const fact of facts) {
    if (fact.assessment !== 'bad') continue;
    const rule = stepsForBadChange.find((r) => r.metric === fact.metric && (r.provider === undefined || r.provider === fact.provider));
    if (!rule) continue;
    steps.push({ id: `${fact.id}.step`, provider: fact.provider, text: rule.text.replace('{name}', providers.get(fact.provider)!.name), because: [fact.id] });
  }
  return steps;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)}%`;
}

function formatted(value: number, unit: MetricUnit): string {
  if (unit === 'ratio') return percent(value);
  if (unit === 'seconds') return `${value.toFixed(0)} s`;
  return value.toLocaleString('en-US', { maximumFractionDigits: unit === 'currency' ? 2 : 0 });
}

function periodWords(period: DayRange): string {
  const days = lengthOf(period);
  return days === 1 ? `on ${period.from} against the day before` : `from ${period.from} to ${period.to} against the ${days} days before`;
}
