import crypto from 'node:crypto';
import { TributaryError } from '../../domain/errors.js';
import { isKeyId, type Keyring } from './keyring.js';

/**
 * Encrypts secrets with AES-256-GCM under the keyring's primary key. A ciphertext reads
 * `tv1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts): it names the key that can open it, so
 * older keys keep working after a rotation. The additional authenticated data binds the format,
 * the key id and a caller's context (`credential:<workspaceId>:<credentialId>`), so a ciphertext
 * moved to another row or workspace, or relabelled with another key id, fails to decrypt.
 *
 * Errors name key ids only: never a plaintext, a key, or the ciphertext.
 */
const format = 'tv1';
const algorithm = 'aes-256-gcm';
const ivBytes = 12;
const tagBytes = 16;
const base64UrlPattern = /^[A-Za-z0-9_-]*$/;

interface Sealed {
  keyId: string;
  iv: Buffer;
  body: Buffer;
  tag: Buffer;
}

export class CredentialVault {
  // Private, so logging the vault cannot print the keys.
  readonly #keyring: Keyring;

  constructor(keyring: Keyring) {
    this.#keyring = keyring;
  }

  /** The key new ciphertexts are encrypted with. */
  get primaryKeyId(): string {
    return this.#keyring.primaryId;
  }

  encrypt(plaintext: string, context: string): string {
    const keyId = this.primaryKeyId;
    const iv = crypto.randomBytes(ivBytes);
    const cipher = crypto.createCipheriv(algorithm, this.#keyring.key(keyId)!, iv, { authTagLength: tagBytes });
    cipher.setAAD(additionalData(keyId, context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [format, keyId, iv, body, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** Throws `key_unavailable` when the key is not in the keyring, `decryption_failed` when the ciphertext or context do not match. */
  decrypt(ciphertext: string, context: string): string {
    const sealed = unseal(ciphertext);
    const key = this.#keyring.key(sealed.keyId);
    if (!key) {
      throw new TributaryError(
        'key_unavailable',
        `A secret was encrypted with key "${sealed.keyId}", which is not in the keyring. Restore the key file or TRIBUTARY_ENCRYPTION_KEY that holds it.`,
        { details: { keyId: sealed.keyId } },
      );
    }
    try {
      const decipher = crypto.createDecipheriv(algorithm, key, sealed.iv, { authTagLength: tagBytes });
      decipher.setAAD(additionalData(sealed.keyId, context));
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.body), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new TributaryError(
        'decryption_failed',
        `A secret encrypted with key "${sealed.keyId}" failed its integrity check: it was altered or copied from another record. Enter the secret again.`,
        { details: { keyId: sealed.keyId }, cause },
      );
    }
  }

  /** The id of the key a ciphertext was encrypted with; `decryption_failed` if it is not a vault ciphertext. */
  keyIdOf(ciphertext: string): string {
    return unseal(ciphertext).keyId;
  }
}

function additionalData(keyId: string, context: string): Buffer {
  // Key ids hold no ':', so the joined form cannot be read two ways.
  return Buffer.from(`${format}:${keyId}:${context}`, 'utf8');
}

function unseal(ciphertext: string): Sealed {
  const parts = ciphertext.split('.');
  const keyId = parts.length === 5 && parts[0] === format && isKeyId(parts[1]!) ? parts[1]! : undefined;
  if (!keyId) malformed(undefined);
  const [iv, body, tag] = parts.slice(2).map(decodeStrict);
  if (iv?.length !== ivBytes || !body || tag?.length !== tagBytes) malformed(keyId);
  return { keyId, iv, body, tag };
}

/** Decodes canonical base64url only: a loose decoder would accept altered text that decodes to the same bytes. */
function decodeStrict(part: string): Buffer | undefined {
  if (!base64UrlPattern.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

function malformed(keyId: string | undefined): never {
  // A value that is not in the format may be a plaintext stored by mistake: name a key id only when it looks like one.
  throw new TributaryError(
    'decryption_failed',
    keyId
      ? `A secret encrypted with key "${keyId}" is damaged: it is not a complete vault ciphertext. Enter the secret again.`
      : 'A stored secret is not a vault ciphertext (tv1.<keyId>.…). Enter the secret again.',
    { details: { keyId } },
  );
}
