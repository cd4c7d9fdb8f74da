import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { buildApi, sessionCookie, type Api, type ApiDeps } from '../../src/api/app.js';
import type { ExternalJwtVerifier } from '../../src/api/auth/external-jwt.js';
import { builtInConnectors, builtInSandboxes } from '../../src/connectors/catalog.js';
import type { ConnectorSwitches, OAuthApps } from '../../src/engine/connections/connection-target.js';
import type { TokenKeeper } from '../../src/engine/connections/token-keeper.js';
import { RateLimiters } from '../../src/connectors/runtime/token-bucket.js';
import type { ConnectorDefinition } from '../../src/connectors/runtime/define.js';
import { SandboxHost, type SandboxProvider } from '../../src/connectors/sandboxes/index.js';
import { RunQueue } from '../../src/engine/queue/run-queue.js';
import { SyncWorker, type SyncWorkerOptions } from '../../src/engine/queue/sync-worker.js';
import type { RunStore } from '../../src/engine/runs/run-store.js';
import type { SyncDeps } from '../../src/engine/runs/run-sync.js';
import { appRole, queueSchema } from '../../src/store/db.js';
import { createOAuthTokenKeeper } from '../../src/store/oauth-token-keeper.js';
import { createRunStore } from '../../src/store/run-store.js';
import { CredentialVault } from '../../src/store/vault/credential-vault.js';
import type { Warehouse } from '../../src/warehouse/destination.js';
import { openWarehouse } from '../../src/warehouse/warehouse.js';
import { Keyring } from '../../src/store/vault/keyring.js';
import { createLogger } from '../../src/logging/logger.js';
import { openTestDatabase, type TestDatabase } from './database.js';

/**
 * The real API on a test store of its own, with every log line kept so tests can read them.
 * Requests go through Fastify's inject (the full request path, without a socket).
 */
export interface TestApi {
  api: Api;
  store: TestDatabase;
  queue: RunQueue;
  runs: RunStore;
  warehouse: Warehouse;
  tokens: TokenKeeper;
  vault: CredentialVault;
  /** Started when the test asked for one. */
  worker: SyncWorker | undefined;
  logLines: string[];
  close(): Promise<void>;
}

export interface TestApiOptions {
  jwtVerifier?: ExternalJwtVerifier;
  settings?: Partial<ApiDeps['settings']>;
  switches?: ConnectorSwitches;
  /** Starts a sync worker on the test's queue; its options override the defaults (one run at a time, a 5 s lease). */
  worker?: Partial<Pick<SyncWorkerOptions, 'concurrency' | 'leaseMs' | 'heartbeatMs' | 'retryBaseMs' | 'retryMaxMs'>> & Pick<SyncDeps, 'fetch' | 'timeouts' | 'random'>;
  maxAttempts?: number;
  cronSecret?: string;
  /** Connectors and sandboxes beside the built-in ones (a test's own OAuth vendor). */
  connectors?: ConnectorDefinition[];
  sandboxes?: Record<string, SandboxProvider>;
  oauth?: { apps?: OAuthApps; returnOrigins?: string[] };
  /** The clock the token keeper judges expiry by. */
  tokenClock?: () => number;
}

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const store = await openTestDatabase();
  const sandboxes = new SandboxHost({ ...builtInSandboxes(store.postgres ? { postgresUrl: store.postgres.url } : {}), ...options.sandboxes });
  const catalog = [...builtInConnectors, ...(options.connectors ?? [])];
  const keyring = new Keyring('k_test', new Map([['k_test', crypto.randomBytes(32)]]));
  const vault = new CredentialVault(keyring);
  const switches = options.switches ?? {};
  const rateLimiters = new RateLimiters();
  const queue = await RunQueue.open({
    db: store.db,
    schema: queueSchema(store.postgres ? { kind: 'postgres', ...store.postgres } : { kind: 'pglite' }),
    grantee: appRole,
    pollingIntervalSeconds: 0.5,
  });
  const warehouseDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-warehouse-'));
  const warehouse = await openWarehouse({ kind: 'duckdb', dir: warehouseDir });
  const runs = createRunStore({ db: store.db, queue, vault, catalog, switches, maxAttempts: options.maxAttempts ?? 3 });
  const tokens = createOAuthTokenKeeper({ db: store.db, vault, catalog, sandboxes, apps: options.oauth?.apps ?? {}, ...(options.tokenClock ? { now: options.tokenClock } : {}) });
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'trace', destination });
  const api = await buildApi({
    db: store.db,
    catalog,
    connections: { vault, sandboxes, switches, rateLimiters, tokens, oauthApps: options.oauth?.apps ?? {} },
    keys: { source: 'env', keyring },
    sync: { runs, queue, warehouse, ...(options.cronSecret ? { cronSecret: options.cronSecret } : {}) },
    oauthReturnOrigins: options.oauth?.returnOrigins ?? [],
    logger,
    jwtVerifier: options.jwtVerifier,
    settings: { publicUrl: 'http://localhost:3000', signupEnabled: true, sessionTtlHours: 24, version: 'test', ...options.settings },
  });
  await api.ready();
  let worker: SyncWorker | undefined;
  if (options.worker) {
    const { fetch, timeouts, random, ...workerOptions } = options.worker;
    worker = new SyncWorker({
      queue,
      runs,
      sync: { warehouse, sandboxes, switches, rateLimiters, tokens, ...(fetch ? { fetch } : {}), ...(timeouts ? { timeouts } : {}), ...(random ? { random } : {}) },
      logger,
      owner: `test:${process.pid}`,
      concurrency: 1,
      leaseMs: 5_000,
      heartbeatMs: 250,
      retryBaseMs: 200,
      retryMaxMs: 1_000,
      ...workerOptions,
    });
    await worker.start();
  }
  return {
    api,
    store,
    queue,
    runs,
    warehouse,
    tokens,
    vault,
    worker,
    logLines,
    close: async () => {
      await api.close();
      await worker?.stop();
      await queue.stop();
      await warehouse.close();
      await sandboxes.close();
      await store.close();
      await fs.rm(warehouseDir, { recursive: true, force: true });
    },
  };
}

/** How a test authenticates: a session cookie, a bearer (API key or JWT), or nothing. */
export type Auth = { cookie: string } | { bearer: string } | undefined;

export interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  auth?: Auth;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function call(api: Api, { method, url, auth, body, headers = {} }: Call): Promise<LightMyRequestResponse> {
  const h: Record<string, string> = { ...headers };
  if (auth && 'cookie' in auth) h.cookie = `${sessionCookie}=${auth.cookie}`;
  if (auth && 'bearer' in auth) h.authorization = `Bearer ${auth.bearer}`;
  return api.inject({ method, url, headers: h, ...(body === undefined ? {} : { payload: body as object }) });
}

export function sessionOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === sessionCookie);
  if (!cookie) throw new Error(`no session cookie in a ${response.statusCode} answer: ${response.body}`);
  return cookie.value;
}

/** A signed-up user with a workspace of their own, a session, and an owner API key. */
export interface Tenant {
  email: string;
  password: string;
  userId: string;
  workspaceId: string;
  session: { cookie: string };
  apiKey: { bearer: string };
}

let counter = 0;

/** Runs a connection and waits for the run to end (`?wait=true`); the finished run as the API shows it. */
export interface FinishedRun {
  id: string;
  status: string;
  records: number;
  streams: Record<string, { status: string; records: number; pages: number; warnings?: string[] }>;
  error: { code: string; message: string; retryable: boolean } | null;
}

export async function runToEnd(api: Api, tenant: Tenant, connectionId: string): Promise<FinishedRun> {
  const res = await call(api, { method: 'POST', url: `/api/v1/connections/${connectionId}/runs?wait=true&timeoutSeconds=60`, auth: tenant.session });
  if (res.statusCode !== 200) throw new Error(`the run did not end: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function signUpTenant(api: Api, label = 'tenant'): Promise<Tenant> {
  counter += 1;
  const email = `${label}-${counter}-${Date.now()}@example.test`;
  const password = `correct horse ${label} ${counter}`;
  const res = await call(api, { method: 'POST', url: '/api/v1/auth/signup', body: { email, password, name: label, workspaceName: `${label} workspace` } });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const { user, workspace } = res.json() as { user: { id: string }; workspace: { id: string } };
  const session = { cookie: sessionOf(res) };
  const key = await call(api, { method: 'POST', url: '/api/v1/api-keys', auth: session, body: { name: `${label} key`, role: 'owner' } });
  if (key.statusCode !== 201) throw new Error(`api key creation failed: ${key.statusCode} ${key.body}`);
  return { email, password, userId: user.id, workspaceId: workspace.id, session, apiKey: { bearer: (key.json() as { key: string }).key } };
}
