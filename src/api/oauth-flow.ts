import { hintOAuth2, type OAuth2AuthConfig } from '../connectors/runtime/auth/oauth2-auth.js';
import { OAuthClient } from '../connectors/runtime/oauth-client.js';
import type { ConnectorDefinition } from '../connectors/runtime/define.js';
import { assertMove, type Connection } from '../domain/connections.js';
import { invalidField, notFound, TributaryError } from '../domain/errors.js';
import { resolveOAuthClient } from '../engine/connections/connection-target.js';
import * as connections from '../store/connection-repository.js';
import { createCredential, deleteCredential } from '../store/credential-repository.js';
import { recordEvent } from '../store/event-repository.js';
import { createOAuthState, takeOAuthState } from '../store/oauth-state-repository.js';
import { connectorOf, runConnectionTest, type Caller, type ConnectionDeps, type TestOutcome } from './connection-lifecycle.js';

/**
 * The OAuth 2.0 sign-in the hub owns, for a connection whose connector signs in with `oauth2`:
 * `startAuthorization` records a single-use `state` bound to the workspace, user, connection and
 * redirect (ten minutes) with a PKCE verifier, and gives the provider's URL; `completeAuthorization`
 * takes the state back, exchanges the code, puts the tokens in the vault and tests the connection.
 * Every refusal is a classified error the callback page shows; no path stores a token after one.
 */
export interface OAuthFlowDeps extends ConnectionDeps {
  publicUrl: string;
  /** Origins besides the public URL's that a sign-in may return to (a host application's). */
  returnOrigins: readonly string[];
}

const stateSeconds = 600;

export const callbackPath = '/api/v1/oauth/callback';

export async function startAuthorization(
  deps: OAuthFlowDeps,
  caller: Caller,
  input: { connectorId: string; connectionId: string; returnTo?: string },
): Promise<{ authorizationUrl: string; expiresAt: string }> {
  const returnTo = input.returnTo === undefined ? null : checkedReturnTo(deps, input.returnTo);
  const { connection, definition, auth } = await deps.db.withWorkspace(caller.workspaceId, async (tx) => {
    const connection = await connections.getConnection(tx, caller.workspaceId, input.connectionId);
    if (!connection) throw notFound('connection');
    if (connection.connectorId !== input.connectorId) {
      throw invalidField('connectionId', `this is a ${connection.connectorId} connection, not ${input.connectorId}; start at /api/v1/oauth/${connection.connectorId}/start`);
    }
    const definition = await connectorOf(tx, deps, caller.workspaceId, connection.connectorId);
    return { connection, definition, auth: oauthConfigOf(definition, connection) };
  });
  const client = await clientFor(deps, definition, auth, connection);
  const { verifier, challenge } = await OAuthClient.pkce();
  const redirectUri = `${deps.publicUrl}${callbackPath}`;
  const state = await deps.db.withWorkspace(caller.workspaceId, (tx) =>
    createOAuthState(tx, { workspaceId: caller.workspaceId, userId: caller.userId, connectionId: connection.id, codeVerifier: verifier, redirectUri, returnTo, ttlSeconds: stateSeconds }),
  );
  return {
    authorizationUrl: client.authorizationUrl({ redirectUri, state, codeChallenge: challenge }).toString(),
    expiresAt: new Date(Date.now() + stateSeconds * 1000).toISOString(),
  };
}

export interface CompletedAuthorization extends TestOutcome {
  /** Where to send the person: the registered `returnTo`, or the connection's page in the web app. */
  returnTo: string;
}

/** The provider's redirect back. `sessionUserId`: who is signed in to the hub in this browser, if anyone. */
export async function completeAuthorization(deps: OAuthFlowDeps, callback: URLSearchParams, sessionUserId: string | undefined): Promise<CompletedAuthorization> {
  const stateParam = callback.get('state');
  if (!stateParam) throw new TributaryError('oauth_state_invalid', 'The provider sent no state back; start connecting again.');
  const taken = await deps.db.asSystem((tx) => takeOAuthState(tx, stateParam));
  if (!taken.ok) throw new TributaryError('oauth_state_invalid', stateProblems[taken.problem]);
  const { state } = taken;
  if (sessionUserId !== undefined && state.userId !== null && sessionUserId !== state.userId) {
    throw new TributaryError('oauth_state_invalid', 'This sign-in was started by another user of the hub; start connecting again from your own account.');
  }
  const caller: Caller = { workspaceId: state.workspaceId, userId: state.userId };
  const { connection, definition, auth } = await deps.db.withWorkspace(caller.workspaceId, async (tx) => {
    const connection = await connections.getConnection(tx, caller.workspaceId, state.connectionId);
    if (!connection) throw notFound('connection');
    const definition = await connectorOf(tx, deps, caller.workspaceId, connection.connectorId);
    return { connection, definition, auth: oauthConfigOf(definition, connection) };
  });
  const client = await clientFor(deps, definition, auth, connection);
  const secrets = await client.exchange({ callback, state: stateParam, redirectUri: state.redirectUri, codeVerifier: state.codeVerifier });
  await deps.db.withWorkspace(caller.workspaceId, async (tx) => {
    const current = await connections.lockConnection(tx, caller.workspaceId, connection.id);
    if (!current) throw notFound('connection');
    assertMove(current.status, 'configuring');
    if (current.credentialId) await deleteCredential(tx, caller.workspaceId, current.credentialId);
    const credential = await createCredential(tx, deps.vault, { workspaceId: caller.workspaceId, label: current.name, secret: JSON.stringify(secrets), hint: hintOAuth2(secrets) });
    await connections.updateConnection(tx, caller.workspaceId, current.id, { status: 'configuring', credentialId: credential.id, lastError: null });
    await recordEvent(tx, {
      workspaceId: caller.workspaceId,
      connectionId: current.id,
      kind: 'connection.authorized',
      message: `Signed in to ${definition.name} (${connection.mode}); testing the connection now.`,
      details: { mode: connection.mode, ...(secrets.scope ? { scope: secrets.scope } : {}) },
      actorId: caller.userId,
    });
  });
  const outcome = await runConnectionTest(deps, caller, connection.id);
  const back = new URL(state.returnTo ?? `${deps.publicUrl}/connections/${connection.id}`);
  back.searchParams.set('connection', connection.id);
  back.searchParams.set('oauth', outcome.result.ok ? 'connected' : 'error');
  return { ...outcome, returnTo: back.toString() };
}

const stateProblems = {
  unknown: 'This sign-in link is not one this hub issued; start connecting again.',
  expired: 'This sign-in took longer than ten minutes and expired; start connecting again.',
  used: 'This sign-in link was already used; start connecting again.',
} as const;

function oauthConfigOf(definition: ConnectorDefinition, connection: Connection): OAuth2AuthConfig {
  const auth = definition.auth.find((a): a is OAuth2AuthConfig => a.method === 'oauth2');
  if (!auth) throw invalidField('connectorId', `${definition.name} does not sign in with OAuth; it takes ${definition.auth.map((a) => a.method).join(', ')}`);
  if (connection.authMethod !== 'oauth2') {
    throw invalidField('connectionId', `this connection was created with ${connection.authMethod}; create one with "authMethod": "oauth2" to sign in`);
  }
  return auth;
}

function clientFor(deps: OAuthFlowDeps, definition: ConnectorDefinition, auth: OAuth2AuthConfig, connection: Connection): Promise<OAuthClient> {
  return resolveOAuthClient({ definition, auth, mode: connection.mode, config: connection.config, sandboxes: deps.sandboxes, apps: deps.oauthApps ?? {}, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
}

/** A `returnTo` must be an absolute URL on the hub's own origin or one the operator registered: never an open redirect. */
function checkedReturnTo(deps: OAuthFlowDeps, returnTo: string): string {
  const allowed = [new URL(deps.publicUrl).origin, ...deps.returnOrigins];
  if (!URL.canParse(returnTo) || !allowed.includes(new URL(returnTo).origin)) {
    throw invalidField('returnTo', `must be a URL on ${allowed.join(' or ')} (the operator registers others with TRIBUTARY_OAUTH_RETURN_ORIGINS)`);
  }
  return returnTo;
}

