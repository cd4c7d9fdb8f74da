import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { openDatabase } from '../store/db.js';
import { migrationStatus } from '../store/migrate.js';
import { describeKeyring, loadKeyring } from '../store/vault/keyring.js';
import { version } from './version.js';

/**
 * `tributary doctor`: what this hub is configured to do and what is wrong with it, if anything.
 * It reads and reports; it creates nothing (no data folder, no key file, no migration). Exit 1
 * when a problem was found.
 */
function maskUrlPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '****';
  return parsed.toString();
}

export async function doctor(config: Config, _logger: Logger): Promise<number> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const line = (label: string, value: string) => console.log(`  ${label.padEnd(22)} ${value}`);

  console.log(`Tributary ${version} on Node ${process.versions.node}`);
  console.log('\nConfiguration');
  line('listen', `${config.host}:${config.port}`);
  line('public URL', config.publicUrl);
  line('data folder', config.dataDir);
  line('sign-up', config.signupEnabled ? 'open' : 'invitation only');
  line('identity provider', config.jwt.secret ? 'HS256 JWT secret' : config.jwt.jwksUrl ? `JWKS ${config.jwt.jwksUrl}` : 'none');
  line('log level', config.logLevel);

  console.log('\nMetadata store');
  if (config.database.kind === 'pglite') {
    line('engine', `embedded PGlite in ${config.database.dataDir}`);
  } else {
    line('engine', `PostgreSQL ${maskUrlPassword(config.database.url)} (schema ${config.database.schema})`);
  }
  const skipStore = config.database.kind === 'pglite' && !(await fs.access(config.database.dataDir).then(() => true, () => false));
  let credentialKeys: Array<{ key_id: string; n: number }> = [];
  if (skipStore) {
    line('status', 'not created yet; `tributary start` creates it');
  } else {
    try {
      const db = await openDatabase(config.database);
      try {
        const status = await migrationStatus(db);
        line('migrations', `${status.applied.length} applied, ${status.pending.length} pending`);
        if (status.pending.length > 0) warnings.push(`Pending migrations (${status.pending.join(', ')}); \`tributary start\` or \`tributary migrate\` applies them.`);
        if (status.applied.includes('0002_credentials.sql'))
          credentialKeys = await db.asSystem((tx) => tx.query<{ key_id: string; n: number }>(`SELECT key_id, count(*)::int AS n FROM credentials GROUP BY key_id ORDER BY key_id`));
        line('stored secrets', credentialKeys.length === 0 ? 'none' : credentialKeys.map((k) => `${k.n} under ${k.key_id}`).join(', '));
      } finally {
        await db.close();
      }
    } catch (error) {
      problems.push(`The metadata store cannot be opened: ${(error as Error).message}`);
    }
  }

  console.log('\nEncryption keys');
  const keyFile = path.join(config.dataDir, 'keyring.json');
  const keyFileExists = await fs.access(keyFile).then(() => true, () => false);
  if (!config.encryptionKey && !keyFileExists) {
    line('source', `key file ${keyFile} (not created yet; \`tributary start\` creates it)`);
    if (credentialKeys.length > 0) problems.push(`Secrets are stored but the key file ${keyFile} is missing: restore it, or set TRIBUTARY_ENCRYPTION_KEY.`);
  } else {
    try {
      const keys = await describeKeyring(await loadKeyring({ encryptionKey: config.encryptionKey, dataDir: config.dataDir }));
      line('source', keys.file ? `key file ${keys.file}` : 'TRIBUTARY_ENCRYPTION_KEY');
      line('primary key', keys.primaryKeyId);
      line('keys in ring', keys.keyIds.join(', '));
      warnings.push(...keys.warnings);
      for (const { key_id, n } of credentialKeys) {
        if (!keys.keyIds.includes(key_id)) problems.push(`${n} stored secret(s) are encrypted with key ${key_id}, which is not in the keyring: restore the key that holds it.`);
        else if (key_id !== keys.primaryKeyId) warnings.push(`${n} stored secret(s) still use the older key ${key_id}; \`tributary keys rotate\` re-encrypts them.`);
      }
    } catch (error) {
      problems.push((error as Error).message);
    }
  }

  console.log('');
  for (const w of warnings) console.log(`warning: ${w}`);
  for (const p of problems) console.log(`problem: ${p}`);
  if (problems.length === 0) console.log(warnings.length === 0 ? 'No problems found.' : 'No problems found; see the warnings above.');
  return problems.length === 0 ? 0 : 1;
}
