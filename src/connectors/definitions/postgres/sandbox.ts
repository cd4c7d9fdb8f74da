import crypto from 'node:crypto';
import pg from 'pg';
import { seededRecords, type LazyRecords, type SandboxInstance, type SandboxProvider, type SeededRandom } from '../../sandboxes/index.js';
import { startPasswordGate } from './password-gate.js';
import { quoteIdentifier } from '../../../domain/sql-text.js';

/**
 * A seeded shop database (customers, products, orders with `updated_at`, and a view without a
 * key) behind a password on loopback. On the PostgreSQL server named by `serverUrl` it lives in a
 * schema of its own (`tributary_sandbox_<random>`, dropped on close); without one, in an in-memory
 * PGlite served over the wire protocol by pglite-socket. Either way the connector reaches it
 * through the password gate (`password-gate.ts`), so a wrong password fails as on a real server.
 */
export interface PostgresSandboxOptions {
  /** A PostgreSQL server whose user may create schemas (`postgres://postgres@127.0.0.1:5432/test`). */
  serverUrl?: string;
  rows?: ShopSize;
}

export interface ShopSize {
  customers?: number;
  products?: number;
  orders?: number;
}

export interface PostgresSandbox extends SandboxInstance {
  engine: 'postgres' | 'pglite';
  secrets: { connectionString: string };
  config: { schemas: string };
  /** The SQL of every statement clients sent, in order. */
  statements: string[];
  openConnections(): number;
}

/** The password of a PGlite sandbox; on a server, the server URL's own password when it has one. */
export const postgresSandboxPassword = 'sandbox-password';

export function postgresSandboxProvider(options: PostgresSandboxOptions = {}): SandboxProvider {
  return { start: () => startPostgresSandbox(options) };
}

export async function startPostgresSandbox({ serverUrl, rows = {} }: PostgresSandboxOptions = {}): Promise<PostgresSandbox> {
  return serverUrl ? onServer(serverUrl, rows) : onPglite(rows);
}

async function onServer(serverUrl: string, rows: ShopSize): Promise<PostgresSandbox> {
  const server = new URL(serverUrl);
  const password = decodeURIComponent(server.password) || postgresSandboxPassword;
  const gate = await startPasswordGate({ upstream: { host: server.hostname, port: Number(server.port || 5432) }, password });
  const schema = `tributary_sandbox_${crypto.randomBytes(4).toString('hex')}`;
  // One transaction: a seed that fails leaves nothing behind.
  await withClient(serverUrl, (client) => seedShop((sql, params) => client.query(sql, params), schema, rows)).catch(async (error: unknown) => {
    await gate.close();
    throw error;
  });
  return {
    engine: 'postgres',
    secrets: { connectionString: postgresUrl(decodeURIComponent(server.username) || 'postgres', password, gate.port, server.pathname.slice(1) || 'postgres') },
    config: { schemas: schema },
    statements: gate.statements,
    openConnections: gate.openConnections,
    close: async () => {
      await gate.close();
      await withClient(serverUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`));
    },
  };
}

async function onPglite(rows: ShopSize): Promise<PostgresSandbox> {
  // Loaded when first needed: PGlite's module alone holds ~35 MB, which a hub on PostgreSQL never uses.
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-socket')]);
  const db = await PGlite.create();
  await seedShop((sql, params) => (params ? db.query(sql, params) : db.exec(sql)), 'public', rows);
  // pglite-socket runs one statement at a time whatever the number of clients, and a client's
  // open transaction holds the others' statements back until it ends.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  const gate = await startPasswordGate({ upstream: { host: '127.0.0.1', port: Number(server.getServerConn().split(':').at(-1)) }, password: postgresSandboxPassword });
  return {
    engine: 'pglite',
    secrets: { connectionString: postgresUrl('postgres', postgresSandboxPassword, gate.port, 'postgres') },
    config: { schemas: 'public' },
    statements: gate.statements,
    openConnections: gate.openConnections,
    close: async () => {
      await gate.close();
      await server.stop();
      await db.close();
    },
  };
}

function postgresUrl(user: string, password: string, port: number, database: string): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

type Run = (sql: string, params?: unknown[]) => Promise<unknown>;

const statuses = ['pending', 'paid', 'shipped', 'delivered', 'refunded'] as const;
const channels = ['web', 'mobile', 'store'] as const;
const capitalized = (word: string) => word[0]!.toUpperCase() + word.slice(1);

/** Creates the shop's tables in `schema` and fills them in batches, each row built lazily from its seed. */
async function seedShop(run: Run, schema: string, size: ShopSize = {}): Promise<void> {
  const s = quoteIdentifier(schema);
  const counts = { customers: size.customers ?? 200, products: size.products ?? 40, orders: size.orders ?? 2_500 };
  const timestamps = (random: SeededRandom) => {
    const createdAt = random.isoTimestamp('2023-01-01T00:00:00Z', '2024-06-01T00:00:00Z');
    return { createdAt, updatedAt: random.isoTimestamp(createdAt, '2025-01-01T00:00:00Z') };
  };
  const customers = seededRecords('postgres/customers', counts.customers, (random, i) => {
    const { createdAt, updatedAt } = timestamps(random);
    return { id: i + 1, name: `${capitalized(random.word())} ${capitalized(random.word())}`, email: random.email(), created_at: createdAt, updated_at: updatedAt };
  });
  const products = seededRecords('postgres/products', counts.products, (random, i) => ({
    sku: `SKU-${String(i + 1).padStart(4, '0')}`,
    name: `${capitalized(random.word())} ${random.pick(['kit', 'mug', 'map', 'lamp', 'rope'])}`,
    price: (random.int(199, 19_999) / 100).toFixed(2),
    active: random.next() < 0.8,
    tags: [random.word(), random.word()],
  }));
  const orders = seededRecords('postgres/orders', counts.orders, (random, i) => {
    const { createdAt, updatedAt } = timestamps(random);
    const product = products.recordAt(random.int(0, counts.products - 1));
    const quantity = random.int(1, 5);
    return {
      id: 100_001 + i,
      customer_id: random.int(1, counts.customers),
      sku: product.sku,
      quantity,
      total: (Number(product.price) * quantity).toFixed(2),
      status: random.pick(statuses),
      placed_on: createdAt.slice(0, 10),
      updated_at: updatedAt,
      details: { channel: random.pick(channels), gift: random.next() < 0.1 },
    };
  });

  await run('BEGIN');
  await run(`
    CREATE SCHEMA IF NOT EXISTS ${s};
    CREATE TABLE ${s}.customers (id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
    CREATE TABLE ${s}.products (sku text PRIMARY KEY, name text NOT NULL, price numeric(10, 2) NOT NULL, active boolean NOT NULL, tags text[] NOT NULL);
    CREATE TABLE ${s}.orders (
      id bigint PRIMARY KEY, customer_id integer NOT NULL REFERENCES ${s}.customers, sku text NOT NULL REFERENCES ${s}.products,
      quantity integer NOT NULL, total numeric(12, 2) NOT NULL, status text NOT NULL, placed_on date NOT NULL, updated_at timestamptz NOT NULL, details jsonb NOT NULL);
    CREATE INDEX ON ${s}.orders (updated_at, id);
    COMMENT ON TABLE ${s}.orders IS 'Orders placed in the shop.';
    CREATE VIEW ${s}.order_statuses AS SELECT id, status, updated_at FROM ${s}.orders;`);
  await insertAll(run, `${s}.customers`, customers);
  await insertAll(run, `${s}.products`, products);
  await insertAll(run, `${s}.orders`, orders);
  await run('COMMIT');
}

async function insertAll(run: Run, table: string, records: LazyRecords<Record<string, unknown>>): Promise<void> {
  const batchSize = 500;
  for (let start = 0; start < records.count; start += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, records.count - start) }, (_, i) => records.recordAt(start + i));
    const columns = Object.keys(batch[0]!);
    const params: unknown[] = [];
    const tuples = batch.map((record) => `(${columns.map((column) => `$${params.push(record[column])}`).join(', ')})`);
    await run(`INSERT INTO ${table} (${columns.map(quoteIdentifier).join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}
