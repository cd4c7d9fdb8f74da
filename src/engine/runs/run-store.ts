import type { ConnectorDefinition } from '../../connectors/runtime/define.js';
import type { Connection } from '../../domain/connections.js';
import type { RunError, RunTrigger, StreamProgress, SyncRun } from '../../domain/runs.js';
import type { RunJob } from '../queue/run-queue.js';

/**
 * What the engine needs from the metadata store, one transaction per method. `store/run-store.ts`
 * implements it; the composition root hands it in. Every method that changes a running run is
 * fenced by the lease: a worker that lost its lease (it stalled, another took the run over)
 * changes nothing and hears `worker_lost`.
 */
export interface RunRequest {
  workspaceId: string;
  connectionId: string;
  trigger: RunTrigger;
  requestedBy: string | null;
}

export type RequestRunResult = { kind: 'queued'; run: SyncRun } | { kind: 'already_running'; run: SyncRun };

/** The worker holding a run, and for how long it may stay silent before others take the run back. */
export interface Lease {
  owner: string;
  ms: number;
}

export interface RunRef {
  workspaceId: string;
  id: string;
}

/** Everything a worker needs to run a sync, read when it claims the run. */
export interface ClaimedRun {
  run: SyncRun;
  connection: Connection;
  definition: ConnectorDefinition;
  /** The decrypted secrets, or undefined when the connection has none. */
  secrets: unknown;
  /** The committed cursor per stream. */
  state: Record<string, string>;
}

export interface RunProgress {
  streams: Record<string, StreamProgress>;
  records: number;
  bytes: number;
}

export type RunOutcome =
  | { status: 'succeeded' | 'cancelled' | 'skipped'; progress: RunProgress; message?: string }
  /** `connectionError`: the failure is the connection's (a refused key), so its status becomes `error`. */
  | { status: 'failed'; progress: RunProgress; error: RunError; connectionError: boolean };

export interface RunStore {
  /** Records a queued run and sends its job in the same transaction; `already_running` names the run in the way. */
  request(input: RunRequest): Promise<RequestRunResult>;
  /** Takes a queued run for this worker; undefined when the job is stale (the run was cancelled, or is someone else's). */
  claim(job: RunJob, lease: Lease): Promise<ClaimedRun | undefined>;
  /** Extends the lease and saves the counts; tells the worker whether someone asked to cancel. */
  renew(run: RunRef, lease: Lease, progress: RunProgress): Promise<{ held: boolean; cancelRequested: boolean }>;
  /** Saves a stream's cursor; call only after the warehouse committed the data it covers. */
  commitCursor(run: RunRef, lease: Lease, stream: string, cursor: string): Promise<void>;
  finish(run: RunRef, lease: Lease, outcome: RunOutcome): Promise<void>;
  /** Queues the run again as its next attempt, after `delaySeconds`. */
  retry(run: RunRef, lease: Lease, progress: RunProgress, error: RunError, delaySeconds: number): Promise<void>;
  /** Gives a run back to the queue unchanged (this worker is shutting down). */
  release(run: RunRef, lease: Lease, progress: RunProgress): Promise<void>;
  /** Takes back running runs whose lease lapsed: queued again while attempts remain, else failed. Returns how many. */
  reapExpiredLeases(): Promise<number>;
  /** Queues one run for every connection whose schedule is due, and moves each schedule on. Returns how many. */
  enqueueDueRuns(): Promise<number>;
}
