import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isTributaryError } from '../../../domain/errors.js';
import { readStream, type ReadStreamOptions, type RecordBatch } from '../../runtime/read-stream.js';
import { createRequester } from '../../runtime/requester.js';
import { testConnection } from '../../runtime/test-connection.js';
import { postgresError } from './errors.js';
import postgres from './postgres.connector.js';
import { pageSize } from './read-table.js';
import { startPostgresSandbox, type PostgresSandbox } from './sandbox.js';

// On the PostgreSQL named by DATABASE_URL when set (as in CI), else on PGlite. Every test only
// reads, so the file shares one sandbox: starting PGlite alone takes seconds.
const orderCount = 2_500;
let sandbox: PostgresSandbox;
beforeAll(async () => {
  sandbox = await startPostgresSandbox({ serverUrl: process.env.DATABASE_URL, rows: { customers: 200, products: 40, orders: orderCount } });
});
afterAll(() => sandbox?.close());

const stream = (table: string) => `${sandbox.config.schemas}.${table}`;

function options(overrides: Partial<ReadStreamOptions> = {}): ReadStreamOptions {
  return { requester: createRequester({ vendor: postgres.name }), auth: postgres.auth[0]!, secrets: sandbox.secrets, config: sandbox.config, ...overrides };
}

async function readAll(table: string, overrides: Partial<ReadStreamOptions> = {}): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const batch of readStream(postgres, stream(table), options(overrides))) batches.push(batch);
  return batches;
}

type Order = { id: number | string; updated_at: string; placed_on: string; total: string; details: { channel: string } };
const ordersOf = (batches: RecordBatch[]) => batches.flatMap((batch) => batch.records as Order[]);

/** A connection string to the sandbox with another password, or another port. */
function variant(change: (url: URL) => void): { connectionString: string } {
  const url = new URL(sandbox.secrets.connectionString);
  change(url);
  return { connectionString: url.toString() };
}

describe('Postgres / Supabase', () => {
  it('discovers the tables and the view with their keys, column types and cursor candidates', async () => {
    const result = await testConnection(postgres, options());
    if (!result.ok) throw result.error;
    const streams = result.discovery!.streams;
    expect(Object.keys(streams).sort()).toEqual(['customers', 'order_statuses', 'orders', 'products'].map(stream));
    expect(streams[stream('orders')]).toMatchObject({
      description: 'Orders placed in the shop.',
      primaryKey: ['id'],
      cursorCandidates: ['updated_at'],
      columns: { id: { type: 'integer' }, total: { type: 'number' }, placed_on: { type: 'date' }, updated_at: { type: 'timestamp' }, details: { type: 'json' }, status: { type: 'string' } },
    });
    expect(streams[stream('products')]).toMatchObject({ primaryKey: ['sku'], cursorCandidates: [], columns: { active: { type: 'boolean' }, tags: { type: 'json' } } });
    expect(streams[stream('order_statuses')]!.primaryKey).toBeUndefined();
  });

  it('reads every order in pages of 1,000, each once, as JSON, tracking the highest updated_at', async () => {
    const batches = await readAll('orders', { cursorField: 'updated_at' });
    const orders = ordersOf(batches);
    expect(batches.map((b) => b.records.length)).toEqual([pageSize, pageSize, orderCount - 2 * pageSize]);
    expect(new Set(orders.map((o) => String(o.id))).size).toBe(orderCount);
    expect(orders[0]).toMatchObject({ updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), placed_on: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), details: { channel: expect.any(String) } });
    expect(JSON.parse(JSON.stringify(orders[0]))).toEqual(orders[0]);
    expect(batches.at(-1)!.cursor).toBe(orders.map((o) => o.updated_at).sort().at(-1));
  });

  it('reads a view without a key through a server-side cursor, and stops after maxPages', async () => {
    const view = await readAll('order_statuses');
    expect(view.map((b) => b.records.length)).toEqual([pageSize, pageSize, orderCount - 2 * pageSize]);
    const firstPage = await readAll('orders', { maxPages: 1 });
    expect(firstPage).toHaveLength(1);
  });

  it('reads incrementally only the orders at or after the saved cursor, in one query a page', async () => {
    const all = ordersOf(await readAll('orders')).map((o) => o.updated_at).sort();
    const saved = all[orderCount - 1_200]!;
    const before = sandbox.statements.length;
    const batches = await readAll('orders', { cursorField: 'updated_at', state: saved });
    const statements = sandbox.statements.slice(before);
    const updated = ordersOf(batches).map((o) => o.updated_at);
    expect(updated).toHaveLength(all.filter((value) => value >= saved).length);
    expect(updated.every((value) => value >= saved)).toBe(true);
    expect(updated).toEqual([...updated].sort());
    expect(batches.at(-1)!.cursor).toBe(all.at(-1));
    const reads = statements.filter((sql) => sql.includes('"orders" WHERE'));
    expect(reads).toHaveLength(batches.length);
    expect(reads.every((sql) => sql.includes('"updated_at" >= $1'))).toBe(true);
    // Per page BEGIN, SELECT, COMMIT; once, the same for the table's description.
    expect(statements.length).toBeLessThanOrEqual(3 * (batches.length + 1));
  });

  it('closes its connection when the caller stops after a page or aborts the read', async () => {
    for await (const batch of readStream(postgres, stream('orders'), options())) {
      expect(batch.page).toBe(1);
      break;
    }
    await vi.waitFor(() => expect(sandbox.openConnections()).toBe(0));

    const controller = new AbortController();
    const reason = new Error('stopped by the test');
    const aborted = (async () => {
      for await (const batch of readStream(postgres, stream('order_statuses'), options({ signal: controller.signal }))) if (batch.page === 1) controller.abort(reason);
    })();
    await expect(aborted).rejects.toBe(reason);
    await vi.waitFor(() => expect(sandbox.openConnections()).toBe(0));
  });

  it('fails with auth_failed, and no password in the message, when the password is wrong', async () => {
    const secrets = variant((url) => (url.password = 'Wr0ng-s3cret'));
    const result = await testConnection(postgres, options({ secrets }));
    expect(result.ok).toBe(false);
    const error = !result.ok && result.error;
    expect(error && error.code).toBe('auth_failed');
    expect(error && error.message).toMatch(/Postgres/);
    expect(JSON.stringify({ message: error && error.message, details: error && error.details })).not.toMatch(/Wr0ng-s3cret|sandbox-password|postgres:\/\//);
  });

  it('fails with network when nothing listens on the port', async () => {
    const port = await freePort();
    const result = await testConnection(postgres, options({ secrets: variant((url) => (url.port = String(port))) }));
    expect(!result.ok && result.error.code).toBe('network');
  });

  it('fails with vendor_not_found for a table that does not exist, and invalid_config for a cursor that is no column', async () => {
    const missing = await readAll('no_such_table').catch((e: unknown) => e);
    expect(isTributaryError(missing) && missing.code).toBe('vendor_not_found');
    const badCursor = await readAll('orders', { cursorField: 'no_such_column', state: '2024-01-01T00:00:00Z' }).catch((e: unknown) => e);
    expect(isTributaryError(badCursor) && badCursor.code).toBe('invalid_config');
  });

  it.each([
    ['28P01', 'auth_failed'],
    ['3D000', 'vendor_not_found'],
    ['42501', 'vendor_forbidden'],
    ['42P01', 'vendor_not_found'],
    ['57014', 'timeout'],
    ['08006', 'network'],
  ])('classifies SQLSTATE %s as %s, without the server text', (sqlState, code) => {
    const serverError = Object.assign(new pg.DatabaseError('password authentication failed for user "alice"', 0, 'error'), { code: sqlState });
    const error = postgresError(serverError);
    expect(error.code).toBe(code);
    expect(error.message).not.toContain('alice');
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
