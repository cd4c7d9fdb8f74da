import crypto from 'node:crypto';
import { maskSecret } from '../../domain/mask.js';

/**
 * Opaque bearer secrets: session tokens (in the cookie) and API keys (`trb_…`). Only their
 * SHA-256 is stored; they carry 256 random bits, so a fast hash is enough to make a stolen
 * table useless.
 */
export const apiKeyPrefix = 'trb_';

export function newSessionToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function newApiKey(): { key: string; hint: string } {
  const key = `${apiKeyPrefix}${crypto.randomBytes(32).toString('base64url')}`;
  return { key, hint: maskSecret(key) };
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}
