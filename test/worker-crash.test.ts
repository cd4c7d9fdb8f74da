import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubspotSandbox, hubspotSandboxToken } from '../src/connectors/definitions/hubspot/sandbox.js';
import { startSandboxServer, type SandboxServer } from '../src/connectors/sandboxes/index.js';
import { startTributary, type RunningHub } from './support/process.js';

/**
 * A worker killed mid-sync (SIGKILL: no goodbye) loses and duplicates nothing: a new process
 * takes the run back when its lease lapses, and the table ends with exactly the source's rows.
 * A worker stopped with SIGTERM finishes its batch and hands the run back unharmed.
 * Real processes (`tributary start`), a real queue and store, and a HubSpot sandbox slowed down
 * so the kill lands mid-read.
 */
const contacts = 2_500;
let sandbox: SandboxServer;
let dataDir: string;
const schema = `test_crash_${process.pid}`;
const postgres = process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {};

beforeAll(async () => {
  sandbox = await startSandboxServer(hubspotSandbox({ contacts }));
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-crash-'));
});
afterAll(async () => {
  await sandbox.close();
  await fs.rm(dataDir, { recursive: true, force: true });
  if (postgres.DATABASE_URL) {
    const client = new pg.Client({ connectionString: postgres.DATABASE_URL });
    await client.connect();
    for (const run of ['kill', 'term']) await client.query(`DROP SCHEMA IF EXISTS "${schema}_${run}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_${run}_pgboss" CASCADE`);
    await client.end();
  }
});

function startHub(folder: string): Promise<RunningHub> {
  return startTributary({
    TRIBUTARY_DATA_DIR: folder,
    TRIBUTARY_HUBSPOT_BASE_URL: sandbox.url,
    TRIBUTARY_RUN_LEASE_SECONDS: '2',
    ...postgres,
    ...(postgres.DATABASE_URL ? { TRIBUTARY_DATABASE_SCHEMA: `${schema}_${path.basename(folder)}` } : {}),
  });
}

interface Session {
  hub: RunningHub;
  headers: Record<string, string>;
}

async function api(session: Session, method: string, url: string, body?: unknown) {
  const res = await fetch(`${session.hub.url}${url}`, { method, headers: session.headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function signUp(hub: RunningHub): Promise<Session> {
  const res = await fetch(`${hub.url}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `crash-${Date.now()}@example.test`, password: 'a long enough password' }),
  });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { hub, headers: { cookie, 'content-type': 'application/json' } };
}

async function waitForRun(session: Session, runId: string, until: (run: Record<string, unknown>) => boolean, timeoutMs = 40_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api(session, 'GET', `/api/v1/runs/${runId}`);
    if (until(body) || Date.now() > deadline) return body;
    await sleep(100);
  }
}

async function startSlowSync(session: Session): Promise<{ connectionId: string; runId: string }> {
  const created = await api(session, 'POST', '/api/v1/connections', { connectorId: 'hubspot', mode: 'live', secrets: { token: hubspotSandboxToken }, streams: ['contacts'] });
  expect(created.status).toBe(201);
  const connectionId = created.body.id as string;
  // 25 pages at 250 ms each: several seconds of reading to land a signal in.
  sandbox.inject({ kind: 'slow', delayMs: 250, times: 25, path: '/crm/v3/objects/:objectType' });
  const run = await api(session, 'POST', `/api/v1/connections/${connectionId}/runs`, { trigger: 'manual' });
  expect(run.status).toBe(202);
  return { connectionId, runId: run.body.id as string };
}

describe('a worker that dies mid-sync', () => {
  it('SIGKILL: the run is taken back when its lease lapses and the table ends with exactly the source’s rows', async () => {
    const folder = path.join(dataDir, 'kill');
    const first = await signUp(await startHub(folder));
    const { connectionId, runId } = await startSlowSync(first);
    const midway = await waitForRun(first, runId, (run) => (run.records as number) >= 500);
    expect(midway.status).toBe('running');
    expect(midway.records).toBeLessThan(contacts);
    expect(await first.hub.stop('SIGKILL')).toBeNull();

    const second: Session = { ...first, hub: await startHub(folder) };
    const ended = await waitForRun(second, runId, (run) => run.status !== 'running' && run.status !== 'queued');
    expect(ended).toMatchObject({ status: 'succeeded', attempt: 2, records: contacts });

    const table = await api(second, 'GET', '/api/v1/data/tables/hubspot_contacts');
    const ids = new Set<string>();
    for (let offset = 0; offset < contacts; offset += 500) {
      const page = await api(second, 'GET', `/api/v1/data/tables/hubspot_contacts/rows?limit=500&offset=${offset}`);
      for (const row of page.body.rows as Array<{ id: string }>) ids.add(row.id);
    }
    expect((await api(second, 'GET', '/api/v1/data/tables')).body.tables).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'hubspot_contacts', rowCount: contacts })]));
    expect(table.body.name).toBe('hubspot_contacts');
    expect(ids.size).toBe(contacts);

    // The committed cursor is the newest change the table holds: state never passed the data.
    const connection = await api(second, 'GET', `/api/v1/connections/${connectionId}`);
    const stream = (connection.body.streams as Array<{ name: string; cursor: string | null }>).find((s) => s.name === 'contacts')!;
    const newest = await api(second, 'GET', '/api/v1/data/tables/hubspot_contacts/rows?limit=1&sort=updated_at&direction=desc');
    expect(Date.parse(stream.cursor!)).toBe(Date.parse((newest.body.rows as Array<{ updated_at: string }>)[0]!.updated_at));
    expect(await second.hub.stop('SIGTERM')).toBe(0);
  });

  it('SIGTERM: the batch in flight finishes, the run goes back to the queue and completes on the next start', async () => {
    const folder = path.join(dataDir, 'term');
    const first = await signUp(await startHub(folder));
    const { runId } = await startSlowSync(first);
    await waitForRun(first, runId, (run) => (run.records as number) >= 300);
    expect(await first.hub.stop('SIGTERM')).toBe(0);

    const second: Session = { ...first, hub: await startHub(folder) };
    const ended = await waitForRun(second, runId, (run) => run.status !== 'running' && run.status !== 'queued');
    // Released, not lost: the same attempt carries on.
    expect(ended).toMatchObject({ status: 'succeeded', attempt: 1, records: contacts });
    expect(await second.hub.stop('SIGTERM')).toBe(0);
  });
});
