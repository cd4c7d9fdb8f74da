import crypto from 'node:crypto';
import util from 'node:util';
import { describe, expect, it } from 'vitest';
import { TributaryError } from '../../domain/errors.js';
import { CredentialVault } from './credential-vault.js';
import { Keyring } from './keyring.js';

const keyA = crypto.randomBytes(32);
const keyB = crypto.randomBytes(32);
const ringA = new Keyring('k_a', new Map([['k_a', keyA]]));
const ringBA = new Keyring('k_b', new Map([['k_b', keyB], ['k_a', keyA]]));
const context = 'credential:7f1c0c52-3d43-4ac6-9e0f-2c1b1f4c0a11:0d7e6b0a-5f55-4a38-b1a4-3f3f1f7d9c21';
const secret = 'pat-na1-2f0c9e7b-41c6-4d1f-a8e2-5c3d7b9e1a04';

const base64Url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The text with character `i` replaced by another base64url character. */
function alter(text: string, i: number): string {
  const next = base64Url[(base64Url.indexOf(text[i]!) + 1) % base64Url.length]!;
  return text.slice(0, i) + next + text.slice(i + 1);
}

function withPart(ciphertext: string, index: number, part: string): string {
  const parts = ciphertext.split('.');
  parts[index] = part;
  return parts.join('.');
}

function errorOf(fn: () => unknown): TributaryError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TributaryError);
    return error as TributaryError;
  }
  throw new Error('expected an error');
}

describe('CredentialVault', () => {
  it('decrypts what it encrypted, for any text', () => {
    const vault = new CredentialVault(ringA);
    for (const plaintext of [secret, '', 'ünïcødé 🔑 secret', 'x'.repeat(10_000)]) {
      expect(vault.decrypt(vault.encrypt(plaintext, context), context)).toBe(plaintext);
    }
  });

  it('writes the primary key id into every ciphertext', () => {
    const vault = new CredentialVault(ringBA);
    const ciphertext = vault.encrypt(secret, context);
    expect(ciphertext).toMatch(/^tv1\.k_b\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(vault.keyIdOf(ciphertext)).toBe('k_b');
    expect(vault.primaryKeyId).toBe('k_b');
  });

  it('uses a fresh IV each time: the same plaintext gives different ciphertexts', () => {
    const vault = new CredentialVault(ringA);
    const ciphertexts = Array.from({ length: 50 }, () => vault.encrypt(secret, context));
    expect(new Set(ciphertexts).size).toBe(50);
    expect(new Set(ciphertexts.map((c) => c.split('.')[2])).size).toBe(50);
  });

  it('reads ciphertexts of older keys still in the keyring', () => {
    const old = new CredentialVault(ringA).encrypt(secret, context);
    expect(new CredentialVault(ringBA).decrypt(old, context)).toBe(secret);
  });

  it('detects a change to any character of the IV, the ciphertext or the tag', () => {
    const vault = new CredentialVault(ringA);
    const ciphertext = vault.encrypt(secret, context);
    for (const index of [2, 3, 4]) {
      const part = ciphertext.split('.')[index]!;
      for (let i = 0; i < part.length; i++) {
        const error = errorOf(() => vault.decrypt(withPart(ciphertext, index, alter(part, i)), context));
        expect(error.code).toBe('decryption_failed');
        expect(error.details).toEqual({ keyId: 'k_a' });
        expect(error.message).toContain('"k_a"');
      }
    }
  });

  it('detects a ciphertext cut short, lengthened or swapped between parts', () => {
    const vault = new CredentialVault(ringA);
    const ciphertext = vault.encrypt(secret, context);
    const [, , iv, body, tag] = ciphertext.split('.');
    for (const changed of [
      withPart(ciphertext, 3, body!.slice(0, -2)),
      withPart(ciphertext, 3, `${body}AA`),
      withPart(ciphertext, 4, tag!.slice(0, -1)),
      withPart(ciphertext, 2, tag!),
      withPart(withPart(ciphertext, 2, iv!), 4, iv!),
    ]) {
      expect(errorOf(() => vault.decrypt(changed, context)).code).toBe('decryption_failed');
    }
  });

  it('detects a ciphertext moved to another context (another row or workspace)', () => {
    const vault = new CredentialVault(ringA);
    const ciphertext = vault.encrypt(secret, context);
    for (const other of [`${context}x`, context.replace('credential:7', 'credential:8'), '']) {
      const error = errorOf(() => vault.decrypt(ciphertext, other));
      expect(error.code).toBe('decryption_failed');
      expect(error.details).toEqual({ keyId: 'k_a' });
    }
  });

  it('detects a key id changed to another key in the keyring', () => {
    const vault = new CredentialVault(ringBA);
    const underA = new CredentialVault(ringA).encrypt(secret, context);
    const error = errorOf(() => vault.decrypt(withPart(underA, 1, 'k_b'), context));
    expect(error.code).toBe('decryption_failed');
    expect(error.details).toEqual({ keyId: 'k_b' });
  });

  it('binds the key id itself: relabelling fails even when two ids hold the same key', () => {
    const vault = new CredentialVault(new Keyring('k_a', new Map([['k_a', keyA], ['k_copy', keyA]])));
    const ciphertext = vault.encrypt(secret, context);
    expect(errorOf(() => vault.decrypt(withPart(ciphertext, 1, 'k_copy'), context)).code).toBe('decryption_failed');
  });

  it('answers key_unavailable, naming the key, for a key the keyring does not hold', () => {
    const underB = new CredentialVault(ringBA).encrypt(secret, context);
    const vault = new CredentialVault(ringA);
    for (const [ciphertext, keyId] of [
      [underB, 'k_b'],
      [withPart(vault.encrypt(secret, context), 1, 'k_zz'), 'k_zz'],
    ] as const) {
      const error = errorOf(() => vault.decrypt(ciphertext, context));
      expect(error.code).toBe('key_unavailable');
      expect(error.details).toEqual({ keyId });
      expect(error.message).toBe(
        `A secret was encrypted with key "${keyId}", which is not in the keyring. Restore the key file or TRIBUTARY_ENCRYPTION_KEY that holds it.`,
      );
    }
  });

  it('rejects values that are not vault ciphertexts without quoting them', () => {
    const vault = new CredentialVault(ringA);
    const good = vault.encrypt(secret, context);
    for (const value of ['', secret, `tv1.${secret}`, good.replace(/^tv1/, 'tv2'), `${good}.extra`, good.replace('.k_a.', '.k:a.'), good.replaceAll('.', ':')]) {
      const error = errorOf(() => vault.decrypt(value, context));
      expect(error.code).toBe('decryption_failed');
      expect(error.message).not.toContain(secret);
      expect(errorOf(() => vault.keyIdOf(value)).code).toBe('decryption_failed');
    }
  });

  it('never shows a plaintext or key in errors, logs or serialised objects', () => {
    const vault = new CredentialVault(ringBA);
    const ciphertext = vault.encrypt(secret, context);
    const error = errorOf(() => vault.decrypt(alter(ciphertext, ciphertext.length - 1), context));
    const shown = [
      error.message,
      JSON.stringify(error.details),
      util.inspect(error, { depth: 5 }),
      util.inspect(vault, { depth: 5, showHidden: true }),
      util.inspect(ringBA, { depth: 5, showHidden: true }),
      JSON.stringify({ vault, ringBA }),
    ].join('\n');
    expect(shown).not.toContain(secret);
    for (const key of [keyA, keyB]) {
      for (const encoding of ['base64', 'base64url', 'hex'] as const) expect(shown).not.toContain(key.toString(encoding).slice(0, 16));
      expect(shown).not.toContain(util.inspect(key).slice(8, 32)); // how a logged Buffer prints: <Buffer 3f 0a …>
    }
  });
});
