import { z } from 'zod';
import { notFound, TributaryError } from '../../domain/errors.js';
import { canGrant, roleRank } from '../../domain/roles.js';
import type { Queryable } from '../../store/db.js';
import { createUser, findUserByEmail } from '../../store/user-repository.js';
import { addMember, countOwners, getMember, listMembers, removeMember, setMemberRole } from '../../store/workspace-repository.js';
import type { Api, ApiDeps } from '../app.js';
import { callerWorkspace } from '../auth/access.js';
import { email, errors, memberView, presentMember, role, uuid } from '../schemas.js';

/**
 * Members of the caller's workspace. Admins manage members but can neither hand out nor touch a
 * role above their own, and a workspace always keeps at least one owner.
 */
const userParams = z.object({ userId: uuid });

async function keepAnOwner(tx: Queryable, workspaceId: string, leavingOwner: boolean): Promise<void> {
  if (leavingOwner && (await countOwners(tx, workspaceId)) <= 1)
    throw new TributaryError('conflict', 'A workspace needs at least one owner; make someone else owner first.');
}

export function memberRoutes(app: Api, deps: ApiDeps): void {
  const { db } = deps;

  app.get(
    '/members',
    {
      config: { access: 'members.read' },
      schema: { tags: ['members'], summary: 'Members of the workspace and their roles', response: { 200: z.object({ members: z.array(memberView) }), ...errors(401, 403) } },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const members = await db.withWorkspace(workspaceId, (tx) => listMembers(tx, workspaceId));
      return { members: members.map(presentMember) };
    },
  );

  app.post(
    '/members',
    {
      config: { access: 'members.manage' },
      schema: {
        tags: ['members'],
        summary: 'Add someone by email (admin)',
        description: 'An existing account joins at once; a new email becomes an invited member who joins by signing up with it.',
        body: z.object({ email, role: role.default('member') }),
        response: { 201: memberView, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { workspaceId, role: callerRole } = callerWorkspace(request);
      const { email: address, role: granted } = request.body;
      if (!canGrant(callerRole, granted)) throw new TributaryError('forbidden', `Your role (${callerRole}) cannot grant the ${granted} role.`);
      const user = await db.asSystem(async (tx) => (await findUserByEmail(tx, address)) ?? createUser(tx, { email: address, name: null, passwordHash: null }));
      const member = await db.withWorkspace(workspaceId, async (tx) => {
        if (await getMember(tx, workspaceId, user.id)) throw new TributaryError('conflict', `${address} is already a member of this workspace.`);
        await addMember(tx, workspaceId, user.id, granted);
        return getMember(tx, workspaceId, user.id);
      });
      return reply.status(201).send(presentMember(member!));
    },
  );

  app.patch(
    '/members/:userId',
    {
      config: { access: 'members.manage' },
      schema: {
        tags: ['members'],
        summary: 'Change a member’s role (admin)',
        params: userParams,
        body: z.object({ role }),
        response: { 200: memberView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { workspaceId, role: callerRole } = callerWorkspace(request);
      const { userId } = request.params;
      const granted = request.body.role;
      const member = await db.withWorkspace(workspaceId, async (tx) => {
        const target = await getMember(tx, workspaceId, userId);
        if (!target) throw notFound('member');
        if (roleRank(target.role) > roleRank(callerRole) || !canGrant(callerRole, granted))
          throw new TributaryError('forbidden', `Your role (${callerRole}) cannot change a ${target.role} into a ${granted}.`);
        await keepAnOwner(tx, workspaceId, target.role === 'owner' && granted !== 'owner');
        await setMemberRole(tx, workspaceId, userId, granted);
        return getMember(tx, workspaceId, userId);
      });
      return presentMember(member!);
    },
  );

  app.delete(
    '/members/:userId',
    {
      config: { access: 'members.manage' },
      schema: { tags: ['members'], summary: 'Remove a member (admin)', params: userParams, response: { 204: z.null(), ...errors(400, 401, 403, 404, 409) } },
    },
    async (request, reply) => {
      const { workspaceId, role: callerRole } = callerWorkspace(request);
      const { userId } = request.params;
      await db.withWorkspace(workspaceId, async (tx) => {
        const target = await getMember(tx, workspaceId, userId);
        if (!target) throw notFound('member');
        if (roleRank(target.role) > roleRank(callerRole)) throw new TributaryError('forbidden', `Your role (${callerRole}) cannot remove a ${target.role}.`);
        await keepAnOwner(tx, workspaceId, target.role === 'owner');
        await removeMember(tx, workspaceId, userId);
      });
      return reply.status(204).send(null);
    },
  );
}
