import { accountsMissing } from '../connectors/runtime/account-choice.js';
import type { ConnectorDefinition } from '../connectors/runtime/define.js';
import { assertLiveAllowed, type ConnectorSwitches } from '../engine/connections/connection-target.js';
import type { RunJob, RunQueue, SqlExecutor } from '../engine/queue/run-queue.js';
import type { ClaimedRun, Lease, RequestRunResult, RunOutcome, RunProgress, RunRef, RunRequest, RunStore } from '../engine/runs/run-store.js';
import { nextRun } from '../engine/scheduler/schedule.js';
import { canMove } from '../domain/connections.js';
import { notFound, TributaryError } from '../domain/errors.js';
import type { RunError } from '../domain/runs.js';
import { getConnection, lockConnection, updateConnection } from './connection-repository.js';
import { readCredentialSecret } from './credential-repository.js';
import { findConnector } from './custom-connector-repository.js';
import type { Database, Queryable } from './db.js';
import { recordEvent } from './event-repository.js';
import { activeRunOf, insertQueuedRun, readState, saveCursor, toRun } from './sync-run-repository.js';
import type { CredentialVault } from './vault/credential-vault.js';

/**
 * The engine's `RunStore` on the metadata database: each method one transaction, every change to
 * a running run fenced by its lease (`status = 'running' AND lease_owner = <this worker>`), and
 * every job sent inside the transaction that records why.
 */
export interface RunStoreDeps {
  db: Database;
  queue: RunQueue;
  vault: CredentialVault;
  catalog: readonly ConnectorDefinition[];
  switches: ConnectorSwitches;
  /** Attempts a run gets in all (retryable failures and lost workers count). */
  maxAttempts?: number;
}

const inTransaction = (tx: Queryable): SqlExecutor => ({ executeSql: async (text, values) => ({ rows: await tx.query(text, values) }) });
const leaseUntil = (lease: Lease) => [lease.owner, lease.ms / 1000];
const progressParams = (progress: RunProgress) => [JSON.stringify(progress.streams), progress.records, progress.bytes];

export function createRunStore(deps: RunStoreDeps): RunStore {
  const { db, queue } = deps;
  const maxAttempts = deps.maxAttempts ?? 3;

  /** Updates a run this worker holds; `worker_lost` when it no longer does. */
  async function fenced(tx: Queryable, run: RunRef, lease: Lease, sets: string, params: unknown[]): Promise<{ connection_id: string; attempt: number }> {
    const rows = await tx.query<{ connection_id: string; attempt: number }>(
      `UPDATE sync_runs SET ${sets}, updated_at = clock_timestamp()
        WHERE workspace_id = $1 AND id = $2 AND status = 'running' AND lease_owner = $3
        RETURNING connection_id, attempt`,
      [run.workspaceId, run.id, lease.owner, ...params],
    );
    if (!rows[0]) throw new TributaryError('worker_lost', 'This worker no longer holds the run: its lease lapsed and the run was taken back.');
    return rows[0];
  }

  return {
    async request(input: RunRequest): Promise<RequestRunResult> {
      return db.withWorkspace(input.workspaceId, async (tx) => {
        const connection = await lockConnection(tx, input.workspaceId, input.connectionId);
        if (!connection) throw notFound('connection');
        if (connection.status === 'disconnected') {
          throw new TributaryError('conflict', 'This connection is disconnected; reconnect it (POST /connections/:id/reconnect) before syncing.');
        }
        if (connection.mode === 'live') {
          const found = await findConnector(tx, deps.catalog, input.workspaceId, connection.connectorId);
          if (found) assertLiveAllowed(found.definition, deps.switches);
          if (found && accountsMissing(found.definition, connection)) throw new TributaryError('accounts_required');
        }
        const run = await insertQueuedRun(tx, { ...input, maxAttempts });
        if (!run) return { kind: 'already_running', run: (await activeRunOf(tx, input.workspaceId, input.connectionId))! };
        await queue.send({ workspaceId: run.workspaceId, runId: run.id }, { within: inTransaction(tx) });
        return { kind: 'queued', run };
      });
    },

    async claim(job: RunJob, lease: Lease): Promise<ClaimedRun | undefined> {
      return db.withWorkspace(job.workspaceId, async (tx) => {
        const [row] = await tx.query<Parameters<typeof toRun>[0]>(
          `UPDATE sync_runs
              SET status = 'running', lease_owner = $3, lease_expires_at = clock_timestamp() + make_interval(secs => $4),
                  cancel_requested = false, started_at = coalesce(started_at, clock_timestamp()), updated_at = clock_timestamp()
            WHERE workspace_id = $1 AND id = $2 AND status = 'queued'
            RETURNING *`,
          [job.workspaceId, job.runId, ...leaseUntil(lease)],
        );
        if (!row) return undefined;
        const run = toRun(row);
        const connection = (await getConnection(tx, run.workspaceId, run.connectionId))!;
        const found = await findConnector(tx, deps.catalog, run.workspaceId, connection.connectorId);
        if (!found || connection.status === 'disconnected') {
          const message = found ? 'The connection was disconnected before the run started.' : `The connector "${connection.connectorId}" is no longer in the catalog.`;
          await tx.query(`UPDATE sync_runs SET status = 'skipped', finished_at = clock_timestamp(), lease_owner = NULL, error = $3 WHERE workspace_id = $1 AND id = $2`, [
            run.workspaceId,
            run.id,
            JSON.stringify({ code: 'conflict', message, retryable: false }),
          ]);
          return undefined;
        }
        const secrets = connection.credentialId ? (JSON.parse(await readCredentialSecret(tx, deps.vault, run.workspaceId, connection.credentialId)) as unknown) : undefined;
        return { run, connection, definition: found.definition, secrets, state: await readState(tx, run.workspaceId, connection.id) };
      });
    },

    async renew(run, lease, progress) {
      return db.withWorkspace(run.workspaceId, async (tx) => {
        const rows = await tx.query<{ cancel_requested: boolean }>(
          `UPDATE sync_runs SET lease_expires_at = clock_timestamp() + make_interval(secs => $4), streams = $5, records = $6, bytes = $7, updated_at = clock_timestamp()
            WHERE workspace_id = $1 AND id = $2 AND status = 'running' AND lease_owner = $3
            RETURNING cancel_requested`,
          [run.workspaceId, run.id, ...leaseUntil(lease), ...progressParams(progress)],
        );
        return { held: rows.length > 0, cancelRequested: rows[0]?.cancel_requested ?? false };
      });
    },

    async commitCursor(run, lease, stream, cursor) {
      await db.withWorkspace(run.workspaceId, async (tx) => {
        const { connection_id } = await fenced(tx, run, lease, 'lease_expires_at = clock_timestamp() + make_interval(secs => $4)', [lease.ms / 1000]);
        await saveCursor(tx, { workspaceId: run.workspaceId, connectionId: connection_id, stream, cursor, runId: run.id });
      });
    },

    async finish(run, lease, outcome: RunOutcome) {
      await db.withWorkspace(run.workspaceId, async (tx) => {
        const error = outcome.status === 'failed' ? outcome.error : null;
        const { connection_id: connectionId } = await fenced(
          tx,
          run,
          lease,
          `status = $4, error = $5, streams = $6, records = $7, bytes = $8, finished_at = clock_timestamp(), lease_owner = NULL, lease_expires_at = NULL`,
          [outcome.status, error && JSON.stringify(error), ...progressParams(outcome.progress)],
        );
        const connection = await lockConnection(tx, run.workspaceId, connectionId);
        if (outcome.status === 'failed' && outcome.connectionError && connection && canMove(connection.status, 'error')) {
          await updateConnection(tx, run.workspaceId, connectionId, { status: 'error', lastError: { code: outcome.error.code, message: outcome.error.message } });
        } else if (outcome.status === 'succeeded' && (connection?.status === 'error' || connection?.status === 'configuring')) {
          await updateConnection(tx, run.workspaceId, connectionId, { status: 'connected', lastError: null });
        }
        await recordEvent(tx, { workspaceId: run.workspaceId, connectionId, kind: `sync.${outcome.status}`, message: finishMessage(outcome), details: { runId: run.id, records: outcome.progress.records, ...(error ? { code: error.code } : {}) } });
      });
    },

    async retry(run, lease, progress, error, delaySeconds) {
      await db.withWorkspace(run.workspaceId, async (tx) => {
        const { connection_id: connectionId, attempt } = await fenced(
          tx,
          run,
          lease,
          `status = 'queued', attempt = attempt + 1, error = $4, streams = $5, records = $6, bytes = $7, lease_owner = NULL, lease_expires_at = NULL`,
          [JSON.stringify(error), ...progressParams(progress)],
        );
        await recordEvent(tx, { workspaceId: run.workspaceId, connectionId, kind: 'sync.retrying', message: `Attempt ${attempt} failed (${error.code}); trying again in ${Math.round(delaySeconds)} s.`, details: { runId: run.id, code: error.code } });
        await queue.send({ workspaceId: run.workspaceId, runId: run.id }, { within: inTransaction(tx), startAfterSeconds: delaySeconds });
      });
    },

    async release(run, lease, progress) {
      await db.withWorkspace(run.workspaceId, async (tx) => {
        await fenced(tx, run, lease, `status = 'queued', streams = $4, records = $5, bytes = $6, lease_owner = NULL, lease_expires_at = NULL`, progressParams(progress));
        await queue.send({ workspaceId: run.workspaceId, runId: run.id }, { within: inTransaction(tx) });
      });
    },

    async reapExpiredLeases() {
      return db.asSystem(async (tx) => {
        const lapsed = await tx.query<{ id: string; workspace_id: string; connection_id: string; attempt: number; max_attempts: number }>(
          `SELECT id, workspace_id, connection_id, attempt, max_attempts FROM sync_runs
            WHERE status = 'running' AND lease_expires_at < clock_timestamp()
            ORDER BY lease_expires_at LIMIT 100 FOR UPDATE SKIP LOCKED`,
        );
        const error: RunError = { code: 'worker_lost', message: 'The worker running this sync stopped renewing its lease (killed or cut off).', retryable: true };
        for (const run of lapsed) {
          const again = run.attempt < run.max_attempts;
          await tx.query(
            again
              ? `UPDATE sync_runs SET status = 'queued', attempt = attempt + 1, error = $2, lease_owner = NULL, lease_expires_at = NULL, updated_at = clock_timestamp() WHERE id = $1`
              : `UPDATE sync_runs SET status = 'failed', error = $2, lease_owner = NULL, lease_expires_at = NULL, finished_at = clock_timestamp(), updated_at = clock_timestamp() WHERE id = $1`,
            [run.id, JSON.stringify(again ? error : { ...error, retryable: false })],
          );
          await recordEvent(tx, {
            workspaceId: run.workspace_id,
            connectionId: run.connection_id,
            kind: again ? 'sync.retrying' : 'sync.failed',
            message: again ? `The worker was lost during attempt ${run.attempt}; the run is queued again.` : `The worker was lost during the last attempt (${run.attempt}); the run failed.`,
            details: { runId: run.id, code: error.code },
          });
        }
        await queue.sendMany(
          lapsed.filter((r) => r.attempt < r.max_attempts).map((r) => ({ workspaceId: r.workspace_id, runId: r.id })),
          { within: inTransaction(tx) },
        );
        return lapsed.length;
      });
    },

    async enqueueDueRuns() {
      return db.asSystem(async (tx) => {
        const due = await tx.query<{ id: string; workspace_id: string; status: string; schedule_cron: string; schedule_timezone: string; next_run_at: Date | null }>(
          `SELECT id, workspace_id, status, schedule_cron, schedule_timezone, next_run_at FROM connections
            WHERE schedule_cron IS NOT NULL AND (next_run_at IS NULL OR next_run_at <= clock_timestamp())
            ORDER BY next_run_at NULLS FIRST LIMIT 500 FOR UPDATE SKIP LOCKED`,
        );
        const jobs: RunJob[] = [];
        const now = new Date();
        for (const connection of due) {
          const next = nextRun({ cron: connection.schedule_cron, timezone: connection.schedule_timezone }, now);
          await tx.query(`UPDATE connections SET next_run_at = $2 WHERE id = $1`, [connection.id, next]);
          // A connection seen for the first time is only armed: its first run is at the next scheduled time.
          if (connection.next_run_at === null || (connection.status !== 'connected' && connection.status !== 'error')) continue;
          const run = await insertQueuedRun(tx, { workspaceId: connection.workspace_id, connectionId: connection.id, trigger: 'schedule', requestedBy: null, maxAttempts });
          if (run) jobs.push({ workspaceId: run.workspaceId, runId: run.id });
        }
        await queue.sendMany(jobs, { within: inTransaction(tx) });
        return jobs.length;
      });
    },
  };
}

function finishMessage(outcome: RunOutcome): string {
  const records = `${outcome.progress.records} record${outcome.progress.records === 1 ? '' : 's'}`;
  switch (outcome.status) {
    case 'succeeded':
      return `Sync succeeded: ${records}.`;
    case 'cancelled':
      return `Sync cancelled after ${records}; the data already written stays.`;
    case 'skipped':
      return outcome.message ?? 'Sync skipped.';
    case 'failed':
      return `Sync failed after ${records}: ${outcome.error.message}`;
  }
}
