import { z } from 'zod';
import { TributaryError } from '../../../domain/errors.js';
import type { HttpRequest } from '../http.js';
import { apiKeyAuthConfig, apiKeySecrets, applyApiKey } from './api-key-auth.js';
import { applyBasic, basicAuthConfig, basicSecrets } from './basic-auth.js';
import { applyBearer, bearerAuthConfig, bearerSecrets } from './bearer-auth.js';
import { applyConnectionString, connectionStringAuthConfig, connectionStringSecrets } from './connection-string-auth.js';
import { applyNoAuth, noAuthConfig, noSecrets } from './no-auth.js';

/**
 * The registry of auth methods: how a definition declares each (`config`), what a user enters
 * for it (`secrets`, also the connect form's JSON Schema), and how it changes a request (`apply`).
 * OAuth 2.0 joins here as one more entry whose `apply` refreshes its token first.
 */
export const authMethods = {
  api_key: { config: apiKeyAuthConfig, secrets: apiKeySecrets, apply: applyApiKey },
  bearer: { config: bearerAuthConfig, secrets: bearerSecrets, apply: applyBearer },
  basic: { config: basicAuthConfig, secrets: basicSecrets, apply: applyBasic },
  none: { config: noAuthConfig, secrets: noSecrets, apply: applyNoAuth },
  connection_string: { config: connectionStringAuthConfig, secrets: connectionStringSecrets, apply: applyConnectionString },
} as const;

export type AuthMethodName = keyof typeof authMethods;

export const authConfig = z.discriminatedUnion('method', [apiKeyAuthConfig, bearerAuthConfig, basicAuthConfig, noAuthConfig, connectionStringAuthConfig]);
export type AuthConfig = z.infer<typeof authConfig>;

/** The JSON Schema of the secrets a user enters for this method (the connect form); every field is write-only. */
export function secretsJsonSchema(method: AuthMethodName): Record<string, unknown> {
  const schema = z.toJSONSchema(authMethods[method].secrets) as { properties?: Record<string, Record<string, unknown>> };
  for (const property of Object.values(schema.properties ?? {})) Object.assign(property, { writeOnly: true, format: 'password' });
  return schema as Record<string, unknown>;
}

/**
 * Checks the secrets against the method and returns a function that authenticates requests.
 * A missing or malformed secret is a 400 naming the field.
 */
export function authApplier(config: AuthConfig, secrets: unknown): (request: HttpRequest) => HttpRequest {
  const method = authMethods[config.method];
  const parsed = method.secrets.safeParse(secrets ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'secrets';
    throw new TributaryError('validation_failed', `${field}: ${issue.message}`, { details: { fields: [{ field, message: issue.message }] } });
  }
  // Each entry's apply takes its own config and secrets; the registry keeps them paired.
  const apply = method.apply as (c: AuthConfig, s: unknown, r: HttpRequest) => HttpRequest;
  return (request) => apply(config, parsed.data, request);
}
