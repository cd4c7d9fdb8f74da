import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredential, listCredentials, readCredentialSecret } from '../src/store/credential-repository.js';
import { openDatabase } from '../src/store/db.js';
import { CredentialVault } from '../src/store/vault/credential-vault.js';
import { loadKeyring } from '../src/store/vault/keyring.js';
import { runTributary, startTributary } from './support/process.js';

/** `tributary keys rotate` on a real data folder: a new primary key, every secret re-encrypted, none lost. */
describe('tributary keys rotate', () => {
  let dataDir: string;
  const workspaceId = crypto.randomUUID();
  const secrets = ['pat-na1-11111111-aaaa', 'sk_live_2222222222222222', 'hunter2-but-longer'];
  const ids: string[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-rotate-'));
    expect((await runTributary(['migrate'], { TRIBUTARY_DATA_DIR: dataDir })).code).toBe(0);
    const { keyring } = await loadKeyring({ encryptionKey: undefined, dataDir });
    const vault = new CredentialVault(keyring);
    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'metadata') });
    await db.asSystem((tx) => tx.query(`INSERT INTO workspaces (id, name) VALUES ($1, 'rotating')`, [workspaceId]));
    for (const secret of secrets) ids.push((await db.withWorkspace(workspaceId, (tx) => createCredential(tx, vault, { workspaceId, label: 'x', secret }))).id);
    await db.close();
  });
  afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

  it('adds a primary key, re-encrypts every secret under it, and keeps the old key to read old copies', async () => {
    const before = await loadKeyring({ encryptionKey: undefined, dataDir });
    const result = await runTributary(['keys', 'rotate'], { TRIBUTARY_DATA_DIR: dataDir });
    expect(result.code, result.stderr).toBe(0);
    const after = await loadKeyring({ encryptionKey: undefined, dataDir });
    expect(after.keyring.primaryId).not.toBe(before.keyring.primaryId);
    expect(after.keyring.ids).toContain(before.keyring.primaryId);
    expect(result.stdout).toContain(`Primary key is now ${after.keyring.primaryId} (was ${before.keyring.primaryId}).`);
    expect(result.stdout).toContain('Re-encrypted 3 stored secret(s).');

    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'metadata') });
    const vault = new CredentialVault(after.keyring);
    const listed = await db.withWorkspace(workspaceId, (tx) => listCredentials(tx, workspaceId));
    expect(listed.map((c) => c.keyId)).toEqual([after.keyring.primaryId, after.keyring.primaryId, after.keyring.primaryId]);
    const read = await db.withWorkspace(workspaceId, (tx) => Promise.all(ids.map((id) => readCredentialSecret(tx, vault, workspaceId, id))));
    expect(read).toEqual(secrets);
    await db.close();

    const doctor = await runTributary(['doctor'], { TRIBUTARY_DATA_DIR: dataDir });
    expect(doctor.stdout).toContain(`3 under ${after.keyring.primaryId}`);
    expect(doctor.code).toBe(0);
  });

  it('doctor and /ready name the key id when the key is lost or changed', async () => {
    const keyring = await loadKeyring({ encryptionKey: undefined, dataDir });
    await fs.rename(path.join(dataDir, 'keyring.json'), path.join(dataDir, 'keyring.json.bak'));
    const doctor = await runTributary(['doctor'], { TRIBUTARY_DATA_DIR: dataDir });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('Secrets are stored but the key file');
    const other = await runTributary(['doctor'], { TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') });
    expect(other.stdout).toContain(`3 stored secret(s) are encrypted with key ${keyring.keyring.primaryId}, which is not in the keyring`);

    // A hub started with the wrong key is not ready, and says which key it lacks.
    const hub = await startTributary({ TRIBUTARY_DATA_DIR: dataDir, TRIBUTARY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') });
    const ready = await fetch(`${hub.url}/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: { message: string } }).error.message).toContain(`encryptionKey: Stored secrets are encrypted with key ${keyring.keyring.primaryId}, which is not in the keyring`);
    expect(hub.output()).toContain(`Stored secrets are encrypted with key ${keyring.keyring.primaryId}`);
    await hub.stop();
    await fs.rename(path.join(dataDir, 'keyring.json.bak'), path.join(dataDir, 'keyring.json'));
  });
});
