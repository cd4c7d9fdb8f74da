import type { Connection } from '../../domain/connections.js';
import { isTributaryError, TributaryError } from '../../domain/errors.js';

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

/**
 * A vendor refusing an OAuth connection's access token in use (`auth_failed`: the person removed
 * the app or changed their password; a token without a refresh token ran out) ends the grant as a
 * refused refresh does: `reauth_required`, so the person is asked to sign in again. Any other
 * error, or a connection with a typed-in key, is returned as it is.
 */
export function refusedGrant<E>(connection: Pick<Connection, 'authMethod'>, error: E): E | TributaryError {
  if (connection.authMethod !== 'oauth2' || !isTributaryError(error) || error.code !== 'auth_failed') return error;
  return new TributaryError('reauth_required', undefined, { cause: error, ...(error.details ? { details: error.details } : {}) });
}
