import { z } from 'zod';
import { maskSecret } from '../../../domain/mask.js';
import type { HttpRequest } from '../http.js';

/**
 * OAuth 2.0, authorization code with PKCE: the hub sends the user to the provider, exchanges the
 * code and keeps the tokens in the vault (`api/routes/oauth.ts`, `connectors/runtime/oauth-client.ts`).
 * The definition says where the provider's endpoints are and what to ask for; the app's client id
 * and secret come from the operator's environment (`TRIBUTARY_OAUTH_<PROVIDER>_CLIENT_ID`).
 */
export const oauth2AuthConfig = z.object({
  method: z.literal('oauth2'),
  label: z.string().default('Sign in'),
  /** Names the operator's app credentials: `google` reads `TRIBUTARY_OAUTH_GOOGLE_CLIENT_ID` and `_CLIENT_SECRET`. */
  provider: z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, 'must be lower-case letters, digits and "_"'),
  /**
   * The provider's issuer identifier, checked against the callback's `iss` (RFC 9207) and an ID
   * token's; the authorization URL's origin when left out. Set it where the issuer has a path
   * (a Keycloak realm, a Microsoft Entra tenant).
   */
  issuer: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The endpoint URLs may hold `{name}` placeholders for a provider whose endpoints differ per
   * account (Shopify's `https://{shop}/admin/oauth/authorize`), filled from the connection's
   * config; each must name a config field, checked when the definition loads.
   */
  authorizationUrl: z.url({ protocol: /^https?$/ }),
  tokenUrl: z.url({ protocol: /^https?$/ }),
  /** RFC 7009 revocation, used on disconnect where the provider has it. */
  revocationUrl: z.url({ protocol: /^https?$/ }).optional(),
  scopes: z.array(z.string().min(1)).default([]),
  /** Most providers separate scopes with a space; a few (Meta) with a comma. */
  scopeSeparator: z.string().default(' '),
  /** Extra parameters of the authorization request, such as Google's `access_type=offline`. */
  authorizationParams: z.record(z.string(), z.string()).default({}),
  clientAuth: z.enum(['client_secret_post', 'client_secret_basic']).default('client_secret_post'),
  /**
   * For a provider that issues no refresh token: the grant that trades a sign-in's short-lived
   * access token for a long-lived one, sent to the token endpoint right after the code exchange
   * (Meta: `grant_type=fb_exchange_token` with the token in `fb_exchange_token`, about 60 days).
   */
  longLivedGrant: z.strictObject({ grantType: z.string().min(1), tokenParam: z.string().min(1) }).optional(),
  /** How requests carry the access token: `Authorization: Bearer <token>` unless the provider wants its own header (Shopify: `X-Shopify-Access-Token`, no prefix). */
  tokenHeader: z.strictObject({ name: z.string().min(1), prefix: z.string() }).default({ name: 'authorization', prefix: 'Bearer ' }),
});
export type OAuth2AuthConfig = z.infer<typeof oauth2AuthConfig>;

/** What the vault keeps for an OAuth connection: written by the hub after the exchange, never typed in by a user. */
export const oauth2Secrets = z.object({
  accessToken: z.string().min(1, 'accessToken must not be empty'),
  refreshToken: z.string().min(1).optional(),
  /** ISO 8601; absent when the provider gave no lifetime. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  scope: z.string().optional(),
});
export type OAuth2Secrets = z.infer<typeof oauth2Secrets>;

export function applyOAuth2(config: OAuth2AuthConfig, secrets: OAuth2Secrets, request: HttpRequest): HttpRequest {
  const { name, prefix } = config.tokenHeader;
  return { ...request, headers: { ...request.headers, [name]: `${prefix}${secrets.accessToken}` } };
}

export function hintOAuth2(secrets: OAuth2Secrets): string {
  return `OAuth ${maskSecret(secrets.accessToken)}`;
}
