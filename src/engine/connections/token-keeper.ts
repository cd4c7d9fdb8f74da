import type { Connection } from '../../domain/connections.js';

/**
 * Keeps an OAuth connection's access token fresh: before a test or a sync reads with it, a token
 * that expires within a few minutes is refreshed, once however many runs ask at the same moment,
 * and a rotated refresh token is stored in the same step. A grant the provider no longer honours
 * is `reauth_required`. Implemented on the metadata store (`store/oauth-token-keeper.ts`).
 */
export interface TokenKeeper {
  /** The secrets to read with: `secrets` itself unless the connection signs in with OAuth and its token is due. */
  fresh(connection: Connection, secrets: unknown): Promise<unknown>;
}
