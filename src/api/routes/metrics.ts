import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';
import { TributaryError } from '../../domain/errors.js';
import { runStatuses } from '../../domain/runs.js';
import type { Database } from '../../store/db.js';
import type { Api } from '../app.js';

/**
 * Prometheus metrics at `GET /metrics`. Request latency is this process's own; everything about
 * runs is read from the metadata store at scrape time, so the API process reports the runs of
 * every worker, wherever they run. One registry per API instance (tests build many).
 */
export interface MetricsDeps {
  db: Database;
  /** Jobs waiting in the queue; the count of queued runs when not given. */
  queueDepth?: () => Promise<number>;
}

const durationBuckets = [1, 5, 15, 30, 60, 300, 900, 1800, 3600];

interface RunFigures {
  byStatus: Record<string, number>;
  records: number;
  /** Finished runs at or under each bucket, then the sum of their seconds and their count. */
  buckets: number[];
  sum: number;
  count: number;
}

async function runFigures(db: Database): Promise<RunFigures> {
  return db.asSystem(async (tx) => {
    const statuses = await tx.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM sync_runs GROUP BY status`);
    const [totals] = await tx.query<Record<string, string | number | null>>(
      `SELECT coalesce(sum(records), 0)::text AS records, count(d)::int AS count, coalesce(sum(d), 0)::float8 AS sum,
              ${durationBuckets.map((le, i) => `count(*) FILTER (WHERE d <= ${le})::int AS b${i}`).join(', ')}
         FROM (SELECT records, extract(epoch FROM finished_at - started_at) AS d FROM sync_runs) runs`,
    );
    return {
      byStatus: Object.fromEntries(statuses.map((s) => [s.status, s.n])),
      records: Number(totals!.records),
      buckets: durationBuckets.map((_, i) => Number(totals![`b${i}`])),
      sum: Number(totals!.sum),
      count: Number(totals!.count),
    };
  });
}

/** A histogram whose figures come from the store at scrape time, in prom-client's shape. */
function storedHistogram(name: string, help: string, figures: () => Promise<RunFigures>): Metric {
  return {
    name,
    get: async () => {
      const f = await figures();
      return {
        name,
        help,
        type: 'histogram',
        aggregator: 'sum',
        values: [
          ...durationBuckets.map((le, i) => ({ metricName: `${name}_bucket`, labels: { le }, value: f.buckets[i]! })),
          { metricName: `${name}_bucket`, labels: { le: '+Inf' }, value: f.count },
          { metricName: `${name}_sum`, labels: {}, value: f.sum },
          { metricName: `${name}_count`, labels: {}, value: f.count },
        ],
      };
    },
  } as unknown as Metric;
}

export class HubMetrics {
  readonly registry = new Registry();
  private readonly requestDuration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(deps: MetricsDeps) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'tributary_' });
    this.requestDuration = new Histogram({
      name: 'tributary_http_request_duration_seconds',
      help: 'HTTP request latency, by route pattern',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    // One query per scrape feeds the three run metrics; each collect asks for the same promise.
    let scrape: Promise<RunFigures> | undefined;
    const figures = () => (scrape ??= runFigures(deps.db).finally(() => setImmediate(() => (scrape = undefined))));
    new Gauge({
      name: 'tributary_runs',
      help: 'Sync runs by status',
      labelNames: ['status'],
      registers,
      async collect() {
        const { byStatus } = await figures();
        for (const status of runStatuses) this.set({ status }, byStatus[status] ?? 0);
      },
    });
    new Counter({
      name: 'tributary_records_synced_total',
      help: 'Records written to the warehouse by every run',
      registers,
      async collect() {
        this.reset();
        this.inc((await figures()).records);
      },
    });
    this.registry.registerMetric(storedHistogram('tributary_run_duration_seconds', 'Duration of finished sync runs', figures));
    new Gauge({
      name: 'tributary_queue_depth',
      help: 'Sync jobs waiting for a worker',
      registers,
      async collect() {
        this.set(deps.queueDepth ? await deps.queueDepth() : ((await figures()).byStatus.queued ?? 0));
      },
    });
  }

  /** Times every request of the whole app; call on the root instance before routes are added. */
  installOn(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      this.requestDuration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
  }

  routes(app: Api): void {
    app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      const text = await this.registry.metrics().catch((error: unknown) => {
        throw new TributaryError('not_ready', 'The metadata store did not answer; metrics are unavailable until it does.', { cause: error });
      });
      return reply.header('content-type', this.registry.contentType).send(text);
    });
  }
}
