import { z } from 'zod';
import type { MetricRow } from '../../connectors/runtime/metrics-mapping.js';
import { metricUnits } from '../../connectors/runtime/metrics-mapping.js';
import { invalidField } from '../../domain/errors.js';
import { freshnessOf, type SourceConnection } from '../../datahub/freshness.js';
import { insightsOf } from '../../datahub/insights.js';
import { combinedMapping, metricNames, seriesOf, withDimensions, type ProviderMetrics } from '../../datahub/metric-series.js';
import { providerOverview, rateBases } from '../../datahub/overview.js';
import { addDays, granularities, lengthOf, previousRange, type DayRange } from '../../datahub/periods.js';
import { listConnections } from '../../store/connection-repository.js';
import { findConnector } from '../../store/custom-connector-repository.js';
import { lastSuccessfulSyncs } from '../../store/sync-run-repository.js';
import type { Api, ApiDeps } from '../app.js';
import { callerWorkspace } from '../auth/access.js';
import { errors, uuid } from '../schemas.js';

/**
 * The data hub over the workspace's `metrics_daily` (BLUEPRINT C7): series and totals, an
 * overview of each provider's headline metrics against the period before, and insights (notable
 * changes and what to do, `datahub/insights.ts`). Every answer says where its numbers come from
 * (`freshness`: live, sandbox, stale). Without `from`, a period ends on the last day with data,
 * so a sandbox's fixed calendar and a source that reports a day late both read whole.
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().startsWith(d), 'must be a real day');
const list = (what: string) =>
  z
    .string()
    .max(500)
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .describe(`Comma-separated ${what}`);
const periodQuery = z.object({
  from: day.optional().describe('First day (UTC); 30 days before `to` when left out'),
  to: day.optional().describe('Last day (UTC); the last day with data when left out'),
  provider: list('connector ids (ga4,meta_ads)').optional(),
  connectionId: uuid.optional(),
});
const timestamp = z.string().describe('ISO 8601 date and time');
const periodView = z.object({ from: z.string(), to: z.string() });
const freshnessView = z
  .object({
    source: z.enum(['live', 'sandbox', 'mixed', 'none']),
    stale: z.boolean(),
    lastSyncedAt: timestamp.nullable(),
    connections: z.array(
      z.object({ connectionId: z.string(), name: z.string(), provider: z.string(), mode: z.enum(['sandbox', 'live']), status: z.string(), lastSyncedAt: timestamp.nullable(), stale: z.boolean() }),
    ),
  })
  .meta({ id: 'DataFreshness', description: 'Where the numbers come from: live or sandbox connections, and whether any is stale (in error, disconnected, or not synced successfully for 48 hours)' });
const unit = z.enum(metricUnits);
const seriesView = z.object({ metric: z.string(), unit, total: z.number(), points: z.array(z.object({ period: z.string(), value: z.number() })) });
const kpiView = z.object({ metric: z.string(), unit, current: z.number(), previous: z.number(), change: z.number().nullable().describe('(current − previous) / previous; null without a previous value') });
const overviewView = z.object({ provider: z.string(), name: z.string(), period: periodView, previousPeriod: periodView, hasPrevious: z.boolean(), kpis: z.array(kpiView), freshness: freshnessView });
const factView = z.object({
  id: z.string(),
  provider: z.string(),
  metric: z.string(),
  unit,
  period: periodView,
  previousPeriod: periodView,
  previous: z.number(),
  current: z.number(),
  change: z.number(),
  direction: z.enum(['up', 'down']),
  assessment: z.enum(['good', 'bad', 'neutral']),
  message: z.string(),
});
const stepView = z.object({ id: z.string(), provider: z.string(), text: z.string(), because: z.array(z.string()) });

const defaultDays = 30;
const maxDays = 3 * 366;

export function dataHubRoutes(app: Api, deps: ApiDeps): void {
  /** The providers of the workspace's connections that map metrics, with those connections and their last successful syncs. */
  async function sourcesOf(workspaceId: string, query: { provider?: string[]; connectionId?: string }) {
    return deps.db.withWorkspace(workspaceId, async (tx) => {
      const connections = (await listConnections(tx, workspaceId)).filter((c) => (!query.connectionId || c.id === query.connectionId) && (!query.provider || query.provider.includes(c.connectorId)));
      const synced = await lastSuccessfulSyncs(tx, workspaceId);
      const providers = new Map<string, ProviderMetrics>();
      const sources: SourceConnection[] = [];
      for (const connection of connections) {
        let provider = providers.get(connection.connectorId);
        if (!provider) {
          const found = await findConnector(tx, deps.catalog, workspaceId, connection.connectorId);
          if (!found || found.definition.metrics.length === 0) continue;
          provider = { provider: found.definition.id, name: found.definition.name, mapping: combinedMapping(found.definition.metrics) };
          providers.set(provider.provider, provider);
        }
        sources.push({ connectionId: connection.id, name: connection.name, provider: connection.connectorId, mode: connection.mode, status: connection.status, lastSyncedAt: synced.get(connection.id) ?? null });
      }
      for (const asked of query.provider ?? []) {
        if (!providers.has(asked)) throw invalidField('provider', `"${asked}" has no connection with metrics in this workspace`);
      }
      return { providers, sources };
    });
  }

  /** The period asked for, or the last 30 days with data; checked for order and length. */
  async function periodOf(workspaceId: string, query: { from?: string; to?: string }, providers: readonly string[]): Promise<DayRange> {
    let to = query.to;
    if (!to) {
      const span = providers.length > 0 ? await (await deps.sync.warehouse.destination(workspaceId)).metricsSpan(providers) : undefined;
      to = span?.to ?? new Date().toISOString().slice(0, 10);
    }
    const period = { from: query.from ?? addDays(to, -(defaultDays - 1)), to };
    if (period.from > period.to) throw invalidField('from', 'must be on or before to');
    if (lengthOf(period) > maxDays) throw invalidField('to', `a period is at most ${maxDays} days`);
    return period;
  }

  async function rowsOf(workspaceId: string, range: DayRange, providers: readonly string[], connectionId?: string): Promise<MetricRow[]> {
    if (providers.length === 0) return [];
    const rows = await (await deps.sync.warehouse.destination(workspaceId)).readMetrics({ ...range, providers });
    return connectionId ? rows.filter((row) => row.connection_id === connectionId) : rows;
  }

  const freshnessFor = (sources: readonly SourceConnection[], provider?: string) => freshnessOf(provider ? sources.filter((s) => s.provider === provider) : sources, new Date());

  app.get(
    '/data/metrics',
    {
      config: { access: 'data.read' },
      schema: {
        tags: ['data'],
        summary: 'Totals and series of metrics from metrics_daily, per provider',
        description: 'Values are sums over the period; rates are computed from those sums (ctr = clicks / impressions over the whole period). `dimension=campaign:123` keeps rows whose dimension has that value (repeatable).',
        querystring: periodQuery.extend({
          metric: list('metric names (sessions,ctr); every metric when left out').optional(),
          granularity: z.enum(granularities).default('day'),
          dimension: z
            .union([z.string(), z.array(z.string())])
            .optional()
            .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
            .describe('name:value, repeatable'),
        }),
        response: {
          200: z.object({ period: periodView, granularity: z.enum(granularities), providers: z.array(z.object({ provider: z.string(), name: z.string(), metrics: z.array(seriesView) })), freshness: freshnessView }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const { providers, sources } = await sourcesOf(workspaceId, request.query);
      const filter = dimensionFilter(request.query.dimension);
      const period = await periodOf(workspaceId, request.query, [...providers.keys()]);
      const rows = withDimensions(await rowsOf(workspaceId, period, [...providers.keys()], request.query.connectionId), filter);
      const asked = request.query.metric;
      if (asked) {
        const known = new Set([...providers.values()].flatMap(metricNames));
        const unknown = asked.find((m) => !known.has(m));
        if (unknown) throw invalidField('metric', `"${unknown}" is not a metric of ${[...providers.values()].map((p) => p.name).join(', ') || 'any connection here'}`);
      }
      return {
        period,
        granularity: request.query.granularity,
        providers: [...providers.values()].map((provider) => {
          const metrics = (asked ?? metricNames(provider)).filter((m) => metricNames(provider).includes(m));
          return { provider: provider.provider, name: provider.name, metrics: seriesOf(rows.filter((r) => r.provider === provider.provider), provider, metrics, period, request.query.granularity) };
        }),
        freshness: freshnessFor(sources),
      };
    },
  );

  app.get(
    '/data/overview',
    {
      config: { access: 'data.read' },
      schema: {
        tags: ['data'],
        summary: 'Each provider’s headline metrics for a period, with the change against the period before',
        querystring: periodQuery,
        response: { 200: z.object({ period: periodView, previousPeriod: periodView, providers: z.array(overviewView), freshness: freshnessView }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const { providers, sources } = await sourcesOf(workspaceId, request.query);
      const period = await periodOf(workspaceId, request.query, [...providers.keys()]);
      const rows = await rowsOf(workspaceId, { from: previousRange(period).from, to: period.to }, [...providers.keys()], request.query.connectionId);
      return {
        period,
        previousPeriod: previousRange(period),
        providers: [...providers.values()].map((p) => ({ ...providerOverview(rows.filter((r) => r.provider === p.provider), p, period), freshness: freshnessFor(sources, p.provider) })),
        freshness: freshnessFor(sources),
      };
    },
  );

  app.get(
    '/data/insights',
    {
      config: { access: 'data.read' },
      schema: {
        tags: ['data'],
        summary: 'Notable changes against the period before, and the next steps that follow from them',
        description: 'Deterministic rules (docs/DATA-HUB.md): a headline metric that moved at least 15% over enough volume is a fact; bad facts, spend outgrowing conversions and stale connections lead to steps.',
        querystring: periodQuery,
        response: { 200: z.object({ period: periodView, previousPeriod: periodView, facts: z.array(factView), steps: z.array(stepView), freshness: freshnessView }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const { providers, sources } = await sourcesOf(workspaceId, request.query);
      const period = await periodOf(workspaceId, request.query, [...providers.keys()]);
      const rows = await rowsOf(workspaceId, { from: previousRange(period).from, to: period.to }, [...providers.keys()], request.query.connectionId);
      const byProvider = (p: ProviderMetrics) => rows.filter((r) => r.provider === p.provider);
      const overviews = [...providers.values()].map((p) => providerOverview(byProvider(p), p, period));
      const bases = new Map([...providers.values()].map((p) => [p.provider, rateBases(byProvider(p), p, period)]));
      const freshness = freshnessFor(sources);
      const stale = freshness.connections.filter((c) => c.stale).map((c) => ({ connectionId: c.connectionId, name: c.name, lastSyncedAt: c.lastSyncedAt }));
      return { period, previousPeriod: previousRange(period), ...insightsOf(overviews, providers, bases, stale), freshness };
    },
  );
}

/** `campaign:123` pairs as a filter; a pair without a name is refused. */
function dimensionFilter(pairs: readonly string[]): Record<string, string> {
  const filter: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf(':');
    if (at < 1) throw invalidField('dimension', `"${pair}" must be name:value, like campaign:123`);
    filter[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return filter;
}
