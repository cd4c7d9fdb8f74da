import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TributaryError } from '../../domain/errors.js';
import type { OAuth2AuthConfig } from './auth/oauth2-auth.js';
import { OAuthClient, type OAuthApp } from './oauth-client.js';

/**
 * OAuthClient against an authorization server it was not written with: panva's oidc-provider
 * (OpenID certified), on loopback. Our sandbox server (sandboxes/oauth-server.ts) grew up beside
 * the client and can share its misreadings of the RFCs; this one cannot. The user's browser is
 * played with fetch, a cookie jar and redirects followed by hand.
 */

type ClientAuth = OAuth2AuthConfig['clientAuth'];

const clientAuths: ClientAuth[] = ['client_secret_post', 'client_secret_basic'];
const apps: Record<ClientAuth, OAuthApp> = {
  client_secret_post: { clientId: 'tributary-post', clientSecret: 'post-secret-4f1c9a7e2b8d' },
  client_secret_basic: { clientId: 'tributary-basic', clientSecret: 'basic-secret-93e0d6a1c5f7' },
};
// Never served: the browser stops at the redirect and hands its query to the hub.
const redirectUri = 'http://127.0.0.1:9/cb';
const accessTokenSeconds = 300;

interface AuthorizationServer {
  issuer: string;
  close(): Promise<void>;
}

/** oidc-provider on a random loopback port; `path` mounts it below the root, as Keycloak's `/realms/<realm>`. */
async function startAuthorizationServer(path = ''): Promise<AuthorizationServer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  const clients: ClientMetadata[] = clientAuths.map((method) => ({
    client_id: apps[method].clientId,
    client_secret: apps[method].clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: method,
  }));
  const provider = new Provider(issuer, {
    clients,
    pkce: { methods: ['S256'], required: () => true },
    features: { devInteractions: { enabled: true }, revocation: { enabled: true } },
    // issueRefreshToken keeps its default, as real providers do: only for `offline_access` granted with `prompt=consent`.
    rotateRefreshToken: true,
    ttl: { AccessToken: accessTokenSeconds },
    // Signs its session cookies; without keys it warns that tampering goes unnoticed.
    cookies: { keys: ['oidc-test-cookie-key'] },
  });
  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // Strips the mount path as express does; oidc-provider reads it back from `originalUrl`.
    if (path && req.url?.startsWith(path)) Object.assign(req, { originalUrl: req.url, url: req.url.slice(path.length) || '/' });
    void handle(req, res);
  });
  return { issuer, close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))) };
}

function oauthClient(issuer: string, clientAuth: ClientAuth, app: OAuthApp = apps[clientAuth]): OAuthClient {
  return new OAuthClient({
    endpoints: {
      issuer,
      authorizationUrl: `${issuer}/auth`,
      tokenUrl: `${issuer}/token`,
      revocationUrl: `${issuer}/token/revocation`,
      clientAuth,
      scopes: ['openid', 'offline_access'],
      scopeSeparator: ' ',
      authorizationParams: { prompt: 'consent' },
    },
    app,
  });
}

/**
 * The user's browser from the authorization URL back to the redirect URI: it keeps cookies,
 * follows redirects and fills oidc-provider's development login and consent forms (or presses
 * their Cancel link), and answers with the callback's query.
 */
async function browse(authorizationUrl: URL, options: { deny?: boolean } = {}): Promise<URLSearchParams> {
  const cookies = new Map<string, string>();
  let next: { url: string; form?: Record<string, string> } = { url: authorizationUrl.href };
  for (let step = 0; step < 20; step++) {
    if (next.url.startsWith(redirectUri)) return new URL(next.url).searchParams;
    const response = await fetch(next.url, {
      method: next.form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
      ...(next.form ? { body: new URLSearchParams(next.form) } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      // A cookie is cleared with an empty value and a past expiry.
      if (value) cookies.set(name, value);
      else cookies.delete(name);
    }
    const location = response.headers.get('location');
    const page = await response.text();
    if (location) {
      next = { url: new URL(location, next.url).href };
      continue;
    }
    const action = /<form[^>]* action="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    const cancel = /href="([^"]+\/abort)"/.exec(page)?.[1];
    if (options.deny && cancel) next = { url: new URL(cancel, next.url).href };
    else if (action && prompt === 'login') next = { url: new URL(action, next.url).href, form: { prompt, login: 'ada', password: 'any' } };
    else if (action && prompt === 'consent') next = { url: new URL(action, next.url).href, form: { prompt } };
    else throw new Error(`Unexpected page from the authorization server (HTTP ${response.status}): ${page.slice(0, 300)}`);
  }
  throw new Error('The authorization server never redirected back to the redirect URI.');
}

interface Authorization {
  callback: URLSearchParams;
  state: string;
  codeVerifier: string;
}

async function authorize(client: OAuthClient, options: { deny?: boolean } = {}): Promise<Authorization> {
  const state = randomUUID();
  const { verifier, challenge } = await OAuthClient.pkce();
  const callback = await browse(client.authorizationUrl({ redirectUri, state, codeChallenge: challenge }), options);
  return { callback, state, codeVerifier: verifier };
}

/** The code of the TributaryError the promise rejects with; anything else it settles with, to show in the failure. */
async function errorCode(promise: Promise<unknown>): Promise<unknown> {
  try {
    return { resolved: await promise };
  } catch (error) {
    return error instanceof TributaryError ? error.code : error;
  }
}

let authorizationServer: AuthorizationServer;

beforeAll(async () => {
  // oidc-provider announces its development defaults (keys, in-memory store, dev interactions) on
  // the console, where nothing else in this file writes.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  authorizationServer = await startAuthorizationServer();
});

afterAll(async () => {
  await authorizationServer?.close();
  vi.restoreAllMocks();
});

describe.each(clientAuths)('OAuthClient with %s against oidc-provider', (clientAuth) => {
  const client = () => oauthClient(authorizationServer.issuer, clientAuth);

  it('exchanges the code for an access token, a refresh token and when the access token expires', async () => {
    const authorization = await authorize(client());
    const before = Date.now();
    const secrets = await client().exchange({ ...authorization, redirectUri });
    const after = Date.now();

    expect(secrets.accessToken).toEqual(expect.any(String));
    expect(secrets.refreshToken).toEqual(expect.any(String));
    const expiresAt = Date.parse(secrets.expiresAt ?? '');
    expect(expiresAt).toBeGreaterThanOrEqual(before + accessTokenSeconds * 1000);
    expect(expiresAt).toBeLessThanOrEqual(after + accessTokenSeconds * 1000);
  });

  it('answers a wrong client secret with oauth_not_configured, leaving the code good for the right one', async () => {
    const authorization = await authorize(client());
    const wrongSecret = oauthClient(authorizationServer.issuer, clientAuth, { ...apps[clientAuth], clientSecret: 'not-the-secret' });

    expect(await errorCode(wrongSecret.exchange({ ...authorization, redirectUri }))).toBe('oauth_not_configured');
    await expect(client().exchange({ ...authorization, redirectUri })).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('refreshes into a new access token and a rotated refresh token, after which the old one is refused', async () => {
    const connected = await client().exchange({ ...(await authorize(client())), redirectUri });
    const refreshed = await client().refresh(connected);

    expect(refreshed.accessToken).not.toBe(connected.accessToken);
    expect(refreshed.refreshToken).toEqual(expect.any(String));
    expect(refreshed.refreshToken).not.toBe(connected.refreshToken);
    expect(Date.parse(refreshed.expiresAt ?? '')).toBeGreaterThan(Date.now());
    expect(await errorCode(client().refresh(connected))).toBe('reauth_required');
  });

  it('revokes the grant, after which refreshing needs the user again', async () => {
    const connected = await client().exchange({ ...(await authorize(client())), redirectUri });

    await expect(client().revoke(connected)).resolves.toBe(true);
    expect(await errorCode(client().refresh(connected))).toBe('reauth_required');
  });
});

describe('OAuthClient checks the callback and the code against oidc-provider', () => {
  const client = () => oauthClient(authorizationServer.issuer, 'client_secret_post');

  it('refuses a callback whose state is not the one the hub issued', async () => {
    const authorization = await authorize(client());

    expect(await errorCode(client().exchange({ ...authorization, state: randomUUID(), redirectUri }))).toBe('oauth_state_invalid');
    await expect(client().exchange({ ...authorization, redirectUri })).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('answers a user who cancels at the provider with oauth_denied', async () => {
    const authorization = await authorize(client(), { deny: true });

    expect(authorization.callback.get('error')).toBe('access_denied');
    expect(await errorCode(client().exchange({ ...authorization, redirectUri }))).toBe('oauth_denied');
  });

  it('fails the exchange with another PKCE verifier, and the code still exchanges with its own', async () => {
    const authorization = await authorize(client());
    const { verifier: otherVerifier } = await OAuthClient.pkce();

    expect(await errorCode(client().exchange({ ...authorization, codeVerifier: otherVerifier, redirectUri }))).toBe('oauth_exchange_failed');
    await expect(client().exchange({ ...authorization, redirectUri })).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('fails a second exchange of the same code', async () => {
    const authorization = await authorize(client());

    await client().exchange({ ...authorization, redirectUri });
    expect(await errorCode(client().exchange({ ...authorization, redirectUri }))).toBe('oauth_exchange_failed');
  });
});

describe('OAuthClient against oidc-provider mounted below the root', () => {
  let mounted: AuthorizationServer;

  beforeAll(async () => {
    mounted = await startAuthorizationServer('/realms/tributary');
  });

  afterAll(async () => {
    await mounted?.close();
  });

  // The issuer here is `<origin>/realms/tributary` (as a Keycloak realm's), not the origin: the
  // definition names it, and both the callback's `iss` (RFC 9207) and the ID token's are checked against it.
  it('accepts the callback of a provider whose issuer has a path', async () => {
    const client = oauthClient(mounted.issuer, 'client_secret_post');
    const authorization = await authorize(client);

    expect(authorization.callback.get('iss')).toBe(mounted.issuer);
    await expect(client.exchange({ ...authorization, redirectUri })).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('accepts the ID token of a provider whose issuer has a path, when its callback carries no iss', async () => {
    const client = oauthClient(mounted.issuer, 'client_secret_post');
    const authorization = await authorize(client);
    authorization.callback.delete('iss');

    await expect(client.exchange({ ...authorization, redirectUri })).resolves.toMatchObject({ accessToken: expect.any(String) });
  });
});
