import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetName } from '../src/warehouse/destination.js';
import { runTributary, startTributary, type RunningHub } from './support/process.js';

/**
 * Roles in separate processes: an API with the scheduler, and two workers, sharing one
 * PostgreSQL for metadata, queue and warehouse. Only on the PostgreSQL run of the suite; on the
 * embedded engines the same split is refused with a message that says what to set.
 */
describe('tributary start --role', () => {
  it('refuses to split roles on the embedded store, naming DATABASE_URL', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-roles-'));
    const result = await runTributary(['start', '--role', 'worker'], { TRIBUTARY_DATA_DIR: dataDir });
    await fs.rm(dataDir, { recursive: true, force: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--role: running roles in separate processes needs DATABASE_URL');
  });

  const url = process.env.DATABASE_URL;
  if (!url) return;
  const schema = `test_roles_${process.pid}`;
  const processes: RunningHub[] = [];
  const workspaces: string[] = [];
  afterAll(async () => {
    for (const p of processes) await p.stop();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const s of [schema, `${schema}_pgboss`, ...workspaces.map(datasetName)]) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await client.end();
  });

  it('runs syncs on two worker processes behind an API process, all on one PostgreSQL', async () => {
    const env = { DATABASE_URL: url, TRIBUTARY_DATABASE_SCHEMA: schema, TRIBUTARY_WAREHOUSE: url, TRIBUTARY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };
    const api = await startTributary(env, ['--role', 'api,scheduler']);
    processes.push(api, await startTributary(env, ['--role', 'worker']), await startTributary(env, ['--role', 'worker']));
    const json = { 'content-type': 'application/json' };
    const signup = await fetch(`${api.url}/api/v1/auth/signup`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'roles@example.test', password: 'a long enough password' }) });
    const { workspace } = (await signup.json()) as { workspace: { id: string } };
    workspaces.push(workspace.id);
    const headers = { ...json, cookie: signup.headers.get('set-cookie')!.split(';')[0]! };
    const runs: string[] = [];
    for (const connectorId of ['hubspot', 'instantly', 'chatwoot']) {
      const connection = (await (await fetch(`${api.url}/api/v1/connections`, { method: 'POST', headers, body: JSON.stringify({ connectorId }) })).json()) as { id: string };
      const run = await fetch(`${api.url}/api/v1/connections/${connection.id}/runs`, { method: 'POST', headers, body: '{}' });
      expect(run.status).toBe(202);
      runs.push(((await run.json()) as { id: string }).id);
    }
    const deadline = Date.now() + 60_000;
    let finished: Array<{ status: string; records: number }> = [];
    while (Date.now() < deadline) {
      finished = await Promise.all(runs.map(async (id) => (await (await fetch(`${api.url}/api/v1/runs/${id}`, { headers })).json()) as { status: string; records: number }));
      if (finished.every((r) => r.status !== 'queued' && r.status !== 'running')) break;
      await sleep(200);
    }
    expect(finished.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const tables = (await (await fetch(`${api.url}/api/v1/data/tables`, { headers })).json()) as { warehouse: string; tables: Array<{ name: string; rowCount: number }> };
    expect(tables.warehouse).toBe('postgres');
    expect(tables.tables.find((t) => t.name === 'hubspot_contacts')?.rowCount).toBe(250);
  });
});
