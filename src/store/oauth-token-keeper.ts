import { hintOAuth2, oauth2Secrets, type OAuth2AuthConfig, type OAuth2Secrets } from '../connectors/runtime/auth/oauth2-auth.js';
import type { ConnectorDefinition } from '../connectors/runtime/define.js';
import type { SandboxHost } from '../connectors/sandboxes/index.js';
import type { Connection } from '../domain/connections.js';
import { resolveOAuthClient, type OAuthApps } from '../engine/connections/connection-target.js';
import type { TokenKeeper } from '../engine/connections/token-keeper.js';
import { lockConnection } from './connection-repository.js';
import { readCredentialSecret, replaceCredentialSecret } from './credential-repository.js';
import { findConnector } from './custom-connector-repository.js';
import type { Database } from './db.js';
import type { CredentialVault } from './vault/credential-vault.js';

export interface OAuthTokenKeeperDeps {
  db: Database;
  vault: CredentialVault;
  catalog: readonly ConnectorDefinition[];
  sandboxes: SandboxHost;
  apps: OAuthApps;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  /** Refresh a token this long before it expires. */
  aheadMs?: number;
}

/**
 * `TokenKeeper` on the metadata store. The refresh runs holding the connection's row lock: a
 * second run (in this process or another) waits, then reads the token the first one stored and
 * finds it fresh, so a grant is refreshed once. The new tokens, a rotated refresh token among
 * them, are written in that same transaction: there is no moment when only the old one is kept.
 * A refusal (`reauth_required`) goes to the caller, whose failed test or run sets the connection
 * to `error` with an event.
 */
export function createOAuthTokenKeeper(deps: OAuthTokenKeeperDeps): TokenKeeper {
  const now = deps.now ?? Date.now;
  const ahead = deps.aheadMs ?? 5 * 60_000;
  const due = (secrets: OAuth2Secrets) => secrets.expiresAt !== undefined && Date.parse(secrets.expiresAt) - ahead <= now();

  return {
    async fresh(connection: Connection, secrets: unknown) {
      if (connection.authMethod !== 'oauth2' || !connection.credentialId) return secrets;
      const parsed = oauth2Secrets.safeParse(secrets);
      // The sandbox's own fixed token, or secrets this keeper did not write, are used as they are.
      if (!parsed.success || !due(parsed.data)) return secrets;
      const { workspaceId, id, credentialId } = connection;
      return deps.db.withWorkspace(workspaceId, async (tx) => {
        await lockConnection(tx, workspaceId, id);
        const current = oauth2Secrets.parse(JSON.parse(await readCredentialSecret(tx, deps.vault, workspaceId, credentialId)));
        if (!due(current)) return current;
        const found = await findConnector(tx, deps.catalog, workspaceId, connection.connectorId);
        const auth = found?.definition.auth.find((a): a is OAuth2AuthConfig => a.method === 'oauth2');
        if (!found || !auth) return current;
        const client = await resolveOAuthClient({ definition: found.definition, auth, mode: connection.mode, config: connection.config, sandboxes: deps.sandboxes, apps: deps.apps, ...(deps.fetch ? { fetch: deps.fetch } : {}), now });
        const next = await client.refresh(current);
        await replaceCredentialSecret(tx, deps.vault, workspaceId, credentialId, JSON.stringify(next), hintOAuth2(next));
        return next;
      });
    },
  };
}
