import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/config.js';
import { CredentialVault } from './credential-vault.js';
import { addPrimaryKey, describeKeyring, loadKeyring, type LoadedKeyring } from './keyring.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-keyring-'));
});
afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

const modeOf = async (file: string) => (await fs.stat(file)).mode & 0o777;
const fileOf = (loaded: LoadedKeyring) => {
  if (loaded.source !== 'file') throw new Error('expected the key file source');
  return loaded.file;
};

describe('the key file', () => {
  it('is created with mode 0600 on first load and reused on the next', async () => {
    const first = await loadKeyring({ encryptionKey: undefined, dataDir });
    expect(first).toMatchObject({ source: 'file', file: path.join(dataDir, 'keyring.json'), created: true });
    expect(first.keyring.primaryId).toMatch(/^k_[0-9a-f]{8}$/);
    expect(await modeOf(fileOf(first))).toBe(0o600);
    expect(JSON.parse(await fs.readFile(fileOf(first), 'utf8'))).toEqual({
      version: 1,
      primary: first.keyring.primaryId,
      keys: { [first.keyring.primaryId]: first.keyring.key(first.keyring.primaryId)!.toString('base64') },
    });
    expect(await fs.readdir(dataDir)).toEqual(['keyring.json']); // no temporary file left behind

    const second = await loadKeyring({ encryptionKey: undefined, dataDir });
    expect(second.created).toBe(false);
    expect(second.keyring.primaryId).toBe(first.keyring.primaryId);
    const sealed = new CredentialVault(first.keyring).encrypt('s3cret', 'test');
    expect(new CredentialVault(second.keyring).decrypt(sealed, 'test')).toBe('s3cret');
  });

  it('creates a missing data folder', async () => {
    const nested = path.join(dataDir, 'a', 'b');
    const loaded = await loadKeyring({ encryptionKey: undefined, dataDir: nested });
    expect(loaded.created).toBe(true);
    expect(await modeOf(path.join(nested, 'keyring.json'))).toBe(0o600);
  });

  it('gives processes starting at once the same single key', async () => {
    const loads = await Promise.all(Array.from({ length: 8 }, () => loadKeyring({ encryptionKey: undefined, dataDir })));
    expect(new Set(loads.map((l) => l.keyring.primaryId)).size).toBe(1);
    expect(loads.filter((l) => l.created)).toHaveLength(1);
    expect(await fs.readdir(dataDir)).toEqual(['keyring.json']);
  });

  it('names the file and the problem when it is malformed, without quoting keys', async () => {
    const file = path.join(dataDir, 'keyring.json');
    const key = crypto.randomBytes(32).toString('base64');
    const cases: Array<[content: string, problem: string]> = [
      [`{ "version": 1, "primary": "k_1", "keys": { "k_1": "${key}" `, 'is not valid JSON'],
      [`["${key}"]`, 'must hold a JSON object'],
      [JSON.stringify({ version: 2, primary: 'k_1', keys: { k_1: key } }), 'must have "version": 1'],
      [JSON.stringify({ version: 1, primary: 'k_1', keys: {} }), 'must list at least one key'],
      [JSON.stringify({ version: 1, primary: 'k_1', keys: { k_1: key.slice(0, 20) } }), 'key "k_1" is not 32 bytes in base64'],
      [JSON.stringify({ version: 1, primary: 'k_1', keys: { 'k.1': key } }), 'has a key id that is not'],
      [JSON.stringify({ version: 1, primary: 'k_2', keys: { k_1: key } }), '"primary" must name one of the keys'],
    ];
    for (const [content, problem] of cases) {
      await fs.writeFile(file, content, { mode: 0o600 });
      const error = await loadKeyring({ encryptionKey: undefined, dataDir }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toContain(file);
      expect(error?.message).toContain(problem);
      expect(error?.message).not.toContain(key.slice(0, 12));
    }
  });
});

describe('addPrimaryKey', () => {
  it('adds a new primary, keeps the older keys and rewrites the file with mode 0600', async () => {
    const before = await loadKeyring({ encryptionKey: undefined, dataDir });
    const file = fileOf(before);
    await fs.chmod(file, 0o644);
    const oldId = before.keyring.primaryId;

    const after = await addPrimaryKey(file);
    expect(after.primaryId).not.toBe(oldId);
    expect(after.ids).toEqual([after.primaryId, oldId]);
    expect(after.key(oldId)!.equals(before.keyring.key(oldId)!)).toBe(true);
    expect(await modeOf(file)).toBe(0o600);
    expect(await fs.readdir(dataDir)).toEqual(['keyring.json']);

    const reloaded = await loadKeyring({ encryptionKey: undefined, dataDir });
    expect(reloaded.keyring.primaryId).toBe(after.primaryId);
    expect(reloaded.keyring.ids).toEqual(after.ids);

    const third = await addPrimaryKey(file);
    expect(third.ids).toEqual([third.primaryId, after.primaryId, oldId]);
  });
});

describe('TRIBUTARY_ENCRYPTION_KEY', () => {
  const key = crypto.randomBytes(32);
  const hashId = (bytes: Buffer) => `k_${crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 8)}`;

  it('takes one base64 or base64url key, with an id derived from the key, and writes no key file', async () => {
    const standard = await loadKeyring({ encryptionKey: key.toString('base64'), dataDir });
    const url = await loadKeyring({ encryptionKey: key.toString('base64url'), dataDir });
    expect(standard).toMatchObject({ source: 'env', created: false });
    expect(standard.file).toBeUndefined();
    expect(standard.keyring.primaryId).toBe(hashId(key));
    expect(url.keyring.primaryId).toBe(hashId(key));
    expect(url.keyring.key(hashId(key))!.equals(key)).toBe(true);
    const other = await loadKeyring({ encryptionKey: crypto.randomBytes(32).toString('base64'), dataDir });
    expect(other.keyring.primaryId).not.toBe(hashId(key));
    expect(await fs.readdir(dataDir)).toEqual([]);
  });

  it('takes a keyring "id:base64,id:base64" whose first key is the primary', async () => {
    const older = crypto.randomBytes(32);
    const loaded = await loadKeyring({ encryptionKey: `new:${key.toString('base64')}, old:${older.toString('base64url')}`, dataDir });
    expect(loaded.keyring.primaryId).toBe('new');
    expect(loaded.keyring.ids).toEqual(['new', 'old']);
    expect(loaded.keyring.key('old')!.equals(older)).toBe(true);
  });

  it('rejects a malformed value with a ConfigError that names the variable and not the value', async () => {
    const b64 = key.toString('base64');
    const values = [
      'not a key',
      crypto.randomBytes(16).toString('base64'),
      crypto.randomBytes(33).toString('base64'),
      `${b64}$`,
      `a:${b64},${crypto.randomBytes(32).toString('base64')}`,
      `a:${b64},b:${crypto.randomBytes(31).toString('base64')}`,
      `a:${b64},a:${crypto.randomBytes(32).toString('base64')}`,
      `bad.id:${b64}`,
      `:${b64}`,
      `a:${b64},`,
      `${b64},${b64}`,
    ];
    for (const value of values) {
      const error = await loadKeyring({ encryptionKey: value, dataDir }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, value).toBeInstanceOf(ConfigError);
      const { variable, message } = error as ConfigError;
      expect(variable).toBe('TRIBUTARY_ENCRYPTION_KEY');
      expect(message).toMatch(/^TRIBUTARY_ENCRYPTION_KEY: /);
      for (const piece of value.split(/[,:]/).filter((p) => p.length >= 6)) expect(message).not.toContain(piece.slice(0, 12));
    }
  });
});

describe('describeKeyring', () => {
  it('reports ids and source, and warns when the key file is readable by others', async () => {
    const loaded = await loadKeyring({ encryptionKey: undefined, dataDir });
    const file = fileOf(loaded);
    expect(await describeKeyring(loaded)).toEqual({
      source: 'file',
      file,
      primaryKeyId: loaded.keyring.primaryId,
      keyIds: [loaded.keyring.primaryId],
      fileMode: '600',
      warnings: [],
    });
    await fs.chmod(file, 0o644);
    const status = await describeKeyring(loaded);
    expect(status.fileMode).toBe('644');
    expect(status.warnings).toEqual([`key file ${file} has mode 644, wider than 600; run: chmod 600 ${file}`]);
    await fs.rm(file);
    expect((await describeKeyring(loaded)).warnings[0]).toContain('is missing');
  });

  it('reports an environment keyring without a file', async () => {
    const a = crypto.randomBytes(32).toString('base64');
    const b = crypto.randomBytes(32).toString('base64');
    const status = await describeKeyring(await loadKeyring({ encryptionKey: `b:${b},a:${a}`, dataDir }));
    expect(status).toEqual({ source: 'env', file: undefined, primaryKeyId: 'b', keyIds: ['b', 'a'], fileMode: undefined, warnings: [] });
    expect(JSON.stringify(status)).not.toContain(a.slice(0, 12));
  });
});
