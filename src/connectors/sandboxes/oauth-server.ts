import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RouteContext, SandboxReply, SandboxRoute } from './sandbox-server.js';
import { escapeHtml } from '../../domain/html-text.js';

/**
 * An OAuth 2.0 authorization server for a vendor's sandbox (RFC 6749 with PKCE, RFC 7636, and
 * revocation, RFC 7009), so the hub's whole flow runs against it exactly as against Google or
 * Meta: a consent page with a button, codes bound to the client, redirect URI and S256
 * challenge, short-lived access tokens, refresh tokens that rotate (the old one dies on use), and
 * revocation; or, as Facebook's, no refresh tokens and a grant that trades an access token for a
 * long-lived one. A vendor sandbox adds `routes` to its own and accepts `isValidToken` bearers.
 *
 * Paths: `GET /oauth/authorize` (the consent page), `POST /oauth/authorize` (its form),
 * `POST /oauth/token`, `POST /oauth/revoke`.
 */
export interface SandboxOAuthOptions {
  /** The vendor's name on the consent page. */
  vendor: string;
  clientId?: string;
  clientSecret?: string;
  /** `Infinity` for tokens that never expire (Shopify's offline tokens): the answer then has no `expires_in`. */
  accessTokenSeconds?: number;
  /** False for a provider that issues no refresh tokens (Facebook): a sign-in gets an access token only. */
  refreshTokens?: boolean;
  /** A grant that trades a live access token for a longer-lived one (Facebook's `fb_exchange_token`), as a definition's `longLivedGrant` sends it. */
  longLivedGrant?: { grantType: string; tokenParam: string; accessTokenSeconds: number };
  /** The clock, for tests that let a token expire. */
  now?: () => number;
  /** Reshapes the token endpoint's answer into the vendor's (Shopify's has no `token_type`). */
  tokenBody?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** Adds the vendor's own parameters to the redirect back with a code (Shopify's `shop`, `timestamp` and an `hmac` over them). */
  callbackParams?: (params: URLSearchParams) => void;
}

export const sandboxOAuthClient = { clientId: 'tributary-sandbox-client', clientSecret: 'sandbox-client-secret-0000000000' } as const;

interface Grant {
  /** The consent the tokens come from: revoking its refresh token ends its access tokens too (RFC 7009 §2.1). */
  grantId: string;
  clientId: string;
  scope: string;
}

interface PendingCode extends Grant {
  redirectUri: string;
  challenge: string;
  expiresAt: number;
}

export interface SandboxOAuthServer {
  routes: SandboxRoute[];
  /** Whether a bearer token is a live access token this server issued. */
  isValidToken(token: string): boolean;
  /** Kills every token issued so far, as a user removing the app's access at the vendor would. */
  revokeAll(): void;
  /** How many refresh grants succeeded: concurrent runs must refresh once. */
  readonly refreshCount: number;
}

export function sandboxOAuthServer(options: SandboxOAuthOptions): SandboxOAuthServer {
  const clientId = options.clientId ?? sandboxOAuthClient.clientId;
  const clientSecret = options.clientSecret ?? sandboxOAuthClient.clientSecret;
  const ttl = options.accessTokenSeconds ?? 3600;
  const now = options.now ?? Date.now;
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, Grant & { expiresAt: number }>();
  const refreshTokens = new Map<string, Grant>();
  let refreshCount = 0;

  const issue = (from: Grant, seconds = ttl) => {
    const grant: Grant = { grantId: from.grantId, clientId: from.clientId, scope: from.scope };
    const accessToken = `sbx-at-${random()}`;
    accessTokens.set(accessToken, { ...grant, expiresAt: now() + seconds * 1000 });
    const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', ...(Number.isFinite(seconds) && { expires_in: seconds }), scope: grant.scope };
    if (options.refreshTokens !== false) {
      const refreshToken = `sbx-rt-${random()}`;
      refreshTokens.set(refreshToken, grant);
      body.refresh_token = refreshToken;
    }
    return { body: options.tokenBody ? options.tokenBody(body) : body };
  };

  const authorize: SandboxRoute = {
    method: 'GET',
    path: '/oauth/authorize',
    public: true,
    handle: ({ query }) => {
      const problem = requestProblem(query, clientId);
      if (problem) return page(400, `<h1>Invalid request</h1><p>${escapeHtml(problem)}</p>`);
      const hidden = ['client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method']
        .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(query[name] ?? '')}">`)
        .join('');
      return page(
        200,
        `<h1>${escapeHtml(options.vendor)} sandbox</h1>
        <p>Tributary asks to read your ${escapeHtml(options.vendor)} data (sandbox: nothing real is shared).</p>
        <p>Scopes: <code>${escapeHtml(query.scope ?? '')}</code></p>
        <form method="post" action="/oauth/authorize">${hidden}
          <button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Deny</button>
        </form>`,
      );
    },
  };

  const decide: SandboxRoute = {
    method: 'POST',
    path: '/oauth/authorize',
    public: true,
    handle: ({ body }) => {
      const form = stringFields(body);
      const problem = requestProblem(form, clientId);
      if (problem) return page(400, `<h1>Invalid request</h1><p>${escapeHtml(problem)}</p>`);
      const target = new URL(form.redirect_uri!);
      if (form.state !== undefined) target.searchParams.set('state', form.state);
      if (form.decision !== 'allow') {
        target.searchParams.set('error', 'access_denied');
        target.searchParams.set('error_description', 'The user denied access.');
      } else {
        const code = `sbx-code-${random()}`;
        codes.set(code, { grantId: random(), clientId, scope: form.scope ?? '', redirectUri: form.redirect_uri!, challenge: form.code_challenge!, expiresAt: now() + 60_000 });
        target.searchParams.set('code', code);
        options.callbackParams?.(target.searchParams);
      }
      return { status: 302, headers: { location: target.toString() } };
    },
  };

  const token: SandboxRoute = {
    method: 'POST',
    path: '/oauth/token',
    public: true,
    handle: ({ body, headers }: RouteContext): SandboxReply => {
      const form = stringFields(body);
      if (!clientAuthenticated(form, headers, clientId, clientSecret)) return oauthError(401, 'invalid_client', 'Client authentication failed.');
      if (form.grant_type === 'authorization_code') {
        const pending = codes.get(form.code ?? '');
        // A code is single-use: a second exchange fails even when the first succeeded.
        codes.delete(form.code ?? '');
        if (!pending || pending.expiresAt < now()) return oauthError(400, 'invalid_grant', 'The authorization code is invalid, used or expired.');
        if (pending.redirectUri !== form.redirect_uri) return oauthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request.');
        if (!form.code_verifier || s256(form.code_verifier) !== pending.challenge) return oauthError(400, 'invalid_grant', 'PKCE verification failed: code_verifier does not match code_challenge.');
        return issue(pending);
      }
      if (form.grant_type === 'refresh_token') {
        const grant = refreshTokens.get(form.refresh_token ?? '');
        if (!grant) return oauthError(400, 'invalid_grant', 'The refresh token is invalid, revoked or already used.');
        // Rotation: the refresh token just used is spent.
        refreshTokens.delete(form.refresh_token!);
        refreshCount += 1;
        return issue(grant);
      }
      const longLived = options.longLivedGrant;
      if (longLived && form.grant_type === longLived.grantType) {
        // Only a live token can be traded: an expired one means signing in again.
        const presented = accessTokens.get(form[longLived.tokenParam] ?? '');
        if (!presented || presented.expiresAt <= now()) return oauthError(400, 'invalid_grant', 'The access token to exchange is invalid or expired.');
        return issue(presented, longLived.accessTokenSeconds);
      }
      return oauthError(400, 'unsupported_grant_type', `grant_type ${form.grant_type ?? '(missing)'} is not supported.`);
    },
  };

  const revoke: SandboxRoute = {
    method: 'POST',
    path: '/oauth/revoke',
    public: true,
    handle: ({ body, headers }) => {
      const form = stringFields(body);
      if (!clientAuthenticated(form, headers, clientId, clientSecret)) return oauthError(401, 'invalid_client', 'Client authentication failed.');
      // RFC 7009 §2.2: an unknown token is answered 200 all the same.
      const grant = refreshTokens.get(form.token ?? '');
      accessTokens.delete(form.token ?? '');
      refreshTokens.delete(form.token ?? '');
      if (grant) for (const [token, issued] of accessTokens) if (issued.grantId === grant.grantId) accessTokens.delete(token);
      return { status: 200, body: {} };
    },
  };

  return {
    routes: [authorize, decide, token, revoke],
    isValidToken: (value) => {
      const grant = accessTokens.get(value);
      return grant !== undefined && grant.expiresAt > now();
    },
    revokeAll: () => {
      accessTokens.clear();
      refreshTokens.clear();
    },
    get refreshCount() {
      return refreshCount;
    },
  };
}

/** What is wrong with an authorization request, or undefined. PKCE with S256 is required. */
function requestProblem(params: Record<string, string | undefined>, clientId: string): string | undefined {
  if (params.client_id !== clientId) return `Unknown client_id "${params.client_id ?? ''}".`;
  if (!params.redirect_uri || !URL.canParse(params.redirect_uri)) return 'redirect_uri is missing or not a URL.';
  if (params.code_challenge_method !== 'S256' || !params.code_challenge) return 'PKCE is required: code_challenge with code_challenge_method=S256.';
  return undefined;
}

function clientAuthenticated(form: Record<string, string | undefined>, headers: IncomingHttpHeaders, clientId: string, clientSecret: string): boolean {
  const basic = /^Basic (.+)$/i.exec(headers.authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').map((part) => decodeURIComponent(part));
    return id === clientId && secret === clientSecret;
  }
  return form.client_id === clientId && form.client_secret === clientSecret;
}

function stringFields(body: unknown): Record<string, string | undefined> {
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

function oauthError(status: number, error: string, description: string): SandboxReply {
  return { status, body: { error, error_description: description } };
}

function page(status: number, content: string): SandboxReply {
  return { status, html: `<!doctype html><html><head><meta charset="utf-8"><title>Sandbox sign-in</title></head><body>${content}</body></html>` };
}

function s256(verifier: string): string {
  return crypto.createHash('sha256').update(verifier).digest('base64url');
}

function random(): string {
  return crypto.randomBytes(18).toString('base64url');
}
