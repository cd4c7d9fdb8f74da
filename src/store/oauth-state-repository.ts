import crypto from 'node:crypto';
import type { Queryable } from './db.js';

/**
 * Authorization requests in flight (`oauth_states`). The `state` handed to the provider is 32
 * random bytes; only its SHA-256 is stored. Taking one back (`takeOAuthState`) locks the row and
 * marks it used in the same transaction, so a replayed or concurrent callback finds it spent.
 */
export interface OAuthState {
  workspaceId: string;
  userId: string | null;
  connectionId: string;
  codeVerifier: string;
  redirectUri: string;
  returnTo: string | null;
}

export type TakenOAuthState = { ok: true; state: OAuthState } | { ok: false; problem: 'unknown' | 'expired' | 'used' };

interface OAuthStateRow {
  workspace_id: string;
  user_id: string | null;
  connection_id: string;
  code_verifier: string;
  redirect_uri: string;
  return_to: string | null;
  expired: boolean;
  used: boolean;
}

const hashOf = (state: string) => crypto.createHash('sha256').update(state).digest('hex');

/** Records a new authorization request and returns its `state`; expired rows older than a day go at the same time. */
export async function createOAuthState(tx: Queryable, input: OAuthState & { ttlSeconds: number }): Promise<string> {
  const state = crypto.randomBytes(32).toString('base64url');
  await tx.query(`DELETE FROM oauth_states WHERE workspace_id = $1 AND expires_at < clock_timestamp() - interval '1 day'`, [input.workspaceId]);
  await tx.query(
    `INSERT INTO oauth_states (state_hash, workspace_id, user_id, connection_id, code_verifier, redirect_uri, return_to, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, clock_timestamp() + make_interval(secs => $8))`,
    [hashOf(state), input.workspaceId, input.userId, input.connectionId, input.codeVerifier, input.redirectUri, input.returnTo, input.ttlSeconds],
  );
  return state;
}

/** Takes a state back from a callback (system scope: the workspace is what the state tells). Used at most once. */
export async function takeOAuthState(tx: Queryable, state: string): Promise<TakenOAuthState> {
  const [row] = await tx.query<OAuthStateRow>(
    `SELECT workspace_id, user_id, connection_id, code_verifier, redirect_uri, return_to,
            expires_at <= clock_timestamp() AS expired, used_at IS NOT NULL AS used
       FROM oauth_states WHERE state_hash = $1 FOR UPDATE`,
    [hashOf(state)],
  );
  if (!row) return { ok: false, problem: 'unknown' };
  if (row.used) return { ok: false, problem: 'used' };
  await tx.query(`UPDATE oauth_states SET used_at = clock_timestamp() WHERE state_hash = $1`, [hashOf(state)]);
  if (row.expired) return { ok: false, problem: 'expired' };
  return {
    ok: true,
    state: { workspaceId: row.workspace_id, userId: row.user_id, connectionId: row.connection_id, codeVerifier: row.code_verifier, redirectUri: row.redirect_uri, returnTo: row.return_to },
  };
}
