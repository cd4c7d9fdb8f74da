import { backoffDelay } from '../../connectors/runtime/backoff.js';
import { TributaryError } from '../../domain/errors.js';
import type { Logger } from '../../logging/logger.js';
import { emptyProgress, runErrorOf, runSync, streamsToSync, type SyncDeps } from '../runs/run-sync.js';
import { refusedGrant } from '../connections/token-keeper.js';
import type { ClaimedRun, Lease, RunRef, RunStore } from '../runs/run-store.js';
import type { RunJob, RunQueue } from './run-queue.js';

/**
 * Takes sync jobs off the queue and runs them. For each: claim the run (taking its lease), renew
 * the lease every second while saving the counts (the API's live progress), run the sync, then
 * finish, retry or release it. Three things stop a run early, each an abort reason:
 * - a cancel asked through the API (seen on renewal) → `cancelled`;
 * - this worker shutting down (SIGTERM) → the batch in flight finishes and the run goes back to the queue;
 * - a renewal that finds the lease gone (this worker stalled and the run was taken over) → stop, change nothing.
 */
export interface SyncWorkerOptions {
  queue: RunQueue;
  runs: RunStore;
  sync: SyncDeps;
  logger: Logger;
  /** Names this worker in leases: host and process. */
  owner: string;
  concurrency: number;
  /** How long a silent worker keeps a run before others take it back. */
  leaseMs?: number;
  /** How often the lease is renewed and the counts saved; at most a second, for live progress. */
  heartbeatMs?: number;
  /** The first retry waits about this long, doubling per attempt, with jitter. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

type StopReason = 'cancelled' | 'shutdown' | 'lease_lost';

class RunStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(`run stopped: ${reason}`);
  }
}

export class SyncWorker {
  private readonly options: Required<Omit<SyncWorkerOptions, 'queue' | 'runs' | 'sync' | 'logger'>> & SyncWorkerOptions;
  private readonly inFlight = new Map<string, AbortController>();
  private readonly handling = new Set<Promise<void>>();
  private stopping = false;

  constructor(options: SyncWorkerOptions) {
    this.options = { leaseMs: 30_000, heartbeatMs: 1_000, retryBaseMs: 5_000, retryMaxMs: 300_000, ...options };
  }

  async start(): Promise<void> {
    await this.options.queue.work(this.options.concurrency, (job) => {
      const handled = this.handle(job).finally(() => this.handling.delete(handled));
      this.handling.add(handled);
      return handled;
    });
  }

  /** Stops taking jobs; runs in flight finish their current batch and go back to the queue. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.options.queue.stopWorking();
    for (const controller of this.inFlight.values()) controller.abort(new RunStopped('shutdown'));
    await Promise.allSettled([...this.handling]);
  }

  private get lease(): Lease {
    return { owner: this.options.owner, ms: this.options.leaseMs };
  }

  async handle(job: RunJob): Promise<void> {
    const { runs, logger } = this.options;
    if (this.stopping) return this.requeue(job);
    const claimed = await runs.claim(job, this.lease);
    if (!claimed) return;
    const ref: RunRef = { workspaceId: claimed.run.workspaceId, id: claimed.run.id };
    const log = logger.child({ scope: 'sync', runId: ref.id, connectionId: claimed.connection.id, connectorId: claimed.definition.id });
    const controller = new AbortController();
    this.inFlight.set(ref.id, controller);
    const progress = emptyProgress(streamsToSync(claimed.definition, claimed.connection.discovery as never, claimed.connection.selectedStreams));
    const heartbeat = setInterval(() => {
      runs.renew(ref, this.lease, progress).then(
        ({ held, cancelRequested }) => {
          if (!held) controller.abort(new RunStopped('lease_lost'));
          else if (cancelRequested) controller.abort(new RunStopped('cancelled'));
        },
        (error: unknown) => log.warn({ err: error }, 'could not renew the run lease'),
      );
    }, this.options.heartbeatMs);
    log.info({ attempt: claimed.run.attempt, streams: Object.keys(progress.streams) }, 'sync started');
    try {
      await runSync(this.options.sync, claimed, {
        signal: controller.signal,
        progress,
        commitCursor: (stream, cursor) => runs.commitCursor(ref, this.lease, stream, cursor),
      });
      await runs.finish(ref, this.lease, { status: 'succeeded', progress });
      log.info({ records: progress.records, bytes: progress.bytes }, 'sync succeeded');
    } catch (thrown) {
      await this.settle(claimed, ref, progress, thrown, log);
    } finally {
      clearInterval(heartbeat);
      this.inFlight.delete(ref.id);
    }
  }

  /** Decides what a stopped or failed run becomes. Errors while recording are logged: the lease reaper is the backstop. */
  private async settle(claimed: ClaimedRun, ref: RunRef, progress: ReturnType<typeof emptyProgress>, thrown: unknown, log: Logger): Promise<void> {
    const { runs } = this.options;
    try {
      if (thrown instanceof RunStopped) {
        if (thrown.reason === 'cancelled') await runs.finish(ref, this.lease, { status: 'cancelled', progress });
        else if (thrown.reason === 'shutdown') await runs.release(ref, this.lease, progress);
        log.info({ reason: thrown.reason, records: progress.records }, 'sync stopped');
        return;
      }
      const error = runErrorOf(refusedGrant(claimed.connection, thrown));
      if (error.code === 'internal') log.error({ err: thrown }, 'sync failed unexpectedly');
      // The warehouse's own words (out of memory, disk full) are for the operator: the run shows the plain message.
      const cause = error.code === 'warehouse_failed' && thrown instanceof Error && thrown.cause instanceof Error ? { cause: thrown.cause.message } : {};
      if (thrown instanceof TributaryError && thrown.code === 'worker_lost') return;
      if (error.retryable && claimed.run.attempt < claimed.run.maxAttempts) {
        // Half the step plus jitter: a retry never comes at once, and runs failing together spread out.
        const delayMs = backoffDelay(claimed.run.attempt - 1, () => 0.5 + Math.random() / 2, { baseMs: this.options.retryBaseMs, capMs: this.options.retryMaxMs });
        await runs.retry(ref, this.lease, progress, error, delayMs / 1000);
        log.warn({ code: error.code, ...cause, attempt: claimed.run.attempt, retryInMs: delayMs }, 'sync failed; retrying');
        return;
      }
      await runs.finish(ref, this.lease, { status: 'failed', progress, error, connectionError: !error.retryable });
      log.warn({ code: error.code, ...cause, attempt: claimed.run.attempt }, 'sync failed');
    } catch (error) {
      log.error({ err: error }, 'could not record how the run ended; its lease will lapse and it will be taken back');
    }
  }

  /** A job that arrived while stopping: leave it for another worker. */
  private async requeue(job: RunJob): Promise<void> {
    await this.options.queue.send(job);
  }
}
