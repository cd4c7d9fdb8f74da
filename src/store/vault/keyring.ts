import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../config/config.js';

/**
 * The encryption keys of the credential vault: one primary (new secrets are encrypted with it)
 * and every older key still needed to read what was encrypted before a rotation.
 *
 * Keys come from TRIBUTARY_ENCRYPTION_KEY when it is set, otherwise from `<dataDir>/keyring.json`,
 * which the first start creates. No message here ever quotes a key or the variable's value.
 */

const keyBytes = 32;
const keyIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
const base64Pattern = /^[A-Za-z0-9+/_-]+={0,2}$/;
const keyIdRule = '1 to 64 letters, digits, "_" or "-"';

export const keyFileName = 'keyring.json';

/** Ids travel inside ciphertexts (`tv1.<keyId>.…`), so they may not hold a dot or a colon. */
export function isKeyId(value: string): boolean {
  return keyIdPattern.test(value);
}

/**
 * Key bytes sit in a private field so that logging or serialising a keyring (pino, util.inspect,
 * JSON.stringify) shows only its ids.
 */
export class Keyring {
  readonly #keys: ReadonlyMap<string, Buffer>;

  /** `primaryId` must be one of `keys`. */
  constructor(readonly primaryId: string, keys: ReadonlyMap<string, Buffer>) {
    for (const [id, key] of keys) {
      if (!isKeyId(id)) throw new Error(`key id must be ${keyIdRule}`);
      if (key.length !== keyBytes) throw new Error(`key "${id}" must be ${keyBytes} bytes`);
    }
    const primary = keys.get(primaryId);
    if (!primary) throw new Error(`primary key "${primaryId}" is not in the keyring`);
    this.#keys = new Map([[primaryId, primary], ...keys]);
  }

  /** The primary first, then the others as listed; after `addPrimaryKey`, the previous primary comes second. */
  get ids(): string[] {
    return [...this.#keys.keys()];
  }

  key(id: string): Buffer | undefined {
    return this.#keys.get(id);
  }

  toJSON(): { primaryId: string; ids: string[] } {
    return { primaryId: this.primaryId, ids: this.ids };
  }
}

export type LoadedKeyring =
  | { keyring: Keyring; source: 'env'; file?: undefined; created: false }
  | { keyring: Keyring; source: 'file'; file: string; created: boolean };

/** Reads the keyring from `encryptionKey` (TRIBUTARY_ENCRYPTION_KEY) if set, else from the key file, creating it if absent. */
export async function loadKeyring(options: { encryptionKey: string | undefined; dataDir: string }): Promise<LoadedKeyring> {
  if (options.encryptionKey !== undefined) {
    return { keyring: parseEncryptionKey(options.encryptionKey), source: 'env', created: false };
  }
  const file = path.join(options.dataDir, keyFileName);
  const existing = await readKeyFile(file);
  if (existing) return { keyring: existing, source: 'file', file, created: false };

  await fs.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const id = newKeyId([]);
  const keyring = new Keyring(id, new Map([[id, crypto.randomBytes(keyBytes)]]));
  if (await writeKeyFile(file, keyring, 'create')) return { keyring, source: 'file', file, created: true };
  // Another process created the file first: use its key, or the two would encrypt with different ones.
  return { keyring: (await readKeyFile(file)) ?? fileError(file, 'vanished while it was being created'), source: 'file', file, created: false };
}

/** Adds a new random key to the key file and makes it the primary; older keys stay to read older secrets. */
export async function addPrimaryKey(file: string): Promise<Keyring> {
  const current = (await readKeyFile(file)) ?? fileError(file, 'does not exist');
  const id = newKeyId(current.ids);
  const keys = new Map<string, Buffer>([[id, crypto.randomBytes(keyBytes)], ...current.ids.map((old): [string, Buffer] => [old, current.key(old)!])]);
  const keyring = new Keyring(id, keys);
  await writeKeyFile(file, keyring, 'replace');
  return keyring;
}

export interface KeyringStatus {
  source: LoadedKeyring['source'];
  file: string | undefined;
  primaryKeyId: string;
  keyIds: string[];
  /** The key file's permission bits in octal (`600`), when it could be read. */
  fileMode: string | undefined;
  /** What an operator should fix: a key file with wider permissions than 600, or one that has gone missing. */
  warnings: string[];
}

/** The keyring as `tributary doctor` reports it: ids and where they come from, never key bytes. */
export async function describeKeyring(loaded: LoadedKeyring): Promise<KeyringStatus> {
  const status: KeyringStatus = {
    source: loaded.source,
    file: loaded.file,
    primaryKeyId: loaded.keyring.primaryId,
    keyIds: loaded.keyring.ids,
    fileMode: undefined,
    warnings: [],
  };
  if (loaded.source !== 'file') return status;
  try {
    const mode = (await fs.stat(loaded.file)).mode & 0o777;
    status.fileMode = mode.toString(8);
    if ((mode & ~0o600) !== 0) {
      status.warnings.push(`key file ${loaded.file} has mode ${status.fileMode}, wider than 600; run: chmod 600 ${loaded.file}`);
    }
  } catch {
    status.warnings.push(`key file ${loaded.file} is missing or unreadable; restore it from a backup before the hub restarts`);
  }
  return status;
}

function parseEncryptionKey(value: string): Keyring {
  const text = value.trim();
  if (!text.includes(':') && !text.includes(',')) {
    const key = decodeKey(text);
    if (!key) envError(`must be ${keyBytes} random bytes in base64 (make one with: openssl rand -base64 32), or a keyring "id:base64,id:base64"`);
    // Derived from the key, so the same key keeps its id and a changed key shows a new one.
    const id = `k_${crypto.createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    return new Keyring(id, new Map([[id, key]]));
  }
  const keys = new Map<string, Buffer>();
  for (const [index, entry] of text.split(',').entries()) {
    const where = `keyring entry ${index + 1}`;
    const separator = entry.indexOf(':');
    if (separator < 0) envError(`${where} must be "id:base64" (entries are separated by commas, the primary first)`);
    const id = entry.slice(0, separator).trim();
    const key = decodeKey(entry.slice(separator + 1).trim());
    if (!isKeyId(id)) envError(`${where} has an id that is not ${keyIdRule}`);
    if (keys.has(id)) envError(`${where} repeats the id of an earlier entry`);
    if (!key) envError(`${where} is not ${keyBytes} bytes in base64 (make one with: openssl rand -base64 32)`);
    keys.set(id, key);
  }
  const [primaryId] = keys.keys();
  return new Keyring(primaryId!, keys);
}

function envError(problem: string): never {
  throw new ConfigError('TRIBUTARY_ENCRYPTION_KEY', problem);
}

/** Base64 or base64url of exactly 32 bytes, else undefined. */
function decodeKey(text: string): Buffer | undefined {
  if (!base64Pattern.test(text)) return undefined;
  const key = Buffer.from(text, 'base64'); // Node's base64 decoder also reads the base64url alphabet
  return key.length === keyBytes ? key : undefined;
}

function newKeyId(taken: string[]): string {
  for (;;) {
    const id = `k_${crypto.randomBytes(4).toString('hex')}`;
    if (!taken.includes(id)) return id;
  }
}

interface KeyFile {
  version: 1;
  primary: string;
  keys: Record<string, string>;
}

/** The key file's keyring, or undefined when there is no file. */
async function readKeyFile(file: string): Promise<Keyring | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text around the error, which may be key material.
    fileError(file, 'is not valid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fileError(file, 'must hold a JSON object');
  const { version, primary, keys } = data as Partial<Record<keyof KeyFile, unknown>>;
  if (version !== 1) fileError(file, 'must have "version": 1');
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys) || Object.keys(keys).length === 0) {
    fileError(file, 'must list at least one key under "keys"');
  }
  const parsed = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(keys)) {
    if (!isKeyId(id)) fileError(file, `has a key id that is not ${keyIdRule}`);
    const key = typeof value === 'string' ? decodeKey(value) : undefined;
    if (!key) fileError(file, `key "${id}" is not ${keyBytes} bytes in base64`);
    parsed.set(id, key);
  }
  if (typeof primary !== 'string' || !parsed.has(primary)) fileError(file, '"primary" must name one of the keys under "keys"');
  return new Keyring(primary, parsed);
}

function fileError(file: string, problem: string): never {
  throw new Error(`key file ${file}: ${problem}`);
}

/**
 * Writes the key file atomically with mode 0600: a temporary file is written and synced, then
 * renamed over the file (`replace`) or hard-linked to its name (`create`, which refuses to
 * overwrite a file another process created meanwhile and returns false then).
 */
async function writeKeyFile(file: string, keyring: Keyring, mode: 'create' | 'replace'): Promise<boolean> {
  const content: KeyFile = {
    version: 1,
    primary: keyring.primaryId,
    keys: Object.fromEntries(keyring.ids.map((id) => [id, keyring.key(id)!.toString('base64')])),
  };
  const temp = `${file}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (mode === 'replace') {
      await fs.rename(temp, file);
    } else {
      try {
        await fs.link(temp, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
    }
  } finally {
    await fs.rm(temp, { force: true });
  }
  await syncFolder(path.dirname(file));
  return true;
}

/** Makes the rename or link itself durable, so a crash cannot leave secrets encrypted under a key that is gone. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
