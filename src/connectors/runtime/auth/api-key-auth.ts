import { z } from 'zod';
import { maskSecret } from '../../../domain/mask.js';
import type { HttpRequest } from '../http.js';

/** An API key sent in a header (`X-Phantombuster-Key: …`, `api_access_token: …`) or in the query (`?api_key=…`). */
export const apiKeyAuthConfig = z.object({
  method: z.literal('api_key'),
  label: z.string().default('API key'),
  in: z.enum(['header', 'query']).default('header'),
  /** Header or query parameter name. */
  name: z.string().min(1),
  /** Put before the key, e.g. `Token ` for `Authorization: Token <key>`. */
  prefix: z.string().default(''),
});
export type ApiKeyAuthConfig = z.infer<typeof apiKeyAuthConfig>;

export const apiKeySecrets = z.object({ apiKey: z.string().min(1, 'apiKey must not be empty') });

export function applyApiKey(config: ApiKeyAuthConfig, secrets: z.infer<typeof apiKeySecrets>, request: HttpRequest): HttpRequest {
  const value = `${config.prefix}${secrets.apiKey}`;
  return config.in === 'header'
    ? { ...request, headers: { ...request.headers, [config.name]: value } }
    : { ...request, query: { ...request.query, [config.name]: value } };
}

export function hintApiKey(secrets: z.infer<typeof apiKeySecrets>): string {
  return maskSecret(secrets.apiKey);
}
