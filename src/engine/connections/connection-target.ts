import type { ConnectionMode } from '../../domain/connections.js';
import { TributaryError } from '../../domain/errors.js';
import type { ConnectorDefinition } from '../../connectors/runtime/define.js';
import type { OAuth2AuthConfig } from '../../connectors/runtime/auth/oauth2-auth.js';
import { OAuthClient, type OAuthApp } from '../../connectors/runtime/oauth-client.js';
import { fillPath } from '../../connectors/runtime/read-stream.js';
import type { RateLimit } from '../../connectors/runtime/token-bucket.js';
import type { SandboxHost } from '../../connectors/sandboxes/index.js';

/**
 * Where a connection's requests go and with what, decided in one place for tests and syncs alike.
 * Sandbox mode: the connector's loopback sandbox (started on demand), its seeded credentials unless
 * the user entered others (so a wrong key can be tried), and its config where the user gave none.
 * Live mode: the vendor itself, at the connection's own instance URL (a `baseUrl` config field),
 * else the operator's `TRIBUTARY_<ID>_BASE_URL`, else the definition's, its `{name}` placeholders
 * filled from the config (Shopify's `https://{shop}`), held to the operator's
 * `TRIBUTARY_<ID>_RATE_LIMIT` where set, else the definition's. Live mode never falls back to
 * sandbox data, and is refused while the operator has switched it off.
 */
export interface ConnectorSwitch {
  /** `TRIBUTARY_<ID>_BASE_URL`: a proxy, a regional endpoint, a test double. */
  baseUrl?: string;
  /** `TRIBUTARY_<ID>_LIVE`; live mode is allowed unless this is false. */
  live?: boolean;
  /** `TRIBUTARY_<ID>_RATE_LIMIT`: an account's own limit (HubSpot's is higher on paid plans), or `off` for a test double that has none. */
  rateLimit?: RateLimit | 'off';
}

export type ConnectorSwitches = Readonly<Record<string, ConnectorSwitch>>;

export interface ConnectionTarget {
  source: ConnectionMode;
  baseUrl: string | undefined;
  config: Record<string, unknown>;
  secrets: unknown;
  /** What the connection's requests are held to; undefined for none. */
  rateLimit: RateLimit | undefined;
}

export function assertLiveAllowed(definition: ConnectorDefinition, switches: ConnectorSwitches): void {
  if (switches[definition.id]?.live === false) {
    throw new TributaryError(
      'live_disabled',
      `Live mode is switched off for ${definition.name} on this hub (TRIBUTARY_${definition.id.toUpperCase()}_LIVE=false); create the connection in sandbox mode, or ask the operator to switch it on.`,
      { details: { connectorId: definition.id } },
    );
  }
}

export async function resolveTarget(input: {
  definition: ConnectorDefinition;
  mode: ConnectionMode;
  config: Record<string, unknown>;
  /** The decrypted secrets, or undefined when the connection has none. */
  secrets: unknown;
  sandboxes: SandboxHost;
  switches: ConnectorSwitches;
}): Promise<ConnectionTarget> {
  const { definition, mode, config, secrets, sandboxes, switches } = input;
  if (mode === 'sandbox') {
    if (!sandboxes.has(definition.id)) throw new TributaryError('validation_failed', `${definition.name} has no sandbox; use live mode.`, { details: { field: 'mode' } });
    const sandbox = await sandboxes.get(definition.id);
    // A database sandbox's secret is also its address: a user's own connection string must never be read as sandbox data.
    const ownSecrets = sandbox.baseUrl !== undefined && secrets !== undefined;
    const { baseUrl: _ignored, ...userConfig } = config;
    return { source: 'sandbox', baseUrl: sandbox.baseUrl, config: { ...sandbox.config, ...userConfig }, secrets: ownSecrets ? secrets : sandbox.secrets, rateLimit: definition.rateLimit };
  }
  assertLiveAllowed(definition, switches);
  const instanceUrl = typeof config.baseUrl === 'string' && config.baseUrl !== definition.config.baseUrl?.default ? config.baseUrl : undefined;
  const template = switches[definition.id]?.baseUrl ?? definition.baseUrl;
  const rateLimit = switches[definition.id]?.rateLimit ?? definition.rateLimit;
  return {
    source: 'live',
    baseUrl: instanceUrl ?? (template === undefined ? undefined : fillPath(template, config)),
    config,
    secrets: secrets ?? {},
    rateLimit: rateLimit === 'off' ? undefined : rateLimit,
  };
}

/** The operator's OAuth apps by provider (`TRIBUTARY_OAUTH_<PROVIDER>_CLIENT_ID` / `_CLIENT_SECRET`). */
export type OAuthApps = Readonly<Record<string, OAuthApp>>;

/**
 * The OAuth client of a connection: in sandbox mode, the sandbox's own authorization server
 * (`<sandbox>/oauth/…`) and the client it knows; live, the definition's endpoints (placeholders
 * filled from the connection's config) and the operator's app for the provider, or
 * `oauth_not_configured` naming the variables to set. The connector's `verifyOAuthCallback` hook,
 * if any, checks each callback with that app's secret.
 */
export async function resolveOAuthClient(input: {
  definition: ConnectorDefinition;
  auth: OAuth2AuthConfig;
  mode: ConnectionMode;
  /** The connection's config, for endpoints that differ per account (`https://{shop}/admin/oauth/authorize`). */
  config: Record<string, unknown>;
  sandboxes: SandboxHost;
  apps: OAuthApps;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}): Promise<OAuthClient> {
  const { definition, auth, mode } = input;
  const fetch = { ...(input.fetch ? { fetch: input.fetch } : {}), ...(input.now ? { now: input.now } : {}) };
  if (mode === 'sandbox') {
    const sandbox = await input.sandboxes.get(definition.id);
    if (!sandbox.baseUrl || !sandbox.oauthClient) throw new TributaryError('validation_failed', `${definition.name}'s sandbox has no sign-in; use the sandbox's own credentials.`);
    const endpoints = { ...auth, authorizationUrl: `${sandbox.baseUrl}/oauth/authorize`, tokenUrl: `${sandbox.baseUrl}/oauth/token`, revocationUrl: `${sandbox.baseUrl}/oauth/revoke` };
    return new OAuthClient({ endpoints, app: sandbox.oauthClient, ...fetch, ...callbackCheck(definition, sandbox.oauthClient, { ...sandbox.config, ...input.config }) });
  }
  const app = input.apps[auth.provider];
  if (!app) {
    const prefix = `TRIBUTARY_OAUTH_${auth.provider.toUpperCase()}_CLIENT_`;
    throw new TributaryError('oauth_not_configured', `This hub has no OAuth app for ${definition.name}: the operator sets ${prefix}ID and ${prefix}SECRET (the app's redirect URL is <TRIBUTARY_PUBLIC_URL>/api/v1/oauth/callback).`, {
      details: { provider: auth.provider },
    });
  }
  const fill = (url: string) => fillPath(url, input.config);
  const endpoints = {
    ...auth,
    authorizationUrl: fill(auth.authorizationUrl),
    tokenUrl: fill(auth.tokenUrl),
    ...(auth.issuer ? { issuer: fill(auth.issuer) } : {}),
    ...(auth.revocationUrl ? { revocationUrl: fill(auth.revocationUrl) } : {}),
  };
  return new OAuthClient({ endpoints, app, ...fetch, ...callbackCheck(definition, app, input.config) });
}

function callbackCheck(definition: ConnectorDefinition, app: OAuthApp, config: Record<string, unknown>): { verifyCallback?: (callback: URLSearchParams) => string | undefined } {
  const verify = definition.hooks?.verifyOAuthCallback;
  return verify ? { verifyCallback: (callback) => verify(callback, { clientSecret: app.clientSecret, config }) } : {};
}
