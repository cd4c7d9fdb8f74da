import { z } from 'zod';
import type { TributaryError } from '../../../domain/errors.js';
import { invalidField } from '../../../domain/errors.js';
import type { HttpRequest } from '../http.js';
import { apiKeyAuthConfig, apiKeySecrets, applyApiKey, hintApiKey } from './api-key-auth.js';
import { applyBasic, basicAuthConfig, basicSecrets, hintBasic } from './basic-auth.js';
import { applyBearer, bearerAuthConfig, bearerSecrets, hintBearer } from './bearer-auth.js';
import { applyConnectionString, connectionStringAuthConfig, connectionStringSecrets, hintConnectionString } from './connection-string-auth.js';
import { applyNoAuth, hintNoAuth, noAuthConfig, noSecrets } from './no-auth.js';
import { applyOAuth2, hintOAuth2, oauth2AuthConfig, oauth2Secrets } from './oauth2-auth.js';

/**
 * The registry of auth methods: how a definition declares each (`config`), what a user enters
 * for it (`secrets`, also the connect form's JSON Schema), and how it changes a request (`apply`).
 * OAuth 2.0's tokens are kept fresh before a request is built (`engine/connections/token-keeper.ts`).
 */
export const authMethods = {
  api_key: { config: apiKeyAuthConfig, secrets: apiKeySecrets, apply: applyApiKey, hint: hintApiKey },
  bearer: { config: bearerAuthConfig, secrets: bearerSecrets, apply: applyBearer, hint: hintBearer },
  basic: { config: basicAuthConfig, secrets: basicSecrets, apply: applyBasic, hint: hintBasic },
  none: { config: noAuthConfig, secrets: noSecrets, apply: applyNoAuth, hint: hintNoAuth },
  connection_string: { config: connectionStringAuthConfig, secrets: connectionStringSecrets, apply: applyConnectionString, hint: hintConnectionString },
  oauth2: { config: oauth2AuthConfig, secrets: oauth2Secrets, apply: applyOAuth2, hint: hintOAuth2 },
} as const;

export type AuthMethodName = keyof typeof authMethods;

export const authConfig = z.discriminatedUnion('method', [apiKeyAuthConfig, bearerAuthConfig, basicAuthConfig, noAuthConfig, connectionStringAuthConfig, oauth2AuthConfig]);
export type AuthConfig = z.infer<typeof authConfig>;

/** The JSON Schema of the secrets a user enters for this method (the connect form); every field is write-only. */
export function secretsJsonSchema(method: AuthMethodName): Record<string, unknown> {
  const schema = z.toJSONSchema(authMethods[method].secrets) as { properties?: Record<string, Record<string, unknown>> };
  for (const property of Object.values(schema.properties ?? {})) Object.assign(property, { writeOnly: true, format: 'password' });
  return schema as Record<string, unknown>;
}

/**
 * Checks the secrets a user entered for a method: the normalised secrets and the masked hint shown
 * in their place from then on. A missing or malformed secret is a 400 naming the field (`secrets.token`).
 */
export function checkSecrets(method: AuthMethodName, secrets: unknown): { secrets: Record<string, unknown>; hint: string } {
  const entry = authMethods[method];
  const parsed = entry.secrets.safeParse(secrets ?? {});
  if (!parsed.success) throw secretsError(parsed.error, 'secrets.');
  const hint = entry.hint as (s: unknown) => string;
  return { secrets: parsed.data, hint: hint(parsed.data) };
}

function secretsError(error: z.ZodError, prefix = ''): TributaryError {
  const issue = error.issues[0]!;
  const field = issue.path.length > 0 ? `${prefix}${issue.path.join('.')}` : 'secrets';
  return invalidField(field, issue.message);
}

/**
 * Checks the secrets against the method and returns a function that authenticates requests.
 * A missing or malformed secret is a 400 naming the field.
 */
export function authApplier(config: AuthConfig, secrets: unknown): (request: HttpRequest) => HttpRequest {
  const method = authMethods[config.method];
  const parsed = method.secrets.safeParse(secrets ?? {});
  if (!parsed.success) throw secretsError(parsed.error);
  // Each entry's apply takes its own config and secrets; the registry keeps them paired.
  const apply = method.apply as (c: AuthConfig, s: unknown, r: HttpRequest) => HttpRequest;
  return (request) => apply(config, parsed.data, request);
}
