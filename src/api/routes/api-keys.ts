import { z } from 'zod';
import { notFound, TributaryError } from '../../domain/errors.js';
import { canGrant } from '../../domain/roles.js';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey } from '../../store/api-key-repository.js';
import type { Api, ApiDeps } from '../app.js';
import { callerWorkspace } from '../auth/access.js';
import { hashToken, newApiKey } from '../auth/tokens.js';
import { apiKeyView, errors, name, presentApiKey, role, uuid } from '../schemas.js';

/** Workspace API keys: shown once at creation, stored hashed, revocable. */
const idParams = z.object({ id: uuid });
const createdKey = apiKeyView.extend({ key: z.string().describe('The key itself. It is shown only now: store it safely.') }).meta({ id: 'CreatedApiKey' });

export function apiKeyRoutes(app: Api, deps: ApiDeps): void {
  const { db } = deps;

  app.get(
    '/api-keys',
    {
      config: { access: 'api_keys.read' },
      schema: { tags: ['api keys'], summary: 'The workspace’s API keys (masked)', response: { 200: z.object({ apiKeys: z.array(apiKeyView) }), ...errors(401, 403) } },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const keys = await db.withWorkspace(workspaceId, (tx) => listApiKeys(tx, workspaceId));
      return { apiKeys: keys.map(presentApiKey) };
    },
  );

  app.post(
    '/api-keys',
    {
      config: { access: 'api_keys.manage' },
      schema: {
        tags: ['api keys'],
        summary: 'Create an API key (admin); the key is in this answer only',
        body: z.object({ name: name('name'), role: role.default('member').describe('What the key may do; at most your own role') }),
        response: { 201: createdKey, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { workspaceId, role: callerRole, userId } = callerWorkspace(request);
      if (!canGrant(callerRole, request.body.role)) throw new TributaryError('forbidden', `Your role (${callerRole}) cannot create a key with the ${request.body.role} role.`);
      const { key, hint } = newApiKey();
      const apiKey = await db.withWorkspace(workspaceId, (tx) =>
        createApiKey(tx, { workspaceId, name: request.body.name, role: request.body.role, keyHash: hashToken(key), hint, createdBy: userId }),
      );
      request.log.info({ apiKeyId: apiKey.id, workspaceId }, 'api key created');
      return reply.status(201).send({ ...presentApiKey(apiKey), key });
    },
  );

  app.get(
    '/api-keys/:id',
    {
      config: { access: 'api_keys.read' },
      schema: { tags: ['api keys'], summary: 'One API key (masked)', params: idParams, response: { 200: apiKeyView, ...errors(400, 401, 403, 404) } },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const apiKey = await db.withWorkspace(workspaceId, (tx) => getApiKey(tx, workspaceId, request.params.id));
      if (!apiKey) throw notFound('API key');
      return presentApiKey(apiKey);
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      config: { access: 'api_keys.manage' },
      schema: { tags: ['api keys'], summary: 'Revoke an API key (admin); it stops working at once', params: idParams, response: { 200: apiKeyView, ...errors(400, 401, 403, 404) } },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const apiKey = await db.withWorkspace(workspaceId, (tx) => revokeApiKey(tx, workspaceId, request.params.id));
      if (!apiKey) throw notFound('API key');
      request.log.info({ apiKeyId: apiKey.id, workspaceId }, 'api key revoked');
      return presentApiKey(apiKey);
    },
  );
}
