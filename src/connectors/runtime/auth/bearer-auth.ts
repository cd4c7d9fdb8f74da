import { z } from 'zod';
import { maskSecret } from '../../../domain/mask.js';
import type { HttpRequest } from '../http.js';

/** `Authorization: Bearer <token>` (HubSpot private app tokens, Instantly v2 keys). */
export const bearerAuthConfig = z.object({
  method: z.literal('bearer'),
  label: z.string().default('Access token'),
});
export type BearerAuthConfig = z.infer<typeof bearerAuthConfig>;

export const bearerSecrets = z.object({ token: z.string().min(1, 'token must not be empty') });

export function applyBearer(_config: BearerAuthConfig, secrets: z.infer<typeof bearerSecrets>, request: HttpRequest): HttpRequest {
  return { ...request, headers: { ...request.headers, authorization: `Bearer ${secrets.token}` } };
}

export function hintBearer(secrets: z.infer<typeof bearerSecrets>): string {
  return maskSecret(secrets.token);
}
