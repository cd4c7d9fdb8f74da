import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { rotateKeys } from '../store/vault/rotate-keys.js';
import { openHub } from './hub.js';

/** `tributary keys rotate`: a new primary key (key file), then every stored secret re-encrypted under it. */
export async function rotate(config: Config, logger: Logger): Promise<void> {
  const hub = await openHub(config, logger);
  try {
    const result = await rotateKeys({ db: hub.db, keys: hub.keys });
    logger.child({ scope: 'vault' }).info({ primaryKeyId: result.primaryKeyId, reencrypted: result.reencrypted }, 'keys rotated');
    console.log(`Primary key is now ${result.primaryKeyId}${result.previousPrimaryKeyId ? ` (was ${result.previousPrimaryKeyId})` : ''}.`);
    console.log(`Re-encrypted ${result.reencrypted} stored secret(s). Restart running hubs so they load the new key.`);
  } finally {
    await hub.close();
  }
}
