import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { builtInConnectors } from '../connectors/catalog.js';
import { RunQueue } from '../engine/queue/run-queue.js';
import type { RunStore } from '../engine/runs/run-store.js';
import { createConnection, updateConnection } from './connection-repository.js';
import { appRole, queueSchema } from './db.js';
import { createRunStore } from './run-store.js';
import { getRun } from './sync-run-repository.js';
import { createUser } from './user-repository.js';
import { CredentialVault } from './vault/credential-vault.js';
import { Keyring } from './vault/keyring.js';
import { createWorkspace } from './workspace-repository.js';

/**
 * The run store's guarantees, on the real store and queue: leases fence every change to a
 * running run, lapsed leases are taken back (retried, or failed after the last attempt), and a
 * due schedule is queued once however many schedulers ask at the same moment.
 */
let store: TestDatabase;
let queue: RunQueue;
let runs: RunStore;
const emptyProgress = { streams: {}, records: 0, bytes: 0 };

beforeAll(async () => {
  store = await openTestDatabase();
  queue = await RunQueue.open({ db: store.db, schema: queueSchema(store.postgres ? { kind: 'postgres', ...store.postgres } : { kind: 'pglite' }), grantee: appRole });
  const vault = new CredentialVault(new Keyring('k', new Map([['k', crypto.randomBytes(32)]])));
  runs = createRunStore({ db: store.db, queue, vault, catalog: builtInConnectors, switches: {}, maxAttempts: 2 });
});
afterAll(async () => {
  await queue.stop();
  await store.close();
});

async function connection(status: 'configuring' | 'connected' = 'connected') {
  return store.db.asSystem(async (tx) => {
    const user = await createUser(tx, { email: `${crypto.randomUUID()}@example.test`, name: null, passwordHash: null });
    const workspace = await createWorkspace(tx, { name: 'runs', ownerId: user.id });
    const created = await createConnection(tx, { workspaceId: workspace.id, connectorId: 'hubspot', name: 'h', mode: 'sandbox', authMethod: 'bearer', config: {}, credentialId: null, selectedStreams: null, createdBy: user.id });
    await updateConnection(tx, workspace.id, created.id, { status });
    return { workspaceId: workspace.id, connectionId: created.id };
  });
}

const readRun = (workspaceId: string, id: string) => store.db.withWorkspace(workspaceId, (tx) => getRun(tx, workspaceId, id));

describe('run store', () => {
  it('fences a worker that lost its lease: its cursor and its outcome are refused with worker_lost', async () => {
    const c = await connection();
    const { run } = await runs.request({ ...c, trigger: 'api', requestedBy: null });
    const lease = { owner: 'slow-worker', ms: 300 };
    expect(await runs.claim({ workspaceId: c.workspaceId, runId: run.id }, lease)).toBeDefined();
    await sleep(400);
    expect(await runs.reapExpiredLeases()).toBeGreaterThanOrEqual(1);
    await expect(runs.commitCursor({ workspaceId: c.workspaceId, id: run.id }, lease, 'contacts', '2026-01-01T00:00:00Z')).rejects.toMatchObject({ code: 'worker_lost' });
    await expect(runs.finish({ workspaceId: c.workspaceId, id: run.id }, lease, { status: 'succeeded', progress: emptyProgress })).rejects.toMatchObject({ code: 'worker_lost' });
    expect(await runs.renew({ workspaceId: c.workspaceId, id: run.id }, lease, emptyProgress)).toEqual({ held: false, cancelRequested: false });
    expect(await readRun(c.workspaceId, run.id)).toMatchObject({ status: 'queued', attempt: 2, error: { code: 'worker_lost', retryable: true } });
  });

  it('fails a run whose lease lapses on its last attempt, instead of leaving it running', async () => {
    const c = await connection();
    const { run } = await runs.request({ ...c, trigger: 'api', requestedBy: null });
    const job = { workspaceId: c.workspaceId, runId: run.id };
    for (let attempt = 1; attempt <= 2; attempt++) {
      expect(await runs.claim(job, { owner: `worker-${attempt}`, ms: 100 })).toBeDefined();
      await sleep(200);
      await runs.reapExpiredLeases();
    }
    expect(await readRun(c.workspaceId, run.id)).toMatchObject({ status: 'failed', attempt: 2, error: { code: 'worker_lost', retryable: false } });
    // A stale job for it changes nothing.
    expect(await runs.claim(job, { owner: 'late', ms: 1000 })).toBeUndefined();
  });

  it('queues a due schedule exactly once when several schedulers ask at once, and moves it to the next time', async () => {
    const due = await connection();
    const notTested = await connection('configuring');
    await store.db.asSystem((tx) => tx.query(`UPDATE connections SET next_run_at = now() - interval '1 minute' WHERE id = ANY($1)`, [[due.connectionId, notTested.connectionId]]));
    const queued = await Promise.all([runs.enqueueDueRuns(), runs.enqueueDueRuns(), runs.enqueueDueRuns()]);
    expect(queued.reduce((a, b) => a + b, 0)).toBe(1);
    const rows = await store.db.asSystem((tx) =>
      tx.query<{ connection_id: string; trigger: string }>(`SELECT connection_id, trigger FROM sync_runs WHERE connection_id = ANY($1)`, [[due.connectionId, notTested.connectionId]]),
    );
    expect(rows).toEqual([{ connection_id: due.connectionId, trigger: 'schedule' }]);
    const [next] = await store.db.asSystem((tx) => tx.query<{ next_run_at: Date }>(`SELECT next_run_at FROM connections WHERE id = $1`, [due.connectionId]));
    expect(next!.next_run_at.getTime()).toBeGreaterThan(Date.now());
    expect(next!.next_run_at.getUTCHours()).toBe(3);
  });

  it('cancels a queued run at once, and its job finds nothing to do', async () => {
    const c = await connection();
    const { run } = await runs.request({ ...c, trigger: 'manual', requestedBy: null });
    await store.db.withWorkspace(c.workspaceId, (tx) => tx.query(`UPDATE sync_runs SET status = 'cancelled' WHERE id = $1`, [run.id]));
    expect(await runs.claim({ workspaceId: c.workspaceId, runId: run.id }, { owner: 'w', ms: 1000 })).toBeUndefined();
    const again = await runs.request({ ...c, trigger: 'manual', requestedBy: null });
    expect(again.kind).toBe('queued');
  });
});
