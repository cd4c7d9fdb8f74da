import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../domain/accounts.js';
import { TributaryError } from '../../domain/errors.js';
import { can, type Permission, type Role } from '../../domain/roles.js';

/**
 * What a route requires, declared on the route (`config: { access }`) and checked here only:
 * `public` (anyone), `authenticated` (any valid credential), `user` (a signed-in person, by
 * session or external JWT), or a workspace permission from the role table in domain/roles.ts.
 */
export type Access = 'public' | 'authenticated' | 'user' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

export function checkAccess(principal: Principal | undefined, access: Access): void {
  if (access === 'public') return;
  if (!principal) throw new TributaryError('unauthenticated');
  if (access === 'authenticated') return;
  if (access === 'user') {
    if (!principal.userId) throw new TributaryError('forbidden', 'This route acts for a person; sign in instead of using an API key.');
    return;
  }
  if (!principal.workspaceId || !principal.role)
    throw new TributaryError('forbidden', 'You are not a member of any workspace yet; create one with POST /api/v1/workspaces.');
  if (!can(principal.role, access)) throw new TributaryError('forbidden', `Your role (${principal.role}) does not allow this (${access}).`);
}

/** The caller's workspace and role, on a route whose access is a permission. */
export function callerWorkspace(request: FastifyRequest): { workspaceId: string; role: Role; userId: string | null } {
  const p = request.principal;
  if (!p?.workspaceId || !p.role) throw new TributaryError('forbidden', 'You are not a member of any workspace yet.');
  return { workspaceId: p.workspaceId, role: p.role, userId: p.userId };
}

/** The signed-in person, on a route whose access is `user`. */
export function callerUser(request: FastifyRequest): { userId: string; principal: Principal } {
  const p = request.principal;
  if (!p?.userId) throw new TributaryError('unauthenticated');
  return { userId: p.userId, principal: p };
}
