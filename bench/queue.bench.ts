import crypto from 'node:crypto';
import pg from 'pg';
import { RunQueue, type RunJob } from '../src/engine/queue/run-queue.js';
import { openDatabase, type Database } from '../src/store/db.js';

/**
 * `npm run bench:queue [-- --jobs N]`: no-op sync jobs per second through the real queue
 * (pg-boss on the metadata database): N jobs (default 20,000) sent in batches of 500, taken by
 * four pollers fetching 100 at a time, each job handed to a handler that does nothing, and
 * completed. Measured on the PostgreSQL at 127.0.0.1:5432 (or DATABASE_URL) and on embedded
 * PGlite, with the time to send and the time to drain reported apart. Goal: ≥ 500 jobs/s on
 * PostgreSQL.
 */
const flag = process.argv.indexOf('--jobs');
const total = flag > 0 ? Number(process.argv[flag + 1]) : 20_000;
const postgresUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function measure(label: string, db: Database, schema: string): Promise<number> {
  const queue = await RunQueue.open({ db, schema, pollingIntervalSeconds: 0.5, supervise: false });
  let done = 0;
  let finished!: () => void;
  const drained = new Promise<void>((resolve) => (finished = resolve));
  const jobs: RunJob[] = Array.from({ length: total }, () => ({ workspaceId: crypto.randomUUID(), runId: crypto.randomUUID() }));

  const sendStarted = performance.now();
  for (let i = 0; i < jobs.length; i += 500) await queue.sendMany(jobs.slice(i, i + 500));
  const sendSeconds = (performance.now() - sendStarted) / 1000;

  const drainStarted = performance.now();
  await queue.work(
    4,
    async () => {
      done += 1;
      if (done === total) finished();
    },
    { batchSize: 100 },
  );
  await drained;
  // The last batch is completed after its handler returns: wait until the queue shows none left.
  while ((await queue.depth()) > 0) await new Promise((r) => setTimeout(r, 20));
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  await queue.stop();

  const perSecond = total / (sendSeconds + drainSeconds);
  console.log(
    `${label.padEnd(11)} ${total} jobs: send ${sendSeconds.toFixed(2)} s (${Math.round(total / sendSeconds)}/s), ` +
      `drain ${drainSeconds.toFixed(2)} s (${Math.round(total / drainSeconds)}/s), end to end ${Math.round(perSecond)} jobs/s`,
  );
  return perSecond;
}

const schema = `bench_queue_${process.pid}`;
const postgres = await openDatabase({ kind: 'postgres', url: postgresUrl, schema: 'public', poolSize: 10 });
let onPostgres: number;
try {
  onPostgres = await measure('PostgreSQL', postgres, schema);
} finally {
  await postgres.close();
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}
const pglite = await openDatabase({ kind: 'pglite' });
const onPglite = await measure('PGlite', pglite, 'pgboss');
await pglite.close();
console.log(`PostgreSQL ${Math.round(onPostgres)} jobs/s (goal ≥ 500, ratio to goal ${(onPostgres / 500).toFixed(1)}); PGlite ${Math.round(onPglite)} jobs/s`);
