import * as oauth from 'oauth4webapi';
import { TributaryError } from '../../domain/errors.js';
import type { OAuth2AuthConfig, OAuth2Secrets } from './auth/oauth2-auth.js';

/**
 * The client side of OAuth 2.0 (authorization code + PKCE S256, refresh, revocation), on
 * `oauth4webapi`: it builds the provider's authorization URL, checks the callback, exchanges the
 * code and refreshes, turning every outcome into vault secrets or a classified error. It knows
 * nothing of workspaces or storage; `fetch` and the clock are handed in.
 */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
}

/** Where the provider's endpoints are: the definition's, or a sandbox's authorization server. */
export type OAuthEndpoints = Pick<
  OAuth2AuthConfig,
  'issuer' | 'authorizationUrl' | 'tokenUrl' | 'revocationUrl' | 'clientAuth' | 'scopes' | 'scopeSeparator' | 'authorizationParams' | 'longLivedGrant'
>;

export interface OAuthClientOptions {
  endpoints: OAuthEndpoints;
  app: OAuthApp;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  /** The connector's own check of the callback (Shopify's `hmac`); a problem it names refuses the sign-in. */
  verifyCallback?: (callback: URLSearchParams) => string | undefined;
}

export class OAuthClient {
  private readonly server: oauth.AuthorizationServer;
  private readonly client: oauth.Client;
  private readonly clientAuth: oauth.ClientAuth;
  private readonly requestOptions: oauth.TokenEndpointRequestOptions;
  private readonly now: () => number;

  constructor(private readonly options: OAuthClientOptions) {
    const { endpoints, app } = options;
    // Providers here are plain OAuth 2.0, not OpenID Connect: the metadata is the definition's.
    this.server = {
      issuer: endpoints.issuer ?? new URL(endpoints.authorizationUrl).origin,
      authorization_endpoint: endpoints.authorizationUrl,
      token_endpoint: endpoints.tokenUrl,
      ...(endpoints.revocationUrl ? { revocation_endpoint: endpoints.revocationUrl } : {}),
    };
    this.client = { client_id: app.clientId };
    this.clientAuth = endpoints.clientAuth === 'client_secret_basic' ? oauth.ClientSecretBasic(app.clientSecret) : oauth.ClientSecretPost(app.clientSecret);
    this.requestOptions = {
      [oauth.customFetch]: assumeBearer(options.fetch ?? globalThis.fetch),
      // Plain http only to loopback: sandboxes and tests. A provider elsewhere must use https.
      [oauth.allowInsecureRequests]: isLoopback(endpoints.tokenUrl),
    };
    this.now = options.now ?? Date.now;
  }

  /** A fresh PKCE verifier, and the S256 challenge the authorization URL carries. */
  static async pkce(): Promise<{ verifier: string; challenge: string }> {
    const verifier = oauth.generateRandomCodeVerifier();
    return { verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier) };
  }

  authorizationUrl(input: { redirectUri: string; state: string; codeChallenge: string }): URL {
    const { endpoints, app } = this.options;
    const url = new URL(endpoints.authorizationUrl);
    for (const [name, value] of Object.entries(endpoints.authorizationParams)) url.searchParams.set(name, value);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', app.clientId);
    url.searchParams.set('redirect_uri', input.redirectUri);
    if (endpoints.scopes.length > 0) url.searchParams.set('scope', endpoints.scopes.join(endpoints.scopeSeparator));
    url.searchParams.set('state', input.state);
    url.searchParams.set('code_challenge', input.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
    return url;
  }

  /**
   * Checks the callback against the state the hub issued and exchanges its code for tokens; where
   * the provider issues no refresh token, trades the access token for its long-lived one too.
   */
  async exchange(input: { callback: URLSearchParams; state: string; redirectUri: string; codeVerifier: string }): Promise<OAuth2Secrets> {
    let parameters: URLSearchParams;
    try {
      parameters = oauth.validateAuthResponse(this.server, this.client, input.callback, input.state);
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError) throw new TributaryError('oauth_denied', `The provider answered ${error.error}: access was not granted. Start connecting again and allow access.`, { cause: error });
      throw new TributaryError('oauth_state_invalid', undefined, { cause: error });
    }
    const problem = this.options.verifyCallback?.(input.callback);
    if (problem !== undefined) throw new TributaryError('oauth_state_invalid', `The provider's answer was refused: ${problem}. Start connecting again.`);
    try {
      const response = await oauth.authorizationCodeGrantRequest(this.server, this.client, this.clientAuth, parameters, input.redirectUri, input.codeVerifier, this.requestOptions);
      const tokens = this.secrets(await oauth.processAuthorizationCodeResponse(this.server, this.client, response));
      const { longLivedGrant } = this.options.endpoints;
      if (!longLivedGrant) return tokens;
      const exchanged = await oauth.genericTokenEndpointRequest(this.server, this.client, this.clientAuth, longLivedGrant.grantType, { [longLivedGrant.tokenParam]: tokens.accessToken }, this.requestOptions);
      const longLived = this.secrets(await oauth.processGenericTokenEndpointResponse(this.server, this.client, exchanged));
      return { ...longLived, scope: longLived.scope ?? tokens.scope };
    } catch (error) {
      throw tokenError(error, 'oauth_exchange_failed');
    }
  }

  /**
   * New tokens for a refresh token. A provider that does not rotate refresh tokens answers
   * without one: the current one stays. `invalid_grant` means the grant is gone for good.
   */
  async refresh(current: OAuth2Secrets): Promise<OAuth2Secrets> {
    if (!current.refreshToken) throw new TributaryError('reauth_required', 'The access token expired and the provider gave no refresh token; reconnect the account.');
    try {
      const response = await oauth.refreshTokenGrantRequest(this.server, this.client, this.clientAuth, current.refreshToken, this.requestOptions);
      const fresh = this.secrets(await oauth.processRefreshTokenResponse(this.server, this.client, response));
      return { ...fresh, refreshToken: fresh.refreshToken ?? current.refreshToken, scope: fresh.scope ?? current.scope };
    } catch (error) {
      throw tokenError(error, 'reauth_required');
    }
  }

  /** Revokes the refresh token (which ends the grant) where the provider can; a failure is the caller's to log, not to stop on. */
  async revoke(secrets: OAuth2Secrets): Promise<boolean> {
    if (!this.options.endpoints.revocationUrl) return false;
    const response = await oauth.revocationRequest(this.server, this.client, this.clientAuth, secrets.refreshToken ?? secrets.accessToken, this.requestOptions);
    await oauth.processRevocationResponse(response);
    return true;
  }

  private secrets(tokens: oauth.TokenEndpointResponse): OAuth2Secrets {
    return {
      accessToken: tokens.access_token,
      ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      ...(tokens.expires_in !== undefined ? { expiresAt: new Date(this.now() + tokens.expires_in * 1000).toISOString() } : {}),
      ...(tokens.scope ? { scope: tokens.scope } : {}),
    };
  }
}

/**
 * An error of the token endpoint, classified: `invalid_grant` is `whenRefused` (the code or the
 * grant is spent), a refused client is the operator's app, a 5xx (with an OAuth body or a proxy's
 * page) is the provider's and retried.
 */
function tokenError(error: unknown, whenRefused: 'oauth_exchange_failed' | 'reauth_required'): TributaryError {
  // A client that authenticated with a header is refused by a 401 challenge, not a body (RFC 6749 §5.2).
  const code =
    error instanceof oauth.ResponseBodyError ? error.error : error instanceof oauth.WWWAuthenticateChallengeError ? error.cause.map((c) => c.parameters.error).find(Boolean) : undefined;
  const status = error instanceof oauth.ResponseBodyError || error instanceof oauth.WWWAuthenticateChallengeError ? error.status : error instanceof oauth.OperationProcessingError && error.cause instanceof Response ? error.cause.status : undefined;
  if (code === 'invalid_client' || code === 'unauthorized_client') {
    return new TributaryError('oauth_not_configured', `The provider refused this hub's OAuth app (${code}); the operator checks its client id and secret.`, { cause: error });
  }
  if (status !== undefined && status >= 500) return new TributaryError('vendor_unavailable', undefined, { cause: error });
  if (error instanceof TypeError) return new TributaryError('network', undefined, { cause: error });
  if (code !== undefined) {
    const next = whenRefused === 'reauth_required' ? 'Reconnect the account.' : 'Start connecting again.';
    return new TributaryError(whenRefused, `The provider answered ${code}. ${next}`, { cause: error });
  }
  return new TributaryError(whenRefused === 'reauth_required' ? 'invalid_response' : 'oauth_exchange_failed', undefined, { cause: error });
}

/**
 * Shopify's token endpoint answers `{ access_token, scope }` without the `token_type` RFC 6749
 * §5.1 requires, which oauth4webapi refuses: an answer that names no type is read as the bearer
 * token it is. One that names another type is left to oauth4webapi to judge.
 */
function assumeBearer(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.ok || !response.headers.get('content-type')?.includes('json')) return response;
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    if (typeof body !== 'object' || body === null || !('access_token' in body) || 'token_type' in body) return response;
    return Response.json({ ...body, token_type: 'bearer' }, { status: response.status, statusText: response.statusText });
  };
}

function isLoopback(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}
