import { afterAll, describe, expect, it } from 'vitest';
import chatwoot from '../../connectors/definitions/chatwoot/chatwoot.connector.js';
import hubspot from '../../connectors/definitions/hubspot/hubspot.connector.js';
import type { OAuth2AuthConfig } from '../../connectors/runtime/auth/oauth2-auth.js';
import { defineConnector } from '../../connectors/runtime/define.js';
import { SandboxHost, type SandboxProvider } from '../../connectors/sandboxes/index.js';
import { isTributaryError } from '../../domain/errors.js';
import { resolveOAuthClient, resolveTarget } from './connection-target.js';

let started = 0;
const fakeSandbox = (baseUrl: string | undefined, secrets: Record<string, string>, config: Record<string, unknown> = {}): SandboxProvider => ({
  async start() {
    started += 1;
    return { baseUrl, secrets, config, close: async () => undefined };
  },
});
const sandboxes = new SandboxHost({
  hubspot: fakeSandbox('http://127.0.0.1:1111', { token: 'pat-sandbox' }),
  chatwoot: fakeSandbox('http://127.0.0.1:2222', { apiKey: 'cw-sandbox' }, { accountId: 7 }),
});
afterAll(() => sandboxes.close());

describe('resolveTarget', () => {
  it('sends a sandbox connection to the sandbox, started once, with its credentials unless the user typed others', async () => {
    const before = started;
    const own = await resolveTarget({ definition: hubspot, mode: 'sandbox', config: {}, secrets: undefined, sandboxes, switches: {} });
    expect(own).toEqual({ source: 'sandbox', baseUrl: 'http://127.0.0.1:1111', config: {}, secrets: { token: 'pat-sandbox' }, rateLimit: hubspot.rateLimit });
    const typed = await resolveTarget({ definition: hubspot, mode: 'sandbox', config: {}, secrets: { token: 'wrong' }, sandboxes, switches: {} });
    expect(typed.secrets).toEqual({ token: 'wrong' });
    expect(started - before).toBe(1);
  });

  it('never lets a sandbox connection reach a URL the user typed', async () => {
    const target = await resolveTarget({ definition: chatwoot, mode: 'sandbox', config: { baseUrl: 'https://chat.example.com', accountId: 3 }, secrets: undefined, sandboxes, switches: {} });
    expect(target).toMatchObject({ baseUrl: 'http://127.0.0.1:2222', config: { accountId: 3 } });
  });

  it('sends a live connection to its own instance, else the operator’s base URL, else the vendor', async () => {
    const switches = { chatwoot: { baseUrl: 'http://proxy.internal' }, hubspot: { baseUrl: 'http://127.0.0.1:9999' } };
    const own = await resolveTarget({ definition: chatwoot, mode: 'live', config: { baseUrl: 'https://chat.example.com', accountId: 3 }, secrets: { apiKey: 'k' }, sandboxes, switches });
    expect(own).toMatchObject({ source: 'live', baseUrl: 'https://chat.example.com' });
    const defaulted = await resolveTarget({ definition: chatwoot, mode: 'live', config: { baseUrl: 'https://app.chatwoot.com', accountId: 3 }, secrets: {}, sandboxes, switches });
    expect(defaulted.baseUrl).toBe('http://proxy.internal');
    expect((await resolveTarget({ definition: hubspot, mode: 'live', config: {}, secrets: {}, sandboxes, switches })).baseUrl).toBe('http://127.0.0.1:9999');
    expect((await resolveTarget({ definition: hubspot, mode: 'live', config: {}, secrets: {}, sandboxes, switches: {} })).baseUrl).toBe('https://api.hubapi.com');
  });

  it("holds a live connection to the operator's rate limit where set, or to none when switched off; a sandbox one to the vendor's", async () => {
    const target = (mode: 'live' | 'sandbox', rateLimit?: { requests: number; perSeconds: number } | 'off') =>
      resolveTarget({ definition: hubspot, mode, config: {}, secrets: {}, sandboxes, switches: rateLimit ? { hubspot: { rateLimit } } : {} });
    expect(hubspot.rateLimit).toBeDefined();
    expect((await target('live')).rateLimit).toEqual(hubspot.rateLimit);
    expect((await target('live', { requests: 190, perSeconds: 10 })).rateLimit).toEqual({ requests: 190, perSeconds: 10 });
    expect((await target('live', 'off')).rateLimit).toBeUndefined();
    expect((await target('sandbox', 'off')).rateLimit).toEqual(hubspot.rateLimit);
  });

  it('refuses live mode with live_disabled when the operator switched it off, and never falls back to the sandbox', async () => {
    const error = await resolveTarget({ definition: hubspot, mode: 'live', config: {}, secrets: {}, sandboxes, switches: { hubspot: { live: false } } }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('live_disabled');
    expect((error as Error).message).toContain('TRIBUTARY_HUBSPOT_LIVE=false');
  });
});

/** A vendor whose API and sign-in live on a host per account, as Shopify's do. */
const perTenant = defineConnector({
  id: 'per_tenant',
  name: 'Per Tenant',
  kind: 'api',
  category: 'ecommerce',
  description: 'An API on a host of its own for every account.',
  docs: 'https://docs.tenant.test',
  baseUrl: 'https://{tenant}',
  config: { tenant: { title: 'Tenant domain', pattern: { regex: '^[a-z0-9-]+\\.tenant\\.test$', message: 'must be a tenant.test domain' } } },
  auth: [{ method: 'oauth2', provider: 'tenant', authorizationUrl: 'https://{tenant}/oauth/authorize', tokenUrl: 'https://{tenant}/oauth/token' }],
  streams: { items: { request: { path: '/items' }, records: 'items', primaryKey: 'id' } },
});
const tenantConfig = { tenant: 'acme.tenant.test' };

describe('endpoints on a host per account', () => {
  it("fills the base URL's placeholders from a live connection's config", async () => {
    const target = await resolveTarget({ definition: perTenant, mode: 'live', config: tenantConfig, secrets: undefined, sandboxes, switches: {} });
    expect(target.baseUrl).toBe('https://acme.tenant.test');
  });

  it('refuses a live connection whose config lacks the value a URL needs, naming the field', async () => {
    const missing = resolveTarget({ definition: perTenant, mode: 'live', config: {}, secrets: undefined, sandboxes, switches: {} });
    await expect(missing).rejects.toMatchObject({ code: 'invalid_config', details: { field: 'tenant' } });
  });

  it("fills the OAuth endpoints' placeholders from the connection's config", async () => {
    const auth = perTenant.auth[0] as OAuth2AuthConfig;
    const client = await resolveOAuthClient({ definition: perTenant, auth, mode: 'live', config: tenantConfig, sandboxes, apps: { tenant: { clientId: 'client-1', clientSecret: 'secret-1' } } });
    const url = client.authorizationUrl({ redirectUri: 'https://hub.test/api/v1/oauth/callback', state: 'state-1', codeChallenge: 'challenge-1' });
    expect(`${url.origin}${url.pathname}`).toBe('https://acme.tenant.test/oauth/authorize');
  });
});
