import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { loadConfig } from '../src/config/config.js';
import { buildHubApi, openHub } from '../src/cli/hub.js';
import { createLogger } from '../src/logging/logger.js';
import { load } from './support.js';

/**
 * `npm run bench:api`: requests per second of an authenticated GET /api/v1/workspaces/current
 * (API key), next to a bare Fastify route answering the same JSON, in the same run; then p99
 * latency of both at a fixed 500 requests per second. Uses embedded PGlite, or PostgreSQL when
 * DATABASE_URL is set. BENCH_SECONDS sets the length of each load (default 10).
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-bench-'));
const config = loadConfig({ ...process.env, TRIBUTARY_DATA_DIR: dataDir, PORT: '0', TRIBUTARY_LOG_LEVEL: 'silent' });
const hub = await openHub(config, createLogger({ level: 'silent' }));
const api = await buildHubApi(hub);
await api.listen({ port: 0, host: '127.0.0.1' });
const hubUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;

const signup = await fetch(`${hubUrl}/api/v1/auth/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'bench@example.test', password: 'benchmark password' }),
});
const cookie = signup.headers.get('set-cookie')!.split(';')[0]!;
const created = (await (await fetch(`${hubUrl}/api/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: 'bench' }) })).json()) as { key: string };
const headers = { authorization: `Bearer ${created.key}` };
const payload = await (await fetch(`${hubUrl}/api/v1/workspaces/current`, { headers })).json();

const bare = Fastify();
bare.get('/api/v1/workspaces/current', async () => payload);
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`;

console.log(`store: ${hub.db.engine}; ${seconds}s per load; 2 cores shared with the load generator`);
const bareMax = await load(`${bareUrl}/api/v1/workspaces/current`, { seconds, connections: 20 });
const hubMax = await load(`${hubUrl}/api/v1/workspaces/current`, { seconds, connections: 20, headers });
console.log(`max throughput   bare Fastify ${bareMax.requestsPerSecond.toFixed(0)} req/s | Tributary ${hubMax.requestsPerSecond.toFixed(0)} req/s | ratio ${(hubMax.requestsPerSecond / bareMax.requestsPerSecond).toFixed(2)} (goal ≥ 0.5); errors ${hubMax.errors}, non-2xx ${hubMax.non2xx}`);
const bareFixed = await load(`${bareUrl}/api/v1/workspaces/current`, { seconds, connections: 20, rate: 500 });
const hubFixed = await load(`${hubUrl}/api/v1/workspaces/current`, { seconds, connections: 20, rate: 500, headers });
console.log(`at 500 req/s     bare Fastify p50 ${bareFixed.p50} ms p99 ${bareFixed.p99} ms | Tributary p50 ${hubFixed.p50} ms p99 ${hubFixed.p99} ms (goal p99 < 50 ms)`);

await bare.close();
await api.close();
await hub.close();
await fs.rm(dataDir, { recursive: true, force: true });
