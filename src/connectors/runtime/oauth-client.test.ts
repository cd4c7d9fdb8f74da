import { describe, expect, it } from 'vitest';
import { OAuthClient } from './oauth-client.js';

/**
 * How OAuthClient reads token answers and callbacks that stray from RFC 6749, with the provider's
 * token endpoint played by a handed-in `fetch` (the full flows run in oauth-client.oidc.test.ts
 * and test/oauth-flow.test.ts).
 */
const endpoints = {
  authorizationUrl: 'https://shop.example.test/admin/oauth/authorize',
  tokenUrl: 'https://shop.example.test/admin/oauth/access_token',
  clientAuth: 'client_secret_post' as const,
  scopes: ['read_orders'],
  scopeSeparator: ',',
  authorizationParams: {},
};
const app = { clientId: 'client-1', clientSecret: 'secret-1' };
const callback = new URLSearchParams({ code: 'code-1', state: 'state-1' });
const exchange = (client: OAuthClient) => client.exchange({ callback, state: 'state-1', redirectUri: 'https://hub.test/api/v1/oauth/callback', codeVerifier: 'v'.repeat(43) });

/** A token endpoint that answers `body`, counting its calls. */
function tokenEndpoint(body: Record<string, unknown>) {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    calls.push(String(input));
    return Response.json(body);
  };
  return { fetch, calls };
}

describe('OAuthClient', () => {
  it("reads a token answer without token_type, as Shopify's, as a bearer token", async () => {
    const { fetch } = tokenEndpoint({ access_token: 'shpat_offline', scope: 'read_orders' });
    expect(await exchange(new OAuthClient({ endpoints, app, fetch }))).toEqual({ accessToken: 'shpat_offline', scope: 'read_orders' });
  });

  it('still refuses a token answer that names a type it cannot use', async () => {
    const { fetch } = tokenEndpoint({ access_token: 'mac-token', token_type: 'mac' });
    await expect(exchange(new OAuthClient({ endpoints, app, fetch }))).rejects.toMatchObject({ code: 'oauth_exchange_failed' });
  });

  it("refuses a callback the connector's check rejects, before the code is exchanged", async () => {
    const { fetch, calls } = tokenEndpoint({ access_token: 'never-issued', scope: 'read_orders' });
    const client = new OAuthClient({ endpoints, app, fetch, verifyCallback: (params) => (params.get('hmac') ? undefined : 'it carries no hmac') });
    await expect(exchange(client)).rejects.toMatchObject({ code: 'oauth_state_invalid', message: "The provider's answer was refused: it carries no hmac. Start connecting again." });
    expect(calls).toEqual([]);
  });
});
