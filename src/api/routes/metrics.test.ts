import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from '../../../test/support/api.js';

/** `GET /metrics`, read as Prometheus would: one sample per line, `name{labels} value`. */
let t: TestApi;
let a: Tenant;

beforeAll(async () => {
  t = await startTestApi();
  a = await signUpTenant(t.api, 'metered');
});
afterAll(() => t.close());

function samples(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+(?:\{[^}]*\})?) (-?[\d.e+]+|NaN|\+Inf)$/i.exec(line);
    if (match) found.set(match[1]!, Number(match[2]));
  }
  return found;
}

describe('GET /metrics', () => {
  it('reports runs by status, records synced, run durations, queue depth and request latency by route pattern', async () => {
    const connection = (await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'hubspot' } })).json();
    // Three runs of known shape, written as workers would leave them.
    await t.store.db.asSystem((tx) =>
      tx.query(
        `INSERT INTO sync_runs (id, workspace_id, connection_id, trigger, status, max_attempts, records, started_at, finished_at) VALUES
           (gen_random_uuid(), $1, $2, 'api', 'succeeded', 3, 1200, now() - interval '4 seconds', now()),
           (gen_random_uuid(), $1, $2, 'api', 'failed', 3, 34, now() - interval '100 seconds', now()),
           (gen_random_uuid(), $1, $2, 'api', 'queued', 3, 0, NULL, NULL)`,
        [a.workspaceId, connection.id],
      ),
    );
    await call(t.api, { method: 'GET', url: `/api/v1/connections/${connection.id}`, auth: a.session });
    const res = await call(t.api, { method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const m = samples(res.body);
    expect(m.get('tributary_runs{status="succeeded"}')).toBe(1);
    expect(m.get('tributary_runs{status="failed"}')).toBe(1);
    expect(m.get('tributary_runs{status="queued"}')).toBe(1);
    expect(m.get('tributary_runs{status="cancelled"}')).toBe(0);
    expect(m.get('tributary_records_synced_total')).toBe(1234);
    expect(m.get('tributary_run_duration_seconds_bucket{le="1"}')).toBe(0);
    expect(m.get('tributary_run_duration_seconds_bucket{le="5"}')).toBe(1);
    expect(m.get('tributary_run_duration_seconds_bucket{le="300"}')).toBe(2);
    expect(m.get('tributary_run_duration_seconds_bucket{le="+Inf"}')).toBe(2);
    expect(m.get('tributary_run_duration_seconds_count')).toBe(2);
    expect(m.get('tributary_run_duration_seconds_sum')).toBeCloseTo(104, 0);
    // The queue itself: the inserted row has no job, so pg-boss counts none waiting.
    expect(m.get('tributary_queue_depth')).toBe(0);
    const route = [...m.keys()].find((k) => k.startsWith('tributary_http_request_duration_seconds_count{') && k.includes('route="/api/v1/connections/:id"'));
    expect(route).toContain('method="GET"');
    expect(route).toContain('status_code="200"');
    expect([...m.keys()].some((k) => k.includes(connection.id))).toBe(false);
    expect(m.get('tributary_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
