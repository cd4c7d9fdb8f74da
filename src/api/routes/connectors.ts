import { z } from 'zod';
import { toCatalogEntry, searchCatalog } from '../../connectors/catalog-view.js';
import { connectorKinds } from '../../connectors/runtime/define.js';
import { notFound } from '../../domain/errors.js';
import type { Api, ApiDeps } from '../app.js';
import { errors } from '../schemas.js';

/** The connector catalog: built-in definitions (custom ones per workspace join with the connector-kit issue). */
const entry = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(connectorKinds),
    category: z.string(),
    description: z.string(),
    docs: z.string(),
    iconSvg: z.string().nullable().describe('The connector’s icon as inline SVG'),
    authMethods: z.array(z.object({ method: z.string(), label: z.string(), formSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of what the user enters') })),
    streams: z.array(z.object({ name: z.string(), description: z.string().nullable(), incremental: z.boolean(), primaryKey: z.string() })),
    actions: z.array(z.object({ name: z.string(), description: z.string(), needsApproval: z.boolean() })),
  })
  .meta({ id: 'Connector' });

const filters = z.object({
  q: z.string().max(200).optional().describe('Search in name, id, description and category'),
  kind: z.enum(connectorKinds).optional(),
  category: z.string().max(40).optional(),
  auth: z.enum(['api_key', 'bearer', 'basic', 'none', 'oauth2']).optional().describe('Only connectors offering this auth method'),
});

export function connectorRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/connectors',
    {
      config: { access: 'workspace.read' },
      schema: { tags: ['connectors'], summary: 'The catalog, with search and filters', querystring: filters, response: { 200: z.object({ connectors: z.array(entry) }), ...errors(400, 401, 403) } },
    },
    async (request) => ({ connectors: searchCatalog(deps.catalog, request.query).map(toCatalogEntry) }),
  );

  app.get(
    '/connectors/:id',
    {
      config: { access: 'workspace.read' },
      schema: { tags: ['connectors'], summary: 'One connector with its form schemas, streams and actions', params: z.object({ id: z.string().max(40) }), response: { 200: entry, ...errors(401, 403, 404) } },
    },
    async (request) => {
      const definition = deps.catalog.find((d) => d.id === request.params.id);
      if (!definition) throw notFound('connector');
      return toCatalogEntry(definition);
    },
  );
}
