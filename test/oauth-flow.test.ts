import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineConnector } from '../src/connectors/runtime/define.js';
import { oauthHttpSandbox, type SandboxOAuthServer } from '../src/connectors/sandboxes/index.js';
import { readCredentialSecret } from '../src/store/credential-repository.js';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from './support/api.js';
import { consent, returnToHub, startSignIn } from './support/oauth.js';

/**
 * The OAuth 2.0 sign-in end to end: the hub's API (inject), the sandbox's authorization server
 * over real loopback HTTP (consent page, form post, token endpoint with PKCE), the vault. The
 * vendor is a small one of this file's own, so every refusal can be provoked.
 */
const acme = defineConnector({
  id: 'acme_oauth',
  name: 'Acme Analytics',
  kind: 'api',
  category: 'analytics',
  description: 'A vendor that signs in with OAuth 2.0.',
  docs: 'https://acme.test/docs',
  baseUrl: 'https://api.acme.test',
  auth: [{ method: 'oauth2', provider: 'acme', authorizationUrl: 'https://login.acme.test/authorize', tokenUrl: 'https://login.acme.test/token', scopes: ['reports.read', 'offline'] }],
  testStream: 'reports',
  streams: { reports: { request: { path: '/reports' }, records: 'data', primaryKey: 'id' } },
});

let authServer: SandboxOAuthServer | undefined;
const sandboxToken = 'acme-sandbox-fixed-token-0000';
const acmeSandbox = oauthHttpSandbox(
  'Acme',
  (oauth) => {
    authServer = oauth;
    return {
      auth: (headers) => {
        const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1] ?? '';
        return token === sandboxToken || oauth.isValidToken(token);
      },
      routes: [{ method: 'GET', path: '/reports', handle: () => ({ body: { data: [{ id: 'r1', sessions: 12 }] } }) }],
    };
  },
  { accessToken: sandboxToken },
);

let now = Date.now();
let t: TestApi;
let a: Tenant;

beforeAll(async () => {
  t = await startTestApi({ connectors: [acme], sandboxes: { acme_oauth: acmeSandbox }, oauth: { apps: {}, returnOrigins: ['https://app.example.test'] }, tokenClock: () => now });
  a = await signUpTenant(t.api, 'oauth');
});
afterAll(() => t.close());

async function oauthConnection(tenant = a, mode: 'sandbox' | 'live' = 'sandbox'): Promise<string> {
  const res = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: tenant.session, body: { connectorId: 'acme_oauth', mode, authMethod: 'oauth2' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const start = (connectionId: string, tenant = a, returnTo?: string) => startSignIn(t.api, tenant, 'acme_oauth', connectionId, returnTo);
const callback = (url: URL, tenant: Tenant | undefined = a) => returnToHub(t.api, url, tenant);

async function connection(id: string, tenant = a) {
  return (await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}`, auth: tenant.session })).json();
}

/** The connection's secrets as the engine reads them: through the vault. */
async function storedSecrets(tenant: Tenant, connectionId: string): Promise<Record<string, string> | undefined> {
  return t.store.db.withWorkspace(tenant.workspaceId, async (tx) => {
    const [row] = await tx.query<{ credential_id: string | null }>(`SELECT credential_id FROM connections WHERE id = $1`, [connectionId]);
    if (!row?.credential_id) return undefined;
    return JSON.parse(await readCredentialSecret(tx, t.vault, tenant.workspaceId, row.credential_id)) as Record<string, string>;
  });
}

describe('OAuth sign-in', () => {
  it('signs a connection in: consent, code exchange with PKCE, tokens in the vault, connection tested and connected', async () => {
    const id = await oauthConnection();
    const authorize = await start(id);
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'tributary-sandbox-client',
      redirect_uri: 'http://localhost:3000/api/v1/oauth/callback',
      scope: 'reports.read offline',
      code_challenge_method: 'S256',
    });
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);

    const res = await callback(await consent(authorize));
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe(`http://localhost:3000/connections/${id}?connection=${id}&oauth=connected`);
    const view = await connection(id);
    expect(view.status).toBe('connected');
    expect(view.credential.hint).toMatch(/^OAuth sbx-…/);
    expect(JSON.stringify(view)).not.toContain('sbx-rt-');
    const secrets = (await storedSecrets(a, id))!;
    expect(secrets).toMatchObject({ accessToken: expect.stringMatching(/^sbx-at-/), refreshToken: expect.stringMatching(/^sbx-rt-/), scope: 'reports.read offline' });
    expect(authServer!.isValidToken(secrets.accessToken!)).toBe(true);
    const events = (await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}/events`, auth: a.session })).json();
    expect(JSON.stringify(events)).toContain('connection.authorized');
    expect(JSON.stringify(events)).not.toContain(secrets.accessToken);
  });

  it('returns to a registered host application, and refuses a returnTo elsewhere before any redirect', async () => {
    const id = await oauthConnection();
    const res = await callback(await consent(await start(id, a, 'https://app.example.test/integrations?tab=ga4')));
    expect(res.headers.location).toBe(`https://app.example.test/integrations?tab=ga4&connection=${id}&oauth=connected`);
    const evil = await call(t.api, { method: 'GET', url: `/api/v1/oauth/acme_oauth/start?connectionId=${id}&returnTo=${encodeURIComponent('https://evil.example/steal')}`, auth: a.session });
    expect(evil.statusCode).toBe(400);
    expect(evil.json().error.message).toContain('returnTo: must be a URL on http://localhost:3000 or https://app.example.test');
  });

  it('gives a host application the URL as JSON when asked', async () => {
    const id = await oauthConnection();
    const res = await call(t.api, { method: 'GET', url: `/api/v1/oauth/acme_oauth/start?connectionId=${id}`, auth: a.apiKey, headers: { accept: 'application/json' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().authorizationUrl).toContain('/oauth/authorize?');
  });

  it('a replayed callback is refused with a page, and the first sign-in stands', async () => {
    const id = await oauthConnection();
    const url = await consent(await start(id));
    expect((await callback(url)).statusCode).toBe(302);
    const before = await storedSecrets(a, id);
    const replay = await callback(url);
    expect(replay.statusCode).toBe(400);
    expect(replay.headers['content-type']).toContain('text/html');
    expect(replay.body).toContain('already used');
    expect(await storedSecrets(a, id)).toEqual(before);
  });

  it('a missing, unknown or expired state ends on a 400 page and stores nothing', async () => {
    const id = await oauthConnection();
    const url = await consent(await start(id));
    const noState = new URL(url);
    noState.searchParams.delete('state');
    expect((await callback(noState)).body).toContain('sent no state back');
    const unknown = new URL(url);
    unknown.searchParams.set('state', 'x'.repeat(43));
    const unknownAnswer = await callback(unknown);
    expect(unknownAnswer.statusCode).toBe(400);
    expect(unknownAnswer.body).toContain('not one this hub issued');
    await t.store.db.asSystem((tx) => tx.query(`UPDATE oauth_states SET expires_at = now() - interval '1 second' WHERE connection_id = $1`, [id]));
    const expired = await callback(url);
    expect(expired.statusCode).toBe(400);
    expect(expired.body).toContain('expired');
    expect(await storedSecrets(a, id)).toBeUndefined();
  });

  it('a state started by another user is refused, even when that user is signed in to the same hub', async () => {
    const id = await oauthConnection();
    const url = await consent(await start(id));
    const b = await signUpTenant(t.api, 'other');
    const res = await callback(url, b);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('started by another user');
    expect(await storedSecrets(a, id)).toBeUndefined();
  });

  it('a PKCE mismatch is refused by the provider: a page, no token stored', async () => {
    const id = await oauthConnection();
    const url = await consent(await start(id));
    await t.store.db.asSystem((tx) => tx.query(`UPDATE oauth_states SET code_verifier = $2 WHERE connection_id = $1`, [id, 'v'.repeat(64)]));
    const res = await callback(url);
    expect(res.statusCode).toBe(502);
    expect(res.body).toContain('invalid_grant');
    expect(await storedSecrets(a, id)).toBeUndefined();
    expect((await connection(id)).status).toBe('configuring');
  });

  it('the provider’s error=access_denied ends on a 400 page, no token stored', async () => {
    const id = await oauthConnection();
    const res = await callback(await consent(await start(id), 'deny'));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Access was not granted');
    expect(await storedSecrets(a, id)).toBeUndefined();
  });

  it('live mode without the operator’s app names the variables to set', async () => {
    const id = await oauthConnection(a, 'live');
    const res = await call(t.api, { method: 'GET', url: `/api/v1/oauth/acme_oauth/start?connectionId=${id}`, auth: a.session });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'oauth_not_configured' });
    expect(res.json().error.message).toContain('TRIBUTARY_OAUTH_ACME_CLIENT_ID and TRIBUTARY_OAUTH_ACME_CLIENT_SECRET');
  });

  it('tokens are not typed in: secrets for an OAuth connection are refused', async () => {
    const res = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'acme_oauth', mode: 'live', authMethod: 'oauth2', secrets: { accessToken: 'x' } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('signs in with OAuth');
  });

  it('another workspace cannot start a sign-in for a connection that is not its own', async () => {
    const id = await oauthConnection();
    const b = await signUpTenant(t.api, 'stranger');
    const res = await call(t.api, { method: 'GET', url: `/api/v1/oauth/acme_oauth/start?connectionId=${id}`, auth: b.session });
    expect(res.statusCode).toBe(404);
  });
});

describe('OAuth tokens', () => {
  async function signedIn(): Promise<string> {
    const id = await oauthConnection();
    expect((await callback(await consent(await start(id)))).statusCode).toBe(302);
    return id;
  }
  const connectionRow = async (id: string) => t.store.db.withWorkspace(a.workspaceId, async (tx) => (await import('../src/store/connection-repository.js')).getConnection(tx, a.workspaceId, id));

  it('an access token about to expire is refreshed once for concurrent users, and the rotated refresh token is stored', async () => {
    const id = await signedIn();
    const before = (await storedSecrets(a, id))!;
    const refreshes = authServer!.refreshCount;
    now += 3_600_000 - 60_000; // a minute before expiry: inside the five-minute margin
    try {
      const row = (await connectionRow(id))!;
      const [first, second] = (await Promise.all([t.tokens.fresh(row, before), t.tokens.fresh(row, before)])) as Array<Record<string, string>>;
      expect(authServer!.refreshCount - refreshes).toBe(1);
      expect(first!.accessToken).toBe(second!.accessToken);
      expect(first!.accessToken).not.toBe(before.accessToken);
      const stored = (await storedSecrets(a, id))!;
      expect(stored.refreshToken).not.toBe(before.refreshToken);
      expect(stored.accessToken).toBe(first!.accessToken);
    } finally {
      now = Date.now();
    }
  });

  it('disconnect revokes the grant at the provider, then deletes the tokens', async () => {
    const id = await signedIn();
    const { accessToken } = (await storedSecrets(a, id))!;
    expect(authServer!.isValidToken(accessToken!)).toBe(true);
    const res = await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/disconnect`, auth: a.session });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'disconnected', credential: null });
    expect(await storedSecrets(a, id)).toBeUndefined();
    // Revoking the refresh token ended the grant, its access token with it.
    expect(authServer!.isValidToken(accessToken!)).toBe(false);
    const events = JSON.stringify((await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}/events`, auth: a.session })).json());
    expect(events).toContain('The provider revoked the access.');
  });

  it('invalid_grant on refresh puts the connection in error with reauth_required and an event', async () => {
    const id = await signedIn();
    authServer!.revokeAll();
    now += 3_600_000;
    try {
      const res = await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/test`, auth: a.session });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ ok: false, error: { code: 'reauth_required' } });
      const view = await connection(id);
      expect(view.status).toBe('error');
      expect(view.lastError.code).toBe('reauth_required');
      const events = JSON.stringify((await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}/events`, auth: a.session })).json());
      expect(events).toContain('reauth_required');
    } finally {
      now = Date.now();
    }
  });
});
