import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { requestRun } from '../../engine/runs/request-run.js';
import { notFound, TributaryError } from '../../domain/errors.js';
import { isFinished, runStatuses, type SyncRun } from '../../domain/runs.js';
import { getConnection } from '../../store/connection-repository.js';
import { cancelRun, getRun, listRuns } from '../../store/sync-run-repository.js';
import type { Api, ApiDeps } from '../app.js';
import { callerWorkspace } from '../auth/access.js';
import { errors, pageQuery, uuid } from '../schemas.js';

/**
 * Sync runs: trigger (one at a time per connection), follow (poll, or server-sent events while
 * it goes), list and cancel. The run's row is the truth; these routes only read it and ask.
 */
const timestamp = z.string().describe('ISO 8601 date and time');
const streamProgressView = z.object({
  status: z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled']),
  records: z.number().int(),
  pages: z.number().int(),
  bytes: z.number().int(),
  warnings: z.array(z.string()).optional(),
});
export const runView = z
  .object({
    id: z.string(),
    connectionId: z.string(),
    trigger: z.enum(['manual', 'schedule', 'api', 'webhook']),
    status: z.enum(runStatuses),
    attempt: z.number().int(),
    maxAttempts: z.number().int(),
    streams: z.record(z.string(), streamProgressView).describe('Counts per stream, updated at least once a second while the run goes'),
    records: z.number().int(),
    bytes: z.number().int(),
    error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).nullable(),
    cancelRequested: z.boolean(),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    durationMs: z.number().int().nullable(),
  })
  .meta({ id: 'SyncRun' });

export function presentRun(run: SyncRun): z.infer<typeof runView> {
  return {
    id: run.id,
    connectionId: run.connectionId,
    trigger: run.trigger,
    status: run.status,
    attempt: run.attempt,
    maxAttempts: run.maxAttempts,
    streams: run.streams,
    records: run.records,
    bytes: run.bytes,
    error: run.error,
    cancelRequested: run.cancelRequested,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationMs: run.durationMs,
  };
}

const idParams = z.object({ id: uuid });
const pollMs = 250;

export function runRoutes(app: Api, deps: ApiDeps): void {
  const { db } = deps;
  const readRun = (workspaceId: string, id: string) => db.withWorkspace(workspaceId, (tx) => getRun(tx, workspaceId, id));

  app.post(
    '/connections/:id/runs',
    {
      config: { access: 'runs.trigger' },
      schema: {
        tags: ['runs'],
        summary: 'Start a sync of a connection',
        description:
          'Answers 202 with the queued run. With `wait=true` it answers when the run ends (200), or with the run as it is after `timeoutSeconds` (202). A second trigger while a run is queued or running answers 409 `already_running`, with that run’s id in `details.runId`.',
        params: idParams,
        querystring: z.object({
          wait: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
          timeoutSeconds: z.coerce.number().int().min(1, 'must be at least 1').max(300, 'must be at most 300').default(60),
        }),
        body: z
          .object({ trigger: z.enum(['manual', 'api']).default('api').describe('`manual` from a person (the web app, the CLI), `api` from a program') })
          .nullish()
          .describe('Optional'),
        response: { 200: runView, 202: runView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { workspaceId, userId } = callerWorkspace(request);
      const result = await requestRun(deps.sync, { workspaceId, connectionId: request.params.id, trigger: request.body?.trigger ?? 'api', requestedBy: userId });
      if (result.kind === 'already_running') {
        throw new TributaryError('already_running', `A run of this connection is already ${result.run.status} (run ${result.run.id}); wait for it or cancel it.`, {
          details: { runId: result.run.id, status: result.run.status },
        });
      }
      let run = result.run;
      if (request.query.wait) {
        const deadline = Date.now() + request.query.timeoutSeconds * 1000;
        while (!isFinished(run.status) && Date.now() < deadline) {
          await sleep(pollMs);
          run = (await readRun(workspaceId, run.id)) ?? run;
        }
      }
      return reply.status(isFinished(run.status) ? 200 : 202).send(presentRun(run));
    },
  );

  app.get(
    '/connections/:id/runs',
    {
      config: { access: 'runs.read' },
      schema: {
        tags: ['runs'],
        summary: 'A connection’s runs, newest first (paginated)',
        params: idParams,
        querystring: pageQuery,
        response: { 200: z.object({ runs: z.array(runView), nextCursor: z.string().nullable() }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { workspaceId } = callerWorkspace(request);
      const page = await db.withWorkspace(workspaceId, async (tx) => {
        if (!(await getConnection(tx, workspaceId, request.params.id))) throw notFound('connection');
        return listRuns(tx, workspaceId, request.params.id, request.query);
      });
      return { runs: page.items.map(presentRun), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/runs/:id',
    {
      config: { access: 'runs.read' },
      schema: { tags: ['runs'], summary: 'One run, with its counts so far', params: idParams, response: { 200: runView, ...errors(400, 401, 403, 404) } },
    },
    async (request) => {
      const run = await readRun(callerWorkspace(request).workspaceId, request.params.id);
      if (!run) throw notFound('run');
      return presentRun(run);
    },
  );

  app.post(
    '/runs/:id/cancel',
    {
      config: { access: 'runs.trigger' },
      schema: {
        tags: ['runs'],
        summary: 'Cancel a run',
        description: 'A queued run is cancelled at once; a running one stops within two seconds, keeping the batches already written. Cancelling a finished run changes nothing.',
        params: idParams,
        response: { 202: runView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { workspaceId } = callerWorkspace(request);
      const run = await db.withWorkspace(workspaceId, (tx) => cancelRun(tx, workspaceId, request.params.id));
      if (!run) throw notFound('run');
      return reply.status(202).send(presentRun(run));
    },
  );

  app.get(
    '/runs/:id/stream',
    {
      config: { access: 'runs.read' },
      schema: {
        tags: ['runs'],
        summary: 'Follow a run as server-sent events',
        description: 'Sends `event: progress` with the run (as `GET /runs/:id`) whenever its counts change, at most every 250 ms, and `event: end` with the final run, then closes.',
        params: idParams,
        response: { 200: z.string().describe('text/event-stream'), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { workspaceId } = callerWorkspace(request);
      let run = await readRun(workspaceId, request.params.id);
      if (!run) throw notFound('run');
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': request.id });
      let open = true;
      request.raw.on('close', () => (open = false));
      let sent = '';
      let lastWrite = Date.now();
      while (open) {
        const body = JSON.stringify(presentRun(run));
        const finished = isFinished(run.status);
        if (finished || body !== sent) {
          out.write(`event: ${finished ? 'end' : 'progress'}\ndata: ${body}\n\n`);
          sent = body;
          lastWrite = Date.now();
        } else if (Date.now() - lastWrite > 15_000) {
          out.write(': still running\n\n');
          lastWrite = Date.now();
        }
        if (finished) break;
        await sleep(pollMs);
        run = (await readRun(workspaceId, run.id)) ?? run;
      }
      out.end();
    },
  );
}
