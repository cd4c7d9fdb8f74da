import { z } from 'zod';
import { notFound, TributaryError } from '../../domain/errors.js';
import { setSessionWorkspace } from '../../store/session-repository.js';
import { createWorkspace, deleteWorkspace, getWorkspace, listWorkspacesOfUser, renameWorkspace } from '../../store/workspace-repository.js';
import type { Api, ApiDeps } from '../app.js';
import { callerUser, callerWorkspace } from '../auth/access.js';
import { errors, name, presentWorkspace, role, uuid, workspaceView, workspaceWithRoleView } from '../schemas.js';

/**
 * Workspaces (tenants). `/workspaces/:id` acts in the workspace the path names, so the caller's
 * role there is what counts; a workspace the caller does not belong to is a 404.
 */
const idParams = z.object({ id: uuid });
const current = z.object({ workspace: workspaceView, role }).meta({ id: 'CurrentWorkspace' });

export function workspaceRoutes(app: Api, deps: ApiDeps): void {
  const { db } = deps;

  app.get(
    '/workspaces',
    {
      config: { access: 'user' },
      schema: { tags: ['workspaces'], summary: 'The workspaces you belong to, with your role in each', response: { 200: z.object({ workspaces: z.array(workspaceWithRoleView) }), ...errors(401, 403) } },
    },
    async (request) => {
      const { userId } = callerUser(request);
      const workspaces = await db.asSystem((tx) => listWorkspacesOfUser(tx, userId));
      return { workspaces: workspaces.map((w) => ({ ...presentWorkspace(w), role: w.role })) };
    },
  );

  app.post(
    '/workspaces',
    {
      config: { access: 'user' },
      schema: {
        tags: ['workspaces'],
        summary: 'Create a workspace; you become its owner',
        body: z.object({ name: name('name') }),
        response: { 201: workspaceView, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { userId } = callerUser(request);
      const workspace = await db.asSystem((tx) => createWorkspace(tx, { name: request.body.name, ownerId: userId }));
      return reply.status(201).send(presentWorkspace(workspace));
    },
  );

  app.get(
    '/workspaces/current',
    {
      config: { access: 'workspace.read' },
      schema: {
        tags: ['workspaces'],
        summary: 'The workspace requests act in (X-Workspace-Id, else the session’s current one), and your role',
        response: { 200: current, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const { workspaceId, role: callerRole } = callerWorkspace(request);
      const workspace = await db.withWorkspace(workspaceId, (tx) => getWorkspace(tx, workspaceId));
      if (!workspace) throw notFound('workspace');
      return { workspace: presentWorkspace(workspace), role: callerRole };
    },
  );

  app.get(
    '/workspaces/:id',
    {
      config: { access: 'workspace.read', workspaceParam: 'id' },
      schema: { tags: ['workspaces'], summary: 'One workspace you belong to', params: idParams, response: { 200: workspaceView, ...errors(400, 401, 403, 404) } },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const workspace = await db.withWorkspace(workspaceId, (tx) => getWorkspace(tx, workspaceId));
      if (!workspace) throw notFound('workspace');
      return presentWorkspace(workspace);
    },
  );

  app.patch(
    '/workspaces/:id',
    {
      config: { access: 'workspace.update', workspaceParam: 'id' },
      schema: {
        tags: ['workspaces'],
        summary: 'Rename a workspace (admin)',
        params: idParams,
        body: z.object({ name: name('name') }),
        response: { 200: workspaceView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const workspace = await db.withWorkspace(workspaceId, (tx) => renameWorkspace(tx, workspaceId, request.body.name));
      if (!workspace) throw notFound('workspace');
      return presentWorkspace(workspace);
    },
  );

  app.delete(
    '/workspaces/:id',
    {
      config: { access: 'workspace.delete', workspaceParam: 'id' },
      schema: {
        tags: ['workspaces'],
        summary: 'Delete a workspace and everything in it (owner)',
        params: idParams,
        response: { 204: z.null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { workspaceId } = callerWorkspace(request);
      const deleted = await db.withWorkspace(workspaceId, (tx) => deleteWorkspace(tx, workspaceId));
      if (!deleted) throw notFound('workspace');
      request.log.info({ workspaceId }, 'workspace deleted');
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/workspaces/:id/switch',
    {
      config: { access: 'workspace.read', workspaceParam: 'id' },
      schema: {
        tags: ['workspaces'],
        summary: 'Make this the session’s current workspace',
        description: 'Only browser sessions have a current workspace; API clients send X-Workspace-Id instead.',
        params: idParams,
        response: { 200: current, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { workspaceId, role: callerRole } = callerWorkspace(request);
      const sessionId = request.principal?.sessionId;
      if (!sessionId) throw new TributaryError('validation_failed', 'Only a browser session has a current workspace; send X-Workspace-Id with each request instead.');
      const workspace = await db.asSystem(async (tx) => {
        await setSessionWorkspace(tx, sessionId, workspaceId);
        return getWorkspace(tx, workspaceId);
      });
      if (!workspace) throw notFound('workspace');
      return { workspace: presentWorkspace(workspace), role: callerRole };
    },
  );
}
