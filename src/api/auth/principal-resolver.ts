import type { Principal } from '../../domain/accounts.js';
import { TributaryError } from '../../domain/errors.js';
import type { Database, Queryable } from '../../store/db.js';
import { useApiKey } from '../../store/api-key-repository.js';
import { findSession } from '../../store/session-repository.js';
import { createUser, findUserByEmail, findUserByExternalIdentity, linkExternalIdentity } from '../../store/user-repository.js';
import { createWorkspace, listWorkspacesOfUser } from '../../store/workspace-repository.js';
import type { ExternalJwtVerifier } from './external-jwt.js';
import { apiKeyPrefix, hashToken } from './tokens.js';

/**
 * Turns a request's credentials into a Principal: an API key or an external JWT in
 * `Authorization: Bearer`, or the session cookie. The workspace is the one the caller names in
 * `X-Workspace-Id`, else the session's current one, else the caller's first. Naming a workspace
 * the caller does not belong to is a 404, the same answer as a workspace that does not exist.
 */
export interface Credentials {
  bearer: string | undefined;
  sessionToken: string | undefined;
  workspaceId: string | undefined;
}

export type PrincipalResolver = (credentials: Credentials) => Promise<Principal | undefined>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function unknownWorkspace(): TributaryError {
  return new TributaryError('not_found', 'No workspace with that id exists, or you are not a member of it.');
}

export function createPrincipalResolver(deps: { db: Database; jwtVerifier: ExternalJwtVerifier | undefined }): PrincipalResolver {
  const { db, jwtVerifier } = deps;

  async function fromApiKey(key: string, workspaceId: string | undefined): Promise<Principal> {
    const apiKey = await db.asSystem((tx) => useApiKey(tx, hashToken(key)));
    if (!apiKey) throw new TributaryError('unauthenticated', 'The API key is not valid or has been revoked.');
    if (workspaceId && workspaceId.toLowerCase() !== apiKey.workspaceId) throw unknownWorkspace();
    return { via: 'api_key', userId: null, workspaceId: apiKey.workspaceId, role: apiKey.role, apiKeyId: apiKey.id };
  }

  /** The caller's role in the named (or else first) workspace. */
  async function membership(tx: Queryable, userId: string, workspaceId: string | undefined): Promise<Pick<Principal, 'workspaceId' | 'role'>> {
    const workspaces = await listWorkspacesOfUser(tx, userId);
    const chosen = workspaceId ? workspaces.find((w) => w.id === workspaceId.toLowerCase()) : workspaces[0];
    if (workspaceId && !chosen) throw unknownWorkspace();
    return { workspaceId: chosen?.id ?? null, role: chosen?.role ?? null };
  }

  async function fromJwt(token: string, workspaceId: string | undefined): Promise<Principal> {
    if (!jwtVerifier) throw new TributaryError('unauthenticated', 'The bearer token is not a Tributary API key, and no identity provider is configured.');
    const identity = await jwtVerifier(token);
    return db.asSystem(async (tx) => {
      let user = await findUserByExternalIdentity(tx, identity.issuer, identity.subject);
      if (!user) {
        // First visit: link to the account with the same email, or create one with a workspace of its own.
        const byEmail = identity.email ? await findUserByEmail(tx, identity.email) : undefined;
        user = byEmail ?? (await createUser(tx, { email: identity.email ?? `${identity.subject}@external.invalid`, name: identity.name ?? null, passwordHash: null }));
        await linkExternalIdentity(tx, { issuer: identity.issuer, subject: identity.subject, userId: user.id });
        if (!byEmail) await createWorkspace(tx, { name: `${identity.name ?? identity.email ?? 'My'} workspace`, ownerId: user.id });
      }
      return { via: 'jwt', userId: user.id, ...(await membership(tx, user.id, workspaceId)) };
    });
  }

  async function fromSession(token: string, workspaceId: string | undefined): Promise<Principal | undefined> {
    return db.asSystem(async (tx) => {
      const session = await findSession(tx, hashToken(token), workspaceId ?? null);
      if (!session) return undefined;
      const base = { via: 'session' as const, userId: session.userId, sessionId: session.id };
      if (session.role) return { ...base, workspaceId: session.workspaceId, role: session.role };
      return { ...base, ...(await membership(tx, session.userId, workspaceId)) };
    });
  }

  return async ({ bearer, sessionToken, workspaceId }) => {
    if (workspaceId !== undefined && !uuidPattern.test(workspaceId)) throw unknownWorkspace();
    if (bearer) return bearer.startsWith(apiKeyPrefix) ? fromApiKey(bearer, workspaceId) : fromJwt(bearer, workspaceId);
    if (sessionToken) return fromSession(sessionToken, workspaceId);
    return undefined;
  };
}
