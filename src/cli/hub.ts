import fs from 'node:fs/promises';
import { buildApi, type Api } from '../api/app.js';
import { createExternalJwtVerifier } from '../api/auth/external-jwt.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { openDatabase, type Database } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { CredentialVault } from '../store/vault/credential-vault.js';
import { loadKeyring, type LoadedKeyring } from '../store/vault/keyring.js';
import { version } from './version.js';

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
  close(): Promise<void>;
}

/** Creates the data folder and key file if needed, opens the store and applies migrations. */
export async function openHub(config: Config, logger: Logger): Promise<Hub> {
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
  return { config, logger, db, keys, vault, close: () => db.close() };
}

export async function buildHubApi(hub: Hub): Promise<Api> {
  const { config } = hub;
  return buildApi({
    db: hub.db,
    logger: hub.logger,
    jwtVerifier: createExternalJwtVerifier(config.jwt),
    settings: { publicUrl: config.publicUrl, signupEnabled: config.signupEnabled, sessionTtlHours: config.sessionTtlHours, version },
    readinessChecks: {
      encryptionKey: async () => {
        // A round trip through the vault proves the primary key is loaded and usable.
        const probe = hub.vault.encrypt('ready', 'readiness');
        if (hub.vault.decrypt(probe, 'readiness') !== 'ready') throw new Error('vault round trip failed');
      },
    },
  });
}
