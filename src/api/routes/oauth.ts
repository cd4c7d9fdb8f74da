import { z } from 'zod';
import { errorCatalog, isTributaryError, TributaryError } from '../../domain/errors.js';
import type { Api, ApiDeps } from '../app.js';
import { callerWorkspace } from '../auth/access.js';
import { completeAuthorization, startAuthorization, type OAuthFlowDeps } from '../oauth-flow.js';
import { errors, uuid } from '../schemas.js';
import { escapeHtml } from '../../domain/html-text.js';

/**
 * OAuth 2.0 sign-in for connections (api/oauth-flow.ts). `start` sends the browser to the
 * provider (or, asked for JSON, gives the URL to a host application); the provider sends it back
 * to `callback`, which ends on the web app, the registered `returnTo`, or a page saying what went
 * wrong and what to do: never a 500, never a token stored after a refusal.
 */
export function oauthRoutes(app: Api, deps: ApiDeps): void {
  const flow: OAuthFlowDeps = {
    db: deps.db,
    catalog: deps.catalog,
    logger: deps.logger,
    ...deps.connections,
    returnOrigins: deps.oauthReturnOrigins ?? [],
    publicUrl: deps.settings.publicUrl,
  };

  app.get(
    '/oauth/:connector/start',
    {
      config: { access: 'connections.manage' },
      schema: {
        tags: ['connections'],
        summary: 'Sign a connection in with OAuth: redirects to the provider (admin)',
        description:
          'Answers 302 to the provider’s consent page with PKCE (S256) and a single-use `state` valid for ten minutes. With `Accept: application/json` it answers the URL instead, for a host application to open. The provider returns to `/api/v1/oauth/callback`.',
        params: z.object({ connector: z.string().min(1).max(40) }),
        querystring: z.object({
          connectionId: uuid.describe('The connection to sign in (created with "authMethod": "oauth2")'),
          returnTo: z.string().max(2000).optional().describe('Where to send the person afterwards: the hub’s own origin or one in TRIBUTARY_OAUTH_RETURN_ORIGINS'),
        }),
        response: { 200: z.object({ authorizationUrl: z.string(), expiresAt: z.string() }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { workspaceId, userId } = callerWorkspace(request);
      const started = await startAuthorization(flow, { workspaceId, userId }, { connectorId: request.params.connector, ...request.query });
      if (request.headers.accept?.includes('application/json')) return started;
      return reply.redirect(started.authorizationUrl, 302);
    },
  );

  app.get(
    '/oauth/callback',
    {
      config: { access: 'public' },
      schema: {
        tags: ['connections'],
        summary: 'Where the provider sends the person back after consent',
        description: 'Checks the `state` (issued here, unexpired, unused, same user), exchanges the code with the PKCE verifier, stores the tokens and tests the connection, then redirects to the web app or the registered `returnTo`. A refusal answers a page saying what to do.',
        security: [],
        // The provider's own parameters beyond these (Shopify's hmac, shop, host, timestamp) pass through to its check.
        querystring: z.looseObject({
          state: z.string().max(4000).optional().describe('The state the hub issued at start'),
          code: z.string().max(4000).optional().describe('The authorization code, when access was granted'),
          error: z.string().max(200).optional().describe('The provider’s refusal (access_denied…)'),
          error_description: z.string().max(4000).optional(),
          iss: z.string().max(2000).optional().describe('The issuer (RFC 9207)'),
        }),
        response: {
          302: z.null().describe('Signed in: on to the web app or the registered returnTo, with `oauth=connected` or `oauth=error` (the test failed)'),
          400: z.string().describe('text/html: a missing, expired, used or foreign state, or the provider did not grant access'),
          502: z.string().describe('text/html: the provider refused to exchange the code (a PKCE mismatch, a spent code)'),
        },
      },
    },
    async (request, reply) => {
      const callback = new URLSearchParams(Object.entries(request.query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      try {
        const done = await completeAuthorization(flow, callback, request.principal?.userId ?? undefined);
        return reply.redirect(done.returnTo, 302);
      } catch (error) {
        const problem = isTributaryError(error) ? error : new TributaryError('internal');
        if (!isTributaryError(error)) request.log.error({ err: error }, 'OAuth callback failed unexpectedly');
        else request.log.info({ code: problem.code }, 'OAuth callback refused');
        // Every status is a page of the same kind; the schema documents the usual ones.
        return reply
          .status(problem.status as 400)
          .type('text/html; charset=utf-8')
          .send(failurePage(problem, deps.settings.publicUrl));
      }
    },
  );
}

function failurePage(error: TributaryError, publicUrl: string): string {
  const title = error.code === 'oauth_denied' ? 'Access was not granted' : 'The connection could not be signed in';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title} · Tributary</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; line-height: 1.5">
<h1>${title}</h1>
<p>${escapeHtml(error.message)}</p>
<p><small>Code: <code>${error.code}</code>. ${escapeHtml(error.message === errorCatalog[error.code].hint ? '' : errorCatalog[error.code].hint)}</small></p>
<p><a href="${escapeHtml(publicUrl)}/connections">Back to your connections</a></p>
</body></html>`;
}
