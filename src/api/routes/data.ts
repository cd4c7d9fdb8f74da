import { z } from 'zod';
import { TributaryError } from '../../domain/errors.js';
import type { Api, ApiDeps } from '../app.js';
import { callerWorkspace } from '../auth/access.js';
import { errors } from '../schemas.js';

/**
 * The workspace's dataset, read-only: its tables with row counts and columns, one table's
 * schema, and a page of its rows. Only the caller's workspace's dataset is ever opened, and a
 * table name reaches SQL only after the destination found it in that dataset.
 */
const columnView = z.object({ name: z.string(), type: z.enum(['boolean', 'integer', 'number', 'timestamp', 'string', 'json']), key: z.boolean() });
const tableView = z.object({ name: z.string(), rowCount: z.number().int(), columns: z.array(columnView) }).meta({ id: 'DataTable' });
const tableParams = z.object({ name: z.string().min(1).max(128) });

const noSuchTable = () => new TributaryError('not_found', 'The workspace’s dataset has no table of that name; GET /api/v1/data/tables lists them.');

export function dataRoutes(app: Api, deps: ApiDeps): void {
  const destinationOf = (request: Parameters<typeof callerWorkspace>[0]) => deps.sync.warehouse.destination(callerWorkspace(request).workspaceId);

  app.get(
    '/data/tables',
    {
      config: { access: 'data.read' },
      schema: {
        tags: ['data'],
        summary: 'The tables of the workspace’s dataset, with row counts and columns',
        response: { 200: z.object({ dataset: z.string(), warehouse: z.enum(['duckdb', 'postgres']), tables: z.array(tableView) }), ...errors(401, 403) },
      },
    },
    async (request) => {
      const destination = await destinationOf(request);
      return { dataset: destination.dataset, warehouse: destination.kind, tables: await destination.listTables() };
    },
  );

  app.get(
    '/data/tables/:name',
    {
      config: { access: 'data.read' },
      schema: { tags: ['data'], summary: 'One table’s schema', params: tableParams, response: { 200: tableView, ...errors(400, 401, 403, 404) } },
    },
    async (request) => {
      const table = await (await destinationOf(request)).describeTable(request.params.name);
      if (!table) throw noSuchTable();
      return table;
    },
  );

  app.get(
    '/data/tables/:name/rows',
    {
      config: { access: 'data.read' },
      schema: {
        tags: ['data'],
        summary: 'A page of a table’s rows (preview)',
        params: tableParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
          offset: z.coerce.number().int().min(0, 'must be 0 or more').max(10_000_000).default(0),
          sort: z.string().max(128).optional().describe('A column of the table; the primary key by default'),
          direction: z.enum(['asc', 'desc']).default('asc'),
        }),
        response: {
          200: z.object({ columns: z.array(columnView), rows: z.array(z.record(z.string(), z.unknown())), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { limit, offset, sort, direction } = request.query;
      const page = await (await destinationOf(request)).readRows(request.params.name, { limit, offset, direction, ...(sort ? { sort } : {}) });
      if (!page) throw noSuchTable();
      return { ...page, limit, offset };
    },
  );
}
