import { call, signUpTenant, startTestApi } from '../test/support/api.js';
import { median } from './support.js';

/**
 * `npm run bench:ga4 [-- --rounds N]`: a Google Analytics 4 sandbox sync of two properties × two
 * years of days (1,460 records, and as many metrics_daily rows) through the whole hub: the HTTP
 * API, the queue, a worker, the GA4 runtime hooks against the sandbox over loopback, and the
 * workspace's DuckDB dataset. Each round syncs a new workspace. Prints wall time (request to
 * answer of `?wait=true`) and records per second, median of the rounds.
 */
const at = process.argv.indexOf('--rounds');
const rounds = at > 0 ? Number(process.argv[at + 1]) : 5;
const t = await startTestApi({ worker: { random: () => 0 } });
try {
  const results: Array<{ seconds: number; records: number }> = [];
  for (let round = 0; round <= rounds; round++) {
    const tenant = await signUpTenant(t.api, `bench-${round}`);
    const created = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: tenant.session, body: { connectorId: 'ga4', authMethod: 'oauth2' } });
    const id = created.json().id as string;
    const { accounts } = (await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}/accounts`, auth: tenant.session })).json() as { accounts: Array<{ id: string }> };
    await call(t.api, { method: 'PUT', url: `/api/v1/connections/${id}/accounts`, auth: tenant.session, body: { ids: accounts.slice(0, 2).map((a) => a.id) } });
    const started = performance.now();
    const run = (await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/runs?wait=true&timeoutSeconds=120`, auth: tenant.session })).json() as { status: string; records: number };
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== 'succeeded') throw new Error(`the run ${run.status}`);
    const rows = await (await t.warehouse.destination(tenant.workspaceId)).readMetrics({ from: '2000-01-01', to: '2100-01-01' });
    if (rows.length !== run.records) throw new Error(`metrics_daily has ${rows.length} rows for ${run.records} records`);
    // The first round warms the JIT, the sandbox and the queue.
    if (round > 0) results.push({ seconds, records: run.records });
  }
  const seconds = median(results.map((r) => r.seconds));
  const records = results[0]!.records;
  console.log(`GA4 sandbox sync, 2 properties × 730 days: ${records} records (+ ${records} metrics_daily rows)`);
  console.log(`wall time median ${(seconds * 1000).toFixed(0)} ms over ${results.length} rounds (${results.map((r) => (r.seconds * 1000).toFixed(0)).join(', ')} ms) = ${Math.round(records / seconds)} records/s`);
} finally {
  await t.close();
}
