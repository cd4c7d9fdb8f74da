import { z } from 'zod';
import { searchCatalog, toCatalogEntry } from '../../connectors/catalog-view.js';
import { connectorKinds, parseCustomDefinition, type ConnectorDefinition, type DefinitionIssue } from '../../connectors/runtime/define.js';
import { notFound, TributaryError } from '../../domain/errors.js';
import { countConnectionsOf } from '../../store/connection-repository.js';
import { deleteCustomConnector, findConnector, listAvailableConnectors, saveCustomConnector, type AvailableConnector } from '../../store/custom-connector-repository.js';
import type { Api, ApiDeps } from '../app.js';
import { callerWorkspace } from '../auth/access.js';
import { errors } from '../schemas.js';

/**
 * The connector catalog: the built-in definitions, plus each workspace's own custom REST
 * connectors (declarative JSON, checked by the same schema as the built-ins; a mistake is a 400
 * naming the exact field).
 */
const entry = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(connectorKinds),
    category: z.string(),
    description: z.string(),
    docs: z.string(),
    iconSvg: z.string().nullable().describe('The connector’s icon as inline SVG'),
    custom: z.boolean().describe('A workspace’s own definition rather than a built-in'),
    sandbox: z.boolean().describe('Connections can be made in sandbox mode (seeded, labelled sandbox)'),
    live: z.boolean().describe('Live connections are allowed on this hub'),
    configSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of the non-secret values a connection takes'),
    authMethods: z.array(
      z.object({ method: z.string(), label: z.string(), formSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of the connect form: { config, secrets }') }),
    ),
    accountsField: z.string().nullable().describe('The config field chosen after signing in, with GET and PUT /connections/:id/accounts; null when there is nothing to choose'),
    streams: z.array(z.object({ name: z.string(), description: z.string().nullable(), incremental: z.boolean(), primaryKey: z.string() })),
    actions: z.array(z.object({ name: z.string(), description: z.string(), needsApproval: z.boolean() })),
  })
  .meta({ id: 'Connector' });

const filters = z.object({
  q: z.string().max(200).optional().describe('Search in name, id, description and category'),
  kind: z.enum(connectorKinds).optional(),
  category: z.string().max(40).optional(),
  auth: z.enum(['api_key', 'bearer', 'basic', 'none', 'oauth2', 'connection_string']).optional().describe('Only connectors offering this auth method'),
});
const idParams = z.object({ id: z.string().max(40) });
const definitionBody = z.record(z.string(), z.unknown()).describe('A declarative connector definition (see `tributary connectors validate`)');
const validation = z.object({
  ok: z.boolean(),
  issues: z.array(z.object({ field: z.string().describe('Dotted path, like streams.contacts.paginate.limit'), message: z.string() })),
});

export function connectorRoutes(app: Api, deps: ApiDeps): void {
  const { db, catalog } = deps;
  const { sandboxes, switches } = deps.connections;
  const present = ({ definition, custom }: AvailableConnector) =>
    toCatalogEntry(definition, { custom, sandbox: sandboxes.has(definition.id), live: switches[definition.id]?.live !== false });

  /** A custom definition from a request body, checked as `tributary connectors validate` checks it. */
  function checkCustom(body: Record<string, unknown>, id?: string): ConnectorDefinition {
    const parsed = parseCustomDefinition(body, catalog.map((d) => d.id));
    if (!parsed.ok) throw invalidDefinition(parsed.issues);
    if (id !== undefined && parsed.definition.id !== id) throw invalidDefinition([{ field: 'id', message: `must match the connector in the path ("${id}")` }]);
    return parsed.definition;
  }

  app.get(
    '/connectors',
    {
      config: { access: 'workspace.read' },
      schema: { tags: ['connectors'], summary: 'The catalog (built-in and this workspace’s custom connectors), with search and filters', querystring: filters, response: { 200: z.object({ connectors: z.array(entry) }), ...errors(400, 401, 403) } },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const available = await db.withWorkspace(workspaceId, (tx) => listAvailableConnectors(tx, catalog, workspaceId));
      const matching = new Set(searchCatalog(available.map((a) => a.definition), request.query));
      return { connectors: available.filter((a) => matching.has(a.definition)).map(present) };
    },
  );

  app.get(
    '/connectors/:id',
    {
      config: { access: 'workspace.read' },
      schema: { tags: ['connectors'], summary: 'One connector with its form schemas, streams and actions', params: idParams, response: { 200: entry, ...errors(401, 403, 404) } },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const found = await db.withWorkspace(workspaceId, (tx) => findConnector(tx, catalog, workspaceId, request.params.id));
      if (!found) throw notFound('connector');
      return present(found);
    },
  );

  app.post(
    '/connectors',
    {
      config: { access: 'connectors.manage' },
      schema: {
        tags: ['connectors'],
        summary: 'Add a custom REST connector (admin)',
        description: 'The body is a declarative definition: id, name, category, description, docs, baseUrl, auth, streams (request path, records path, primary key, paginator, incremental cursor). A mistake answers 400 naming the exact field.',
        body: definitionBody,
        response: { 201: entry, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { workspaceId, userId } = callerWorkspace(request);
      const definition = checkCustom(request.body);
      await db.withWorkspace(workspaceId, async (tx) => {
        if (await findConnector(tx, catalog, workspaceId, definition.id)) throw new TributaryError('conflict', `A connector "${definition.id}" already exists in this workspace; change it with PUT /connectors/${definition.id}.`);
        await saveCustomConnector(tx, { workspaceId, id: definition.id, definition: { kind: 'custom', ...request.body }, createdBy: userId });
      });
      return reply.status(201).send(present({ definition, custom: true }));
    },
  );

  app.post(
    '/connectors/validate',
    {
      config: { access: 'connectors.manage' },
      schema: {
        tags: ['connectors'],
        summary: 'Check a custom connector definition without saving it (admin)',
        description: 'Answers 200 with every issue `POST /connectors` would refuse, each naming its field; an editor checks as the definition is typed.',
        body: definitionBody,
        response: { 200: validation, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const parsed = parseCustomDefinition(request.body, catalog.map((d) => d.id));
      return parsed.ok ? { ok: true, issues: [] } : { ok: false, issues: parsed.issues };
    },
  );

  app.put(
    '/connectors/:id',
    {
      config: { access: 'connectors.manage' },
      schema: { tags: ['connectors'], summary: 'Replace a custom connector’s definition (admin)', params: idParams, body: definitionBody, response: { 200: entry, ...errors(400, 401, 403, 404) } },
    },
    async (request) => {
      const { workspaceId, userId } = callerWorkspace(request);
      const definition = checkCustom(request.body, request.params.id);
      await db.withWorkspace(workspaceId, async (tx) => {
        const found = await findConnector(tx, catalog, workspaceId, request.params.id);
        if (!found?.custom) throw notFound('custom connector');
        await saveCustomConnector(tx, { workspaceId, id: definition.id, definition: { kind: 'custom', ...request.body }, createdBy: userId });
      });
      return present({ definition, custom: true });
    },
  );

  app.delete(
    '/connectors/:id',
    {
      config: { access: 'connectors.manage' },
      schema: { tags: ['connectors'], summary: 'Delete a custom connector that no connection uses (admin)', params: idParams, response: { 204: z.null(), ...errors(401, 403, 404, 409) } },
    },
    async (request, reply) => {
      const { workspaceId } = callerWorkspace(request);
      await db.withWorkspace(workspaceId, async (tx) => {
        const found = await findConnector(tx, catalog, workspaceId, request.params.id);
        if (!found?.custom) throw notFound('custom connector');
        const inUse = await countConnectionsOf(tx, workspaceId, request.params.id);
        if (inUse > 0) throw new TributaryError('conflict', `${inUse} connection(s) use this connector; delete them first.`, { details: { connections: inUse } });
        await deleteCustomConnector(tx, workspaceId, request.params.id);
      });
      return reply.status(204).send(null);
    },
  );
}

function invalidDefinition(fields: DefinitionIssue[]): TributaryError {
  return new TributaryError('validation_failed', `${fields[0]!.field}: ${fields[0]!.message}`, { details: { fields } });
}
