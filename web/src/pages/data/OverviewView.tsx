import { Link } from 'wouter';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { useDataSpan, useInsights, useMetrics, useOverview, type Metrics, type Overview } from './data-queries';
import { FreshnessLabel } from './FreshnessLabel';
import { InsightsList } from './InsightsList';
import { KpiCards } from './KpiCards';
import { MetricChart } from './MetricChart';
import { formatDay, formatPeriod } from './labels';
import { periodOf, useDataPeriod, type Granularity } from './period';
import { PeriodPicker } from './PeriodPicker';

/** KPI cards and charts per provider for the chosen period, and the insights that follow from them. */
export function OverviewView() {
  const span = useDataSpan();
  const { range, granularity, setPreset, setCustom, setGranularity } = useDataPeriod();
  const period = span.data ? periodOf(range, span.data.lastDay) : undefined;
  const overview = useOverview(period);
  const metrics = useMetrics(period, granularity);
  const insights = useInsights(period);
  if (span.isPending) return <Loading label="Loading the data hub" />;
  if (!span.data || !period) return <ErrorMessage error={span.error} title="The data hub could not be read." />;
  if (span.data.providers === 0) {
    return (
      <div className="stack">
        <PageHeading level={2}>Overview</PageHeading>
        <div className="empty card">
          <p>No connections with metrics yet. Google Analytics 4, Meta Ads, Mailchimp, LinkedIn and Shopify report numbers by day; connect one (a sandbox works) to see them here.</p>
          <Link href="~/integrations" className="button primary">
            Go to Integrations
          </Link>
        </div>
      </div>
    );
  }
  const providerNames = Object.fromEntries((overview.data?.providers ?? []).map((p) => [p.provider, p.name]));
  return (
    <div className="stack">
      <div className="spread overview-head">
        <PageHeading level={2}>Overview</PageHeading>
        {overview.data ? <FreshnessLabel freshness={overview.data.freshness} /> : null}
      </div>
      <PeriodPicker range={range} period={period} lastDay={span.data.lastDay} granularity={granularity} setPreset={setPreset} setCustom={setCustom} setGranularity={setGranularity} />
      <ErrorMessage error={overview.error ?? metrics.error} title="The numbers could not be read." />
      {overview.isPending ? <Loading label="Loading the numbers" /> : null}
      {overview.data ? (
        <p className="muted">
          {formatPeriod(overview.data.period)}, against {formatPeriod(overview.data.previousPeriod)}.
        </p>
      ) : null}
      {period.to > span.data.lastDay ? <p className="notice">No source has data after {formatDay(span.data.lastDay)}: later days count as 0.</p> : null}
      {overview.data?.providers.map((provider) => <ProviderSection key={provider.provider} overview={provider} metrics={metrics.data} granularity={granularity} />)}
      <section className="card" aria-labelledby="insights-title">
        <h3 id="insights-title">Insights</h3>
        <ErrorMessage error={insights.error} title="The insights could not be read." />
        {insights.isPending ? <Loading label="Loading the insights" /> : null}
        {insights.data ? <InsightsList insights={insights.data} providerNames={providerNames} /> : null}
      </section>
    </div>
  );
}

function ProviderSection({ overview, metrics, granularity }: { overview: Overview['providers'][number]; metrics: Metrics | undefined; granularity: Granularity }) {
  const id = `provider-${overview.provider}`;
  const series = metrics?.providers.find((p) => p.provider === overview.provider)?.metrics;
  const neverSynced = overview.freshness.lastSyncedAt === null;
  return (
    <section className="card provider" aria-labelledby={id}>
      <div className="spread">
        <h3 id={id}>{overview.name}</h3>
        <FreshnessLabel freshness={overview.freshness} />
      </div>
      {neverSynced ? (
        <p className="notice">
          Not synced yet: run a sync of{' '}
          {overview.freshness.connections.map((c, i) => (
            <span key={c.connectionId}>
              {i > 0 ? ', ' : ''}
              <Link href={`~/connections/${c.connectionId}`}>{c.name}</Link>
            </span>
          ))}{' '}
          to see its numbers.
        </p>
      ) : null}
      <KpiCards overview={overview} />
      {series ? <MetricChart provider={overview.name} series={series} granularity={granularity} /> : <Loading label="Loading the chart" />}
    </section>
  );
}
