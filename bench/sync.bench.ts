import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { builtInConnectors } from '../src/connectors/catalog.js';
import { hubspotSandboxToken } from '../src/connectors/definitions/hubspot/sandbox.js';
import { RateLimiters, type TokenBucket } from '../src/connectors/runtime/token-bucket.js';
import { SandboxHost } from '../src/connectors/sandboxes/index.js';
import { isFinished } from '../src/domain/runs.js';
import { RunQueue } from '../src/engine/queue/run-queue.js';
import { SyncWorker } from '../src/engine/queue/sync-worker.js';
import { requestRun } from '../src/engine/runs/request-run.js';
import { createLogger } from '../src/logging/logger.js';
import { createConnection } from '../src/store/connection-repository.js';
import { createCredential } from '../src/store/credential-repository.js';
import { appRole, openDatabase } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { createRunStore } from '../src/store/run-store.js';
import { getRun } from '../src/store/sync-run-repository.js';
import { createUser } from '../src/store/user-repository.js';
import { CredentialVault } from '../src/store/vault/credential-vault.js';
import { Keyring } from '../src/store/vault/keyring.js';
import { createWorkspace } from '../src/store/workspace-repository.js';
import { datasetName } from '../src/warehouse/destination.js';
import { openWarehouse } from '../src/warehouse/warehouse.js';
import { bareContactsLoop, contactProperties, startSandboxProcess } from './hubspot-reads.js';
import { measured, median, type Measured } from './support.js';

/**
 * `npm run bench:sync [-- --records N] [--warehouse duckdb|postgres|both] [--store postgres|pglite] [--rounds N]`: records per second of
 * a whole sync, end to end — a run requested, queued, claimed by a worker, every HubSpot contact
 * read through the connector runtime and upserted into the warehouse, the cursor committed, the
 * run finished — next to a bare loop that fetches and JSON.parses the same pages from the same
 * sandbox in the same run, with peak resident memory. Each round syncs into a new workspace (a
 * fresh dataset). Goal: ≥ 0.8 of the bare loop; 1M records under 300 MB.
 */
const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const records = Number(arg('records', '200000'));
// The metadata store: PostgreSQL by default, as in production. Embedded PGlite holds about 500 MB of
// its own (WebAssembly) whatever the sync does, which would hide how the sync's memory grows.
const store = arg('store', 'postgres');
const which = arg('warehouse', 'both');
const rounds = Number(arg('rounds', records > 500_000 ? '1' : '3'));
const postgresUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const sandbox = await startSandboxProcess(records);
const storeSchema = `bench_sync_${process.pid}`;
const db = store === 'pglite' ? await openDatabase({ kind: 'pglite' }) : await openDatabase({ kind: 'postgres', url: postgresUrl, schema: storeSchema });
await migrate(db);
const vault = new CredentialVault(new Keyring('k_bench', new Map([['k_bench', crypto.randomBytes(32)]])));
const queue = await RunQueue.open({ db, schema: store === 'pglite' ? 'pgboss' : `${storeSchema}_pgboss`, grantee: appRole, pollingIntervalSeconds: 0.5 });
const switches = { hubspot: { baseUrl: sandbox.url } };
const runs = createRunStore({ db, queue, vault, catalog: builtInConnectors, switches });
const logger = createLogger({ level: 'warn' });
const sandboxes = new SandboxHost({});

/**
 * The loopback sandbox has no rate limit: held to HubSpot's documented 100 requests per 10 s, a
 * sync would measure HubSpot's limit (1,000 contacts/s), not the engine.
 */
class UnlimitedRates extends RateLimiters {
  override bucketFor(connectionId: string): TokenBucket {
    return super.bucketFor(connectionId, { requests: 1_000_000, perSeconds: 1 });
  }
}

/** Workspaces made by the rounds, whose datasets are dropped at the end. */
const workspaces: string[] = [];

/** One whole sync of every contact into a new workspace; the run's record count. */
async function syncOnce(): Promise<number> {
  const { workspaceId, connectionId } = await db.asSystem(async (tx) => {
    const user = await createUser(tx, { email: `bench-${crypto.randomUUID()}@example.test`, name: null, passwordHash: null });
    const workspace = await createWorkspace(tx, { name: 'bench', ownerId: user.id });
    const credential = await createCredential(tx, vault, { workspaceId: workspace.id, label: 'bench', secret: JSON.stringify({ token: hubspotSandboxToken }) });
    const connection = await createConnection(tx, {
      workspaceId: workspace.id,
      connectorId: 'hubspot',
      name: 'bench',
      mode: 'live',
      authMethod: 'bearer',
      config: {},
      credentialId: credential.id,
      selectedStreams: ['contacts'],
      createdBy: user.id,
    });
    return { workspaceId: workspace.id, connectionId: connection.id };
  });
  workspaces.push(workspaceId);
  const requested = await requestRun({ runs, queue }, { workspaceId, connectionId, trigger: 'api', requestedBy: null });
  for (;;) {
    const run = await db.withWorkspace(workspaceId, (tx) => getRun(tx, workspaceId, requested.run.id));
    if (run && isFinished(run.status)) {
      if (run.status !== 'succeeded') throw new Error(`the run ${run.status}: ${run.error?.message}`);
      return run.records;
    }
    // Polling shares the event loop with the sync it waits for: often enough to be exact within 1%, no more.
    await new Promise((r) => setTimeout(r, 25));
  }
}


interface SandboxCpu {
  sandboxCpuSeconds: number;
}

/** `measured`, plus the CPU the sandbox process spent serving the pages: on a small machine both compete for the same cores. */
async function measuredWithSandbox(work: () => Promise<number>): Promise<Measured<number> & SandboxCpu> {
  const before = sandbox.cpuSeconds();
  const result = await measured(work);
  return { ...result, sandboxCpuSeconds: sandbox.cpuSeconds() - before };
}

async function bench(kind: 'duckdb' | 'postgres'): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-bench-sync-'));
  const warehouse = await openWarehouse(kind === 'duckdb' ? { kind, dir } : { kind, url: postgresUrl });
  const worker = new SyncWorker({ queue, runs, sync: { warehouse, sandboxes, switches, rateLimiters: new UnlimitedRates() }, logger, owner: 'bench', concurrency: 1 });
  await worker.start();
  // The same pages a sync reads: with every property the connection's discovery found.
  const properties = await contactProperties(sandbox.url);
  const bare = () => bareContactsLoop(sandbox.url, fetch, properties);
  const sync = () => syncOnce();
  // One unmeasured round each warms the JIT, the connection pools and the sandbox.
  await bare();
  await sync();
  const results: Array<{ bare: Measured<number> & SandboxCpu; sync: Measured<number> & SandboxCpu }> = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      const s = await measuredWithSandbox(sync);
      results.push({ sync: s, bare: await measuredWithSandbox(bare) });
    } else {
      const b = await measuredWithSandbox(bare);
      results.push({ bare: b, sync: await measuredWithSandbox(sync) });
    }
  }
  await worker.stop();
  await warehouse.close();
  const bareSeconds = median(results.map((r) => r.bare.seconds));
  const syncSeconds = median(results.map((r) => r.sync.seconds));
  const ratio = median(results.map((r) => r.bare.seconds / r.sync.seconds));
  const peak = Math.max(...results.map((r) => r.sync.peakMb));
  const barePeak = Math.max(...results.map((r) => r.bare.peakMb));
  console.log(`[${kind}] bare fetch + JSON.parse  ${records} records, median ${bareSeconds.toFixed(2)} s = ${Math.round(records / bareSeconds)} records/s, peak RSS ${barePeak.toFixed(0)} MB`);
  console.log(`[${kind}] sync end to end         ${results[0]!.sync.result} records, median ${syncSeconds.toFixed(2)} s = ${Math.round(records / syncSeconds)} records/s, peak RSS ${peak.toFixed(0)} MB`);
  console.log(`[${kind}] rounds (sync s / bare s): ${results.map((r) => `${r.sync.seconds.toFixed(2)}/${r.bare.seconds.toFixed(2)}`).join(' ')}`);
  const perRecord = (m: Array<Measured<number> & SandboxCpu>, cpu: (x: Measured<number> & SandboxCpu) => number) => ((median(m.map(cpu)) / records) * 1e6).toFixed(1);
  for (const side of ['bare', 'sync'] as const) {
    const m = results.map((r) => r[side]);
    console.log(`[${kind}] CPU per record, ${side}: ${perRecord(m, (x) => x.cpuSeconds)} µs here + ${perRecord(m, (x) => x.sandboxCpuSeconds)} µs in the sandbox (${os.availableParallelism()} cores)`);
  }
  console.log(`[${kind}] ratio sync / bare: ${ratio.toFixed(2)} (goal ≥ 0.8); peak RSS ${peak.toFixed(0)} MB${records >= 1_000_000 ? ' (goal < 300 MB)' : ''}`);
  await fs.rm(dir, { recursive: true, force: true });
}

try {
  if (which === 'duckdb' || which === 'both') await bench('duckdb');
  if (which === 'postgres' || which === 'both') await bench('postgres');
} finally {
  await queue.stop();
  await db.close();
  sandbox.stop();
  // Each round's dataset is a schema of its own on the PostgreSQL warehouse, and so is the store.
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  for (const id of which === 'duckdb' ? [] : workspaces) await client.query(`DROP SCHEMA IF EXISTS "${datasetName(id)}" CASCADE`);
  if (store !== 'pglite') await client.query(`DROP SCHEMA IF EXISTS "${storeSchema}" CASCADE; DROP SCHEMA IF EXISTS "${storeSchema}_pgboss" CASCADE`);
  await client.end();
}
