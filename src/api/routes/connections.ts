import { z } from 'zod';
import { connectionStreams } from '../../connectors/catalog-view.js';
import type { ConnectorDefinition } from '../../connectors/runtime/define.js';
import type { Discovery } from '../../connectors/runtime/hooks.js';
import type { ConnectionTestResult } from '../../connectors/runtime/test-connection.js';
import { connectionModes, connectionStatuses, type Connection } from '../../domain/connections.js';
import { notFound } from '../../domain/errors.js';
import { runStatuses, type SyncRun } from '../../domain/runs.js';
import * as lifecycle from '../connection-lifecycle.js';
import { nextRuns } from '../../engine/scheduler/schedule.js';
import { getConnection, listConnections } from '../../store/connection-repository.js';
import { findConnector } from '../../store/custom-connector-repository.js';
import type { Queryable } from '../../store/db.js';
import { listEvents } from '../../store/event-repository.js';
import { listHealthChecks } from '../../store/health-check-repository.js';
import { lastRunOf, lastRuns, readState, readStates } from '../../store/sync-run-repository.js';
import type { Api, ApiDeps } from '../app.js';
import { callerWorkspace } from '../auth/access.js';
import { errors, name, pageQuery, uuid } from '../schemas.js';

/**
 * Connections: a workspace's configured instances of connectors. Secrets are write-only: every
 * answer shows the masked hint. Status changes go through connection-lifecycle.ts.
 */
const timestamp = z.string().describe('ISO 8601 date and time');
const streamView = z.object({
  name: z.string(),
  description: z.string().nullable(),
  incremental: z.boolean(),
  primaryKey: z.string().nullable(),
  selected: z.boolean(),
  discoveredColumns: z.number().int().describe('Columns found for this account at the last test (custom properties, table columns)'),
  cursor: z.string().nullable().describe('Where the next incremental read starts: committed only after the data it covers is in the warehouse'),
});
const connectionView = z
  .object({
    id: z.string(),
    name: z.string(),
    connectorId: z.string(),
    connectorName: z.string(),
    kind: z.string(),
    mode: z.enum(connectionModes),
    source: z.enum(connectionModes).describe('Where this connection’s data comes from: the vendor (live) or the connector’s sandbox (seeded fake data)'),
    status: z.enum(connectionStatuses),
    authMethod: z.string(),
    config: z.record(z.string(), z.unknown()),
    credential: z.object({ hint: z.string().describe('The masked secret; the secret itself is never shown') }).nullable(),
    streams: z.array(streamView),
    lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
    lastTestedAt: timestamp.nullable(),
    lastRun: z
      .object({ id: z.string(), status: z.enum(runStatuses), finishedAt: timestamp.nullable() })
      .nullable()
      .describe('The latest sync run (queued, running or finished); null before the first'),
    schedule: z.object({
      cron: z.string().nullable().describe('Five-field cron expression; null when scheduled runs are off'),
      timezone: z.string().describe('IANA time zone the expression is read in'),
      nextRuns: z.array(timestamp).describe('The next three scheduled runs'),
    }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Connection' });
const testView = z
  .object({
    ok: z.boolean(),
    responseTimeMs: z.number().int(),
    source: z.enum(connectionModes),
    error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).nullable(),
    connection: connectionView,
  })
  .meta({ id: 'ConnectionTest' });
const eventView = z.object({ id: z.string(), kind: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()), actorId: z.string().nullable(), createdAt: timestamp });
const healthView = z.object({ id: z.string(), ok: z.boolean(), responseTimeMs: z.number().int(), errorCode: z.string().nullable(), errorMessage: z.string().nullable(), checkedAt: timestamp });

const idParams = z.object({ id: uuid });
const accountsView = z.object({
  field: z.string().describe('The config field the choice is kept in'),
  accounts: z.array(z.object({ id: z.string(), name: z.string(), group: z.string().optional() })),
  selected: z.array(z.string()),
});
const scheduleBody = z
  .object({
    cron: z.string().max(120).nullable().describe('Five fields: minute hour day-of-month month day-of-week, like "0 3 * * *"; null turns scheduled runs off'),
    timezone: z.string().max(64).optional().describe('IANA time zone, like Europe/Paris; UTC by default'),
  })
  .describe('When scheduled runs happen; daily at 03:00 UTC by default');
const configBody = z.record(z.string(), z.unknown()).describe('Non-secret values, per the connector’s configSchema');
const secretsBody = z.record(z.string(), z.unknown()).describe('Write-only: per the auth method’s formSchema. Optional in sandbox mode (the sandbox’s own credentials are used).');

function present(connection: Connection, definition: ConnectorDefinition, state: Record<string, string>, lastRun: SyncRun | undefined) {
  return {
    id: connection.id,
    name: connection.name,
    connectorId: connection.connectorId,
    connectorName: definition.name,
    kind: definition.kind,
    mode: connection.mode,
    source: connection.mode,
    status: connection.status,
    authMethod: connection.authMethod,
    config: connection.config,
    credential: connection.credentialHint === null ? null : { hint: connection.credentialHint },
    streams: connectionStreams(definition, connection.discovery as Discovery | undefined, connection.selectedStreams).map((stream) => ({ ...stream, cursor: state[stream.name] ?? null })),
    lastError: connection.lastError,
    lastTestedAt: connection.lastTestedAt?.toISOString() ?? null,
    lastRun: lastRun ? { id: lastRun.id, status: lastRun.status, finishedAt: lastRun.finishedAt?.toISOString() ?? null } : null,
    schedule: { ...connection.schedule, nextRuns: nextRuns(connection.schedule, new Date(), 3).map((d) => d.toISOString()) },
    createdAt: connection.createdAt.toISOString(),
    updatedAt: connection.updatedAt.toISOString(),
  };
}

export function connectionRoutes(app: Api, deps: ApiDeps): void {
  const { db } = deps;
  const lifecycleDeps: lifecycle.ConnectionDeps = { db, catalog: deps.catalog, logger: deps.logger, ...deps.connections };
  const caller = (request: Parameters<typeof callerWorkspace>[0]) => {
    const { workspaceId, userId } = callerWorkspace(request);
    return { workspaceId, userId };
  };
  const presented = async (workspaceId: string, connection: Connection, tx?: Queryable) => {
    const load = async (q: Queryable) =>
      present(connection, await lifecycle.connectorOf(q, lifecycleDeps, workspaceId, connection.connectorId), await readState(q, workspaceId, connection.id), await lastRunOf(q, workspaceId, connection.id));
    return tx ? load(tx) : db.withWorkspace(workspaceId, load);
  };
  const presentTest = async (workspaceId: string, { connection, result }: lifecycle.TestOutcome) => ({
    ok: result.ok,
    responseTimeMs: result.responseTimeMs,
    source: connection.mode,
    error: errorOf(result),
    connection: await presented(workspaceId, connection),
  });

  app.get(
    '/connections',
    {
      config: { access: 'connections.read' },
      schema: {
        tags: ['connections'],
        summary: 'The workspace’s connections',
        querystring: z.object({ connectorId: z.string().max(40).optional(), status: z.enum(connectionStatuses).optional() }),
        response: { 200: z.object({ connections: z.array(connectionView) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      return db.withWorkspace(workspaceId, async (tx) => {
        const rows = await listConnections(tx, workspaceId, request.query);
        const definitions = new Map<string, ConnectorDefinition>();
        for (const row of rows) if (!definitions.has(row.connectorId)) definitions.set(row.connectorId, (await findConnector(tx, deps.catalog, workspaceId, row.connectorId))!.definition);
        const states = await readStates(tx, workspaceId);
        const runs = await lastRuns(tx, workspaceId);
        return { connections: rows.map((row) => present(row, definitions.get(row.connectorId)!, states.get(row.id) ?? {}, runs.get(row.id))) };
      });
    },
  );

  app.post(
    '/connections',
    {
      config: { access: 'connections.manage' },
      schema: {
        tags: ['connections'],
        summary: 'Connect a connector (admin); test it next',
        description: 'Creates the connection in `configuring`. Sandbox mode (the default) reaches the connector’s seeded loopback sandbox; live mode reaches the vendor and needs secrets. Then `POST /connections/:id/test`.',
        body: z.object({
          connectorId: z.string().min(1).max(40),
          name: name('name').optional(),
          mode: z.enum(connectionModes).default('sandbox'),
          authMethod: z.string().max(40).optional().describe('One of the connector’s auth methods; the first when left out'),
          config: configBody.default({}),
          secrets: secretsBody.optional(),
          streams: z.array(z.string().max(200)).max(500).optional().describe('Streams to sync; all when left out'),
          schedule: scheduleBody.optional(),
        }),
        response: { 201: connectionView, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const connection = await lifecycle.createConnection(lifecycleDeps, caller(request), request.body);
      return reply.status(201).send(await presented(connection.workspaceId, connection));
    },
  );

  app.get(
    '/connections/:id',
    {
      config: { access: 'connections.read' },
      schema: { tags: ['connections'], summary: 'One connection (secrets masked)', params: idParams, response: { 200: connectionView, ...errors(400, 401, 403, 404) } },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      return db.withWorkspace(workspaceId, async (tx) => {
        const connection = await getConnection(tx, workspaceId, request.params.id);
        if (!connection) throw notFound('connection');
        return presented(workspaceId, connection, tx);
      });
    },
  );

  app.patch(
    '/connections/:id',
    {
      config: { access: 'connections.manage' },
      schema: {
        tags: ['connections'],
        summary: 'Change a connection’s name, config, secrets, streams or schedule (admin)',
        description: 'New config or secrets put the connection back in `configuring` until it is tested again.',
        params: idParams,
        body: z.object({
          name: name('name').optional(),
          config: configBody.optional(),
          secrets: secretsBody.optional(),
          streams: z.array(z.string().max(200)).max(500).nullable().optional(),
          schedule: scheduleBody.optional(),
        }),
        response: { 200: connectionView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const connection = await lifecycle.changeConnection(lifecycleDeps, caller(request), request.params.id, request.body);
      return presented(connection.workspaceId, connection);
    },
  );

  app.delete(
    '/connections/:id',
    {
      config: { access: 'connections.manage' },
      schema: { tags: ['connections'], summary: 'Delete a connection, its credential and its history (admin)', params: idParams, response: { 204: z.null(), ...errors(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      await lifecycle.deleteConnection(lifecycleDeps, caller(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/connections/:id/test',
    {
      config: { access: 'connections.test' },
      schema: {
        tags: ['connections'],
        summary: 'Test a connection with one cheap real call',
        description: 'Answers 200 whether the vendor accepted or not: `ok`, the response time, and the classified error (e.g. `auth_failed`). The connection becomes `connected` or `error`; a health check and an event are recorded.',
        params: idParams,
        response: { 200: testView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => presentTest(callerWorkspace(request).workspaceId, await lifecycle.runConnectionTest(lifecycleDeps, caller(request), request.params.id)),
  );

  app.get(
    '/connections/:id/accounts',
    {
      config: { access: 'connections.read' },
      schema: {
        tags: ['connections'],
        summary: 'What the connection’s sign-in can see (GA4 properties…), and which are chosen',
        params: idParams,
        response: { 200: accountsView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => lifecycle.listAccounts(lifecycleDeps, caller(request), request.params.id),
  );

  app.put(
    '/connections/:id/accounts',
    {
      config: { access: 'connections.manage' },
      schema: {
        tags: ['connections'],
        summary: 'Choose the accounts the connection syncs (admin)',
        description: 'Every id must be one `GET /connections/:id/accounts` lists. A live connection that must choose and has not answers 409 `accounts_required` when asked to sync.',
        params: idParams,
        body: z.object({ ids: z.array(z.string().min(1).max(200)).min(1).max(500) }),
        response: { 200: accountsView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => lifecycle.chooseAccounts(lifecycleDeps, caller(request), request.params.id, request.body.ids),
  );

  app.post(
    '/connections/:id/disconnect',
    {
      config: { access: 'connections.manage' },
      schema: { tags: ['connections'], summary: 'Disconnect: delete the stored credential, keep the history (admin)', params: idParams, response: { 200: connectionView, ...errors(400, 401, 403, 404, 409) } },
    },
    async (request) => {
      const connection = await lifecycle.disconnectConnection(lifecycleDeps, caller(request), request.params.id);
      return presented(connection.workspaceId, connection);
    },
  );

  app.post(
    '/connections/:id/reconnect',
    {
      config: { access: 'connections.manage' },
      schema: {
        tags: ['connections'],
        summary: 'Reconnect with new secrets (and config), then test (admin)',
        params: idParams,
        body: z.object({ config: configBody.optional(), secrets: secretsBody.optional() }),
        response: { 200: testView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => presentTest(callerWorkspace(request).workspaceId, await lifecycle.reconnectConnection(lifecycleDeps, caller(request), request.params.id, request.body)),
  );

  app.get(
    '/connections/:id/events',
    {
      config: { access: 'connections.read' },
      schema: {
        tags: ['connections'],
        summary: 'What happened to a connection, newest first (paginated)',
        params: idParams,
        querystring: pageQuery,
        response: { 200: z.object({ events: z.array(eventView), nextCursor: z.string().nullable() }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const result = await db.withWorkspace(workspaceId, async (tx) => {
        if (!(await getConnection(tx, workspaceId, request.params.id))) throw notFound('connection');
        return listEvents(tx, workspaceId, request.params.id, request.query);
      });
      return {
        events: result.items.map((e) => ({ id: e.id, kind: e.kind, message: e.message, details: e.details, actorId: e.actorId, createdAt: e.createdAt.toISOString() })),
        nextCursor: result.nextCursor,
      };
    },
  );

  app.get(
    '/connections/:id/health',
    {
      config: { access: 'connections.read' },
      schema: {
        tags: ['connections'],
        summary: 'Health checks of a connection, newest first (paginated)',
        params: idParams,
        querystring: pageQuery,
        response: { 200: z.object({ checks: z.array(healthView), nextCursor: z.string().nullable() }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const result = await db.withWorkspace(workspaceId, async (tx) => {
        if (!(await getConnection(tx, workspaceId, request.params.id))) throw notFound('connection');
        return listHealthChecks(tx, workspaceId, request.params.id, request.query);
      });
      return {
        checks: result.items.map((h) => ({ id: h.id, ok: h.ok, responseTimeMs: h.responseTimeMs, errorCode: h.errorCode, errorMessage: h.errorMessage, checkedAt: h.checkedAt.toISOString() })),
        nextCursor: result.nextCursor,
      };
    },
  );
}

function errorOf(result: ConnectionTestResult) {
  return result.ok ? null : { code: result.error.code, message: result.error.message, retryable: result.error.retryable };
}
