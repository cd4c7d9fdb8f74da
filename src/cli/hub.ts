import fs from 'node:fs/promises';
import os from 'node:os';
import { defaultWebDir } from '../api/web-app.js';
import { buildApi, type Api } from '../api/app.js';
import { createExternalJwtVerifier } from '../api/auth/external-jwt.js';
import { ConfigError, type Config } from '../config/config.js';
import { builtInConnectors, builtInSandboxes } from '../connectors/catalog.js';
import { RateLimiters } from '../connectors/runtime/token-bucket.js';
import { SandboxHost } from '../connectors/sandboxes/index.js';
import type { Logger } from '../logging/logger.js';
import { RunQueue } from '../engine/queue/run-queue.js';
import { SyncWorker } from '../engine/queue/sync-worker.js';
import type { RunStore } from '../engine/runs/run-store.js';
import { PeriodicTask } from '../engine/periodic-task.js';
import { appRole, openDatabase, queueSchema, type Database } from '../store/db.js';
import { createRunStore } from '../store/run-store.js';
import type { Warehouse } from '../warehouse/destination.js';
import { openWarehouse } from '../warehouse/warehouse.js';
import { migrate } from '../store/migrate.js';
import { CredentialVault } from '../store/vault/credential-vault.js';
import { loadKeyring, type LoadedKeyring } from '../store/vault/keyring.js';
import { TributaryError } from '../domain/errors.js';
import { version } from './version.js';
import type { TokenKeeper } from '../engine/connections/token-keeper.js';
import { createOAuthTokenKeeper } from '../store/oauth-token-keeper.js';

/**
 * The composition root: reads nothing itself, builds every part from the configuration and hands
 * each its dependencies. `start`, `migrate`, `keys` and `doctor` all open the hub through here.
 */
export interface Hub {
  config: Config;
  logger: Logger;
  db: Database;
  keys: LoadedKeyring;
  vault: CredentialVault;
  /** Connector sandboxes, started on first use by a sandbox connection. */
  sandboxes: SandboxHost;
  /** Sync jobs, on the metadata database. */
  queue: RunQueue;
  runs: RunStore;
  warehouse: Warehouse;
  rateLimiters: RateLimiters;
  tokens: TokenKeeper;
  close(): Promise<void>;
}

/** Creates the data folder and key file if needed, opens the store and applies migrations. */
export async function openHub(config: Config, logger: Logger): Promise<Hub> {
  checkConnectorSwitches(config);
  await fs.mkdir(config.dataDir, { recursive: true });
  const keys = await loadKeyring({ encryptionKey: config.encryptionKey, dataDir: config.dataDir });
  if (keys.created) logger.child({ scope: 'vault' }).info({ file: keys.file, keyId: keys.keyring.primaryId }, 'created a new encryption key file');
  const vault = new CredentialVault(keys.keyring);
  const db = await openDatabase(config.database);
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.child({ scope: 'store' }).info({ applied, engine: db.engine }, 'applied migrations');
  } catch (error) {
    await db.close();
    throw error;
  }
  await checkKeysCoverStoredSecrets({ db, keys }).catch((error: Error) => logger.child({ scope: 'vault' }).error({ keyIds: (error as TributaryError).details?.keyIds }, error.message));
  const sandboxes = new SandboxHost(builtInSandboxes(config.database.kind === 'postgres' ? { postgresUrl: config.database.url } : {}));
  const queue = await RunQueue.open({ db, schema: queueSchema(config.database), grantee: appRole });
  const warehouse = await openWarehouse(config.warehouse);
  const runs = createRunStore({ db, queue, vault, catalog: builtInConnectors, switches: config.connectors, maxAttempts: config.sync.maxAttempts });
  return {
    config,
    logger,
    db,
    keys,
    vault,
    sandboxes,
    queue,
    runs,
    warehouse,
    rateLimiters: new RateLimiters(),
    tokens: createOAuthTokenKeeper({ db, vault, catalog: builtInConnectors, sandboxes, apps: config.oauth.apps }),
    close: async () => {
      await queue.stop();
      await warehouse.close();
      await sandboxes.close();
      await db.close();
    },
  };
}

/** A worker on this process: takes sync jobs, and takes back runs whose worker was lost. Returns its stop. */
export async function startWorker(hub: Hub): Promise<() => Promise<void>> {
  const { config } = hub;
  const worker = new SyncWorker({
    queue: hub.queue,
    runs: hub.runs,
    sync: { warehouse: hub.warehouse, sandboxes: hub.sandboxes, switches: config.connectors, rateLimiters: hub.rateLimiters, tokens: hub.tokens },
    logger: hub.logger,
    owner: `${os.hostname()}:${process.pid}`,
    concurrency: config.sync.workerConcurrency,
    leaseMs: config.sync.leaseSeconds * 1000,
  });
  await worker.start();
  const reaper = new PeriodicTask('run-lease-reaper', Math.max(1000, (config.sync.leaseSeconds * 1000) / 3), () => hub.runs.reapExpiredLeases(), hub.logger).start();
  return async () => {
    await reaper.stop();
    await worker.stop();
  };
}

/** The scheduler on this process: queues runs whose schedule is due. Returns its stop. */
export function startScheduler(hub: Hub): () => Promise<void> {
  const scheduler = new PeriodicTask('scheduler', 15_000, () => hub.runs.enqueueDueRuns(), hub.logger).start();
  return () => scheduler.stop();
}

/** `TRIBUTARY_<ID>_LIVE` and `_BASE_URL` must name a built-in connector: a typo would otherwise switch nothing off. */
function checkConnectorSwitches(config: Config): void {
  const known = builtInConnectors.map((d) => d.id);
  for (const id of Object.keys(config.connectors)) {
    if (!known.includes(id))
      throw new ConfigError(`TRIBUTARY_${id.toUpperCase()}_*`, `names no built-in connector; the connectors are ${known.join(', ')}`);
  }
}

/**
 * Fails, naming the key id, when stored secrets were encrypted with a key the keyring lacks (a
 * lost key file, a changed TRIBUTARY_ENCRYPTION_KEY): the hub must not look healthy while every
 * connection would fail to decrypt.
 */
export async function checkKeysCoverStoredSecrets(hub: Pick<Hub, 'db' | 'keys'>): Promise<void> {
  const rows = await hub.db.asSystem((tx) => tx.query<{ key_id: string }>(`SELECT DISTINCT key_id FROM credentials ORDER BY key_id`));
  const missing = rows.map((r) => r.key_id).filter((id) => !hub.keys.keyring.ids.includes(id));
  if (missing.length > 0)
    throw new TributaryError('key_unavailable', `Stored secrets are encrypted with key ${missing.join(', ')}, which is not in the keyring: restore the key file or TRIBUTARY_ENCRYPTION_KEY that holds it.`, {
      details: { keyIds: missing },
    });
}

export async function buildHubApi(hub: Hub): Promise<Api> {
  const { config } = hub;
  return buildApi({
    db: hub.db,
    catalog: builtInConnectors,
    connections: { vault: hub.vault, sandboxes: hub.sandboxes, switches: config.connectors, rateLimiters: hub.rateLimiters, tokens: hub.tokens, oauthApps: config.oauth.apps },
    keys: hub.keys,
    sync: { runs: hub.runs, queue: hub.queue, warehouse: hub.warehouse, cronSecret: config.sync.cronSecret },
    oauthReturnOrigins: config.oauth.returnOrigins,
    logger: hub.logger,
    jwtVerifier: createExternalJwtVerifier(config.jwt),
    webDir: defaultWebDir,
    settings: { publicUrl: config.publicUrl, signupEnabled: config.signupEnabled, sessionTtlHours: config.sessionTtlHours, version },
    readinessChecks: { encryptionKey: () => checkKeysCoverStoredSecrets(hub) },
  });
}
