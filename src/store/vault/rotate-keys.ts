import { reencryptCredentials } from '../credential-repository.js';
import type { Database } from '../db.js';
import { CredentialVault } from './credential-vault.js';
import { addPrimaryKey, type LoadedKeyring } from './keyring.js';

export interface KeyRotation {
  primaryKeyId: string;
  /**
   * Key file: the primary before this rotation. TRIBUTARY_ENCRYPTION_KEY: the key listed second,
   * which the operator's new first key displaced; undefined when only one key is listed.
   */
  previousPrimaryKeyId: string | undefined;
  reencrypted: number;
}

/**
 * `tributary keys rotate`, called with the hub's loaded keys and open store:
 *
 *   const { primaryKeyId, previousPrimaryKeyId, reencrypted } = await rotateKeys({ db: hub.db, keys: hub.keys });
 *
 * Key file: adds a new random primary key to the file (old keys stay), then re-encrypts under it.
 * TRIBUTARY_ENCRYPTION_KEY: changes no keys (the operator first puts a new key at the front of the
 * variable, keeping the old ones after it) and re-encrypts under the variable's primary key.
 *
 * Every credential not under the primary is re-encrypted in one system transaction, so a secret
 * that cannot be decrypted stops the rotation and leaves every row as it was. The key file is
 * written before any row uses its new key; a failed run leaves the new key in the file, which is
 * harmless. Hubs already running keep the keyring they loaded: restart them afterwards.
 */
export async function rotateKeys(input: { db: Database; keys: LoadedKeyring; batchSize?: number }): Promise<KeyRotation> {
  const { keys } = input;
  return input.db.asSystem(async (tx) => {
    // Serialises rotations: two at once could each write the key file and lose the other's new key.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('tributary.rotate_keys'))`);
    const keyring = keys.source === 'file' ? await addPrimaryKey(keys.file) : keys.keyring;
    const reencrypted = await reencryptCredentials(tx, new CredentialVault(keyring), input.batchSize ?? 100);
    return { primaryKeyId: keyring.primaryId, previousPrimaryKeyId: keyring.ids[1], reencrypted };
  });
}
