import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { hubspotSandboxToken } from '../src/connectors/definitions/hubspot/sandbox.js';
import { datasetName } from '../src/warehouse/destination.js';
import { startTributary, type RunningHub } from '../test/support/process.js';
import { bareContactsLoop, contactProperties, processCpuSeconds, startSandboxProcess } from './hubspot-reads.js';
import { alternatingPairs, median } from './support.js';

/**
 * `npm run bench:sync [-- --records N] [--warehouse duckdb|postgres|both] [--store postgres|pglite] [--rounds N]`:
 * records per second of a whole sync, end to end, in a real hub — `tributary start` in a process
 * of its own, as a user runs it: a run requested over the API, queued, claimed by the hub's
 * worker, every HubSpot contact read through the connector runtime and upserted into the
 * workspace's warehouse dataset, the cursor committed, the run finished — next to a bare loop (in
 * this process) that fetches and JSON.parses the same pages from the same sandbox, with the hub's
 * peak resident memory and CPU. Each round syncs into a new workspace (a fresh dataset). Goal:
 * ≥ 0.8 of the bare loop; 1M records under 300 MB.
 *
 * Two more lines say where the time and memory go. Into DuckDB, a bare loader
 * (`duckdb-load-process.ts`: the same pages inserted into a keyed table with the hub's DuckDB
 * settings, nothing else) gives the floor that DuckDB and the fetch set by themselves, with no
 * engine. And the CPU ceiling: the sync's CPU and the sandbox's spread perfectly over the cores,
 * the fastest any sync of that CPU could go on this machine.
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
const rounds = Number(arg('rounds', records > 500_000 ? '1' : '5'));
const postgresUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const json = { 'content-type': 'application/json' };

const sandbox = await startSandboxProcess(records);
const storeSchema = `bench_sync_${process.pid}`;
const workspaces: string[] = [];

interface Hub {
  process: RunningHub;
  pid: number;
  dataDir: string;
}

/** `tributary start` on the benchmark's store and warehouse, sending live HubSpot requests to the sandbox, unthrottled. */
async function startHub(kind: 'duckdb' | 'postgres'): Promise<Hub> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-sync-'));
  const running = await startTributary({
    TRIBUTARY_DATA_DIR: dataDir,
    ...(store === 'postgres' ? { DATABASE_URL: postgresUrl, TRIBUTARY_DATABASE_SCHEMA: storeSchema } : {}),
    ...(kind === 'postgres' ? { TRIBUTARY_WAREHOUSE: postgresUrl } : {}),
    TRIBUTARY_HUBSPOT_BASE_URL: sandbox.url,
    // The loopback sandbox has no rate limit: held to HubSpot's 100 requests per 10 s, a sync would measure HubSpot's limit (1,000 contacts/s), not the engine.
    TRIBUTARY_HUBSPOT_RATE_LIMIT: 'off',
    TRIBUTARY_WORKER_CONCURRENCY: '1',
  });
  return { process: running, pid: running.child.pid!, dataDir };
}

async function api<T>(hub: Hub, method: string, url: string, cookie: string | undefined, body?: unknown): Promise<{ body: T; cookie: string | undefined }> {
  const response = await fetch(`${hub.process.url}/api/v1${url}`, { method, headers: { ...(body ? json : {}), ...(cookie ? { cookie } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return { body: (await response.json()) as T, cookie: response.headers.get('set-cookie')?.split(';')[0] ?? cookie };
}

/** A new user and workspace with a live HubSpot connection (a private-app token), as a person makes them. */
async function newConnection(hub: Hub): Promise<{ cookie: string; connectionId: string }> {
  const signup = await api<{ workspace: { id: string } }>(hub, 'POST', '/auth/signup', undefined, { email: `bench-${crypto.randomUUID()}@example.test`, password: 'a long enough password' });
  workspaces.push(signup.body.workspace.id);
  const cookie = signup.cookie!;
  const created = await api<{ id: string }>(hub, 'POST', '/connections', cookie, { connectorId: 'hubspot', name: 'bench', mode: 'live', authMethod: 'bearer', secrets: { token: hubspotSandboxToken }, streams: ['contacts'] });
  return { cookie, connectionId: created.body.id };
}

/** The hub's resident memory at its highest since the last reset (Linux: `VmHWM`, reset through `clear_refs`). */
const peakRss = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const resetPeakRss = (pid: number) => fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');

interface Round {
  seconds: number;
  records: number;
  hubCpu: number;
  sandboxCpu: number;
  /** PostgreSQL's server processes on this machine: the metadata store's work, and the warehouse's when it is PostgreSQL. */
  postgresCpu: number;
  peakMb: number;
}

/** One whole sync of every contact into a new workspace, from the request to the run's end as the API reports it. */
async function syncOnce(hub: Hub): Promise<Round> {
  const { cookie, connectionId } = await newConnection(hub);
  resetPeakRss(hub.pid);
  const [hubCpu, sandboxCpu, postgresCpu] = [processCpuSeconds(hub.pid), sandbox.cpuSeconds(), postgresCpuSeconds()];
  const started = performance.now();
  let run = (await api<{ id: string; status: string; records: number; error?: { message: string } }>(hub, 'POST', `/connections/${connectionId}/runs`, cookie, {})).body;
  while (!['succeeded', 'failed', 'cancelled', 'skipped'].includes(run.status)) {
    // Often enough to be exact within 1% of a run, rarely enough to cost the hub nothing to speak of.
    await new Promise((r) => setTimeout(r, 25));
    run = (await api<typeof run>(hub, 'GET', `/runs/${run.id}`, cookie)).body;
  }
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 'succeeded') throw new Error(`the run ${run.status}: ${run.error?.message}`);
  return { seconds, records: run.records, hubCpu: processCpuSeconds(hub.pid) - hubCpu, sandboxCpu: sandbox.cpuSeconds() - sandboxCpu, postgresCpu: postgresCpuSeconds() - postgresCpu, peakMb: peakRss(hub.pid) };
}

async function bareOnce(properties: string[]): Promise<Round> {
  const [cpu, sandboxCpu] = [process.cpuUsage(), sandbox.cpuSeconds()];
  const started = performance.now();
  const count = await bareContactsLoop(sandbox.url, fetch, properties);
  const { user, system } = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, records: count, hubCpu: (user + system) / 1e6, sandboxCpu: sandbox.cpuSeconds() - sandboxCpu, postgresCpu: 0, peakMb: process.memoryUsage().rss / 2 ** 20 };
}

/** CPU time of every PostgreSQL server process on this machine so far (Linux: from /proc; 0 when it runs elsewhere). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') total += processCpuSeconds(Number(pid));
    } catch {
      // gone between the listing and the read
    }
  }
  return total;
}

/** The bare DuckDB loader in a process of its own (its CPU and memory are its own), into a fresh data folder. */
async function bareLoaderOnce(): Promise<Round> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-floor-'));
  try {
    const sandboxCpu = sandbox.cpuSeconds();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/duckdb-load-process.ts', sandbox.url, dir], { cwd: path.resolve(import.meta.dirname, '..') });
    const r = JSON.parse(stdout) as { records: number; seconds: number; cpuSeconds: number; peakMb: number };
    return { seconds: r.seconds, records: r.records, hubCpu: r.cpuSeconds, sandboxCpu: sandbox.cpuSeconds() - sandboxCpu, postgresCpu: 0, peakMb: r.peakMb };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function bench(kind: 'duckdb' | 'postgres'): Promise<void> {
  const hub = await startHub(kind);
  try {
    const idleMb = peakRss(hub.pid);
    // The same pages a sync reads: with every property the connection's discovery found.
    const properties = await contactProperties(sandbox.url);
    // One unmeasured round each warms the JIT, the connection pools and the sandbox.
    await bareOnce(properties);
    await syncOnce(hub);
    const results = (await alternatingPairs(rounds, () => syncOnce(hub), () => bareOnce(properties))).map((p) => ({ sync: p.first, bare: p.second }));
    const bareSeconds = median(results.map((r) => r.bare.seconds));
    const syncSeconds = median(results.map((r) => r.sync.seconds));
    const ratio = median(results.map((r) => r.bare.seconds / r.sync.seconds));
    const peak = Math.max(...results.map((r) => r.sync.peakMb));
    console.log(`[${kind}] bare fetch + JSON.parse  ${records} records, median ${bareSeconds.toFixed(2)} s = ${Math.round(records / bareSeconds)} records/s`);
    console.log(`[${kind}] sync end to end         ${results[0]!.sync.records} records, median ${syncSeconds.toFixed(2)} s = ${Math.round(records / syncSeconds)} records/s`);
    console.log(`[${kind}] rounds (sync s / bare s): ${results.map((r) => `${r.sync.seconds.toFixed(2)}/${r.bare.seconds.toFixed(2)}`).join(' ')}`);
    const µs = (seconds: number) => (seconds / records) * 1e6;
    const perRecord = (side: 'bare' | 'sync', cpu: (r: Round) => number) => µs(median(results.map((r) => cpu(r[side])))).toFixed(1);
    console.log(`[${kind}] CPU per record, bare: ${perRecord('bare', (r) => r.hubCpu)} µs in the loop + ${perRecord('bare', (r) => r.sandboxCpu)} µs in the sandbox (${os.availableParallelism()} cores)`);
    console.log(`[${kind}] CPU per record, sync: ${perRecord('sync', (r) => r.hubCpu)} µs in the hub + ${perRecord('sync', (r) => r.sandboxCpu)} µs in the sandbox + ${perRecord('sync', (r) => r.postgresCpu)} µs in PostgreSQL`);
    console.log(`[${kind}] hub resident memory: ${idleMb.toFixed(0)} MB idle, peak ${peak.toFixed(0)} MB while syncing${records >= 1_000_000 ? ' (goal < 300 MB)' : ''}`);
    console.log(`[${kind}] ratio sync / bare: ${ratio.toFixed(2)} (goal ≥ 0.8)`);
    // Every CPU-second the sync cost (hub, sandbox, PostgreSQL) spread perfectly over the cores: no sync that costs this much CPU can be faster here.
    const ceiling = median(results.map((r) => r.bare.seconds / ((r.sync.hubCpu + r.sync.sandboxCpu + r.sync.postgresCpu) / os.availableParallelism())));
    console.log(`[${kind}] CPU ceiling: the sync's CPU (hub, sandbox, PostgreSQL) on ${os.availableParallelism()} cores allows at most ${ceiling.toFixed(2)} of the bare loop; the sync reached ${(ratio / ceiling).toFixed(2)} of that`);
    if (kind === 'duckdb') {
      const floors = [];
      for (let i = 0; i < rounds; i++) floors.push(await bareLoaderOnce());
      const floorSeconds = median(floors.map((f) => f.seconds));
      const floorCpu = median(floors.map((f) => f.hubCpu));
      console.log(`[${kind}] bare fetch + DuckDB insert, no engine: median ${floorSeconds.toFixed(2)} s = ${Math.round(records / floorSeconds)} records/s, CPU ${µs(floorCpu).toFixed(1)} µs/record, peak ${Math.max(...floors.map((f) => f.peakMb)).toFixed(0)} MB (its own process)`);
      console.log(`[${kind}] ratio sync / bare loader: ${(floorSeconds / syncSeconds).toFixed(2)}; the engine's CPU above the loader's: ${(µs(median(results.map((r) => r.sync.hubCpu))) - µs(floorCpu)).toFixed(1)} µs/record`);
    }
  } finally {
    await hub.process.stop();
    fs.rmSync(hub.dataDir, { recursive: true, force: true });
  }
}

try {
  if (which === 'duckdb' || which === 'both') await bench('duckdb');
  if (which === 'postgres' || which === 'both') await bench('postgres');
} finally {
  sandbox.stop();
  // Each round's dataset is a schema of its own on the PostgreSQL warehouse, and so is the store.
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  for (const id of which === 'duckdb' ? [] : workspaces) await client.query(`DROP SCHEMA IF EXISTS "${datasetName(id)}" CASCADE`);
  if (store === 'postgres') await client.query(`DROP SCHEMA IF EXISTS "${storeSchema}" CASCADE; DROP SCHEMA IF EXISTS "${storeSchema}_pgboss" CASCADE`);
  await client.end();
}
