import { z } from 'zod';
import type { HttpRequest } from '../http.js';

/** HTTP Basic: `Authorization: Basic base64(username:password)` (Livy, many self-hosted tools). */
export const basicAuthConfig = z.object({
  method: z.literal('basic'),
  label: z.string().default('Username and password'),
});
export type BasicAuthConfig = z.infer<typeof basicAuthConfig>;

export const basicSecrets = z.object({
  username: z.string().min(1, 'username must not be empty').refine((u) => !u.includes(':'), 'username must not contain ":"'),
  password: z.string(),
});

export function applyBasic(_config: BasicAuthConfig, secrets: z.infer<typeof basicSecrets>, request: HttpRequest): HttpRequest {
  const encoded = Buffer.from(`${secrets.username}:${secrets.password}`, 'utf8').toString('base64');
  return { ...request, headers: { ...request.headers, authorization: `Basic ${encoded}` } };
}

/** The username is not secret and tells accounts apart; the password is never shown. */
export function hintBasic(secrets: z.infer<typeof basicSecrets>): string {
  return `${secrets.username}:…`;
}
