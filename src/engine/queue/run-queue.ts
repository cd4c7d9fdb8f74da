import PgBoss from 'pg-boss';

/**
 * Sync runs travel as jobs in pg-boss, on the metadata database itself (PGlite or PostgreSQL), so
 * a run and its job are written in one transaction and several workers on several machines share
 * one queue. The run's row stays the truth about the run: a job only says "look at this run",
 * and pg-boss never retries on its own (retryLimit 0); attempts and leases are the engine's.
 */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface RunJob {
  workspaceId: string;
  runId: string;
}

export interface RunQueueOptions {
  /** Where the queue's statements go when not inside a caller's transaction. */
  db: SqlExecutor;
  /** The queue's own schema (`pgboss`; a test store gets one of its own). */
  schema: string;
  /** How often an idle worker looks for jobs; new jobs sent by this process wake it at once. */
  pollingIntervalSeconds?: number;
  /** pg-boss housekeeping (archiving, expiring); one process of a deployment is enough, more are harmless. */
  supervise?: boolean;
}

const queueName = 'sync-run';
/** A lost worker is noticed by the run's lease long before this; pg-boss's own expiry only tidies its table. */
const jobExpireSeconds = 6 * 3600;

export class RunQueue {
  private readonly boss: PgBoss;
  private readonly workerIds: string[] = [];
  private readonly pollingIntervalSeconds: number;

  private constructor(boss: PgBoss, pollingIntervalSeconds: number) {
    this.boss = boss;
    this.pollingIntervalSeconds = pollingIntervalSeconds;
  }

  /** Creates or migrates the queue's tables and lets `grantee` (the application role) send jobs inside its own transactions. */
  static async open(options: RunQueueOptions & { grantee?: string }): Promise<RunQueue> {
    const boss = new PgBoss({
      db: { executeSql: (text, values) => options.db.executeSql(text, values) },
      schema: options.schema,
      supervise: options.supervise ?? true,
      schedule: false,
      migrate: true,
    });
    boss.on('error', () => undefined);
    await boss.start();
    await boss.createQueue(queueName, { name: queueName, policy: 'standard', retryLimit: 0, expireInSeconds: jobExpireSeconds });
    if (options.grantee) {
      const schema = `"${options.schema}"`;
      await options.db.executeSql(`GRANT USAGE ON SCHEMA ${schema} TO ${options.grantee}; GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA ${schema} TO ${options.grantee}`);
    }
    return new RunQueue(boss, options.pollingIntervalSeconds ?? 1);
  }

  /** Sends one job; with `within`, as part of that transaction (committed or rolled back with it). */
  async send(job: RunJob, options: { within?: SqlExecutor; startAfterSeconds?: number } = {}): Promise<void> {
    await this.boss.send(queueName, job, {
      retryLimit: 0,
      expireInSeconds: jobExpireSeconds,
      ...(options.startAfterSeconds ? { startAfter: Math.ceil(options.startAfterSeconds) } : {}),
      ...(options.within ? { db: asBossDb(options.within) } : {}),
    });
  }

  /** Sends many jobs in one statement (the scheduler's due runs, the queue benchmark). */
  async sendMany(jobs: RunJob[], options: { within?: SqlExecutor } = {}): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(
      jobs.map((data) => ({ name: queueName, data, retryLimit: 0, expireInSeconds: jobExpireSeconds })),
      options.within ? { db: asBossDb(options.within) } : {},
    );
  }

  /**
   * Starts `concurrency` pollers, each handling one job at a time; a job completes when `handle`
   * resolves. `handle` must not throw for a run's own failure: that is recorded on the run.
   */
  async work(concurrency: number, handle: (job: RunJob) => Promise<void>, options: { batchSize?: number } = {}): Promise<void> {
    const batchSize = options.batchSize ?? 1;
    for (let i = 0; i < concurrency; i += 1) {
      const id: string = await this.boss.work<RunJob>(queueName, { pollingIntervalSeconds: this.pollingIntervalSeconds, batchSize }, async (jobs) => {
        for (const job of jobs) await handle(job.data);
        // A full batch means more may be waiting: fetch again at once instead of after the polling interval.
        if (jobs.length === batchSize) this.boss.notifyWorker(id);
      });
      this.workerIds.push(id);
    }
  }

  /** Wakes this process's idle pollers (a run was just queued here). */
  wake(): void {
    for (const id of this.workerIds) this.boss.notifyWorker(id);
  }

  /** Jobs waiting to be picked up. */
  async depth(): Promise<number> {
    return this.boss.getQueueSize(queueName);
  }

  /** Stops this process's pollers from fetching more jobs (handlers in flight go on). */
  async stopWorking(): Promise<void> {
    await this.boss.offWork(queueName);
  }

  /** Closes the queue: stops fetching and housekeeping, waiting up to `timeoutMs` for handlers in flight. */
  async stop(timeoutMs = 30_000): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
  }
}

function asBossDb(executor: SqlExecutor): PgBoss.Db {
  return { executeSql: (text, values) => executor.executeSql(text, values) };
}
