import pg from 'pg';
import type { Destination, Warehouse } from './destination.js';
import { DuckDbHost } from './duckdb/duckdb-destination.js';
import { PostgresDestination } from './postgres/postgres-destination.js';

export type WarehouseOptions = { kind: 'duckdb'; dir: string } | { kind: 'postgres'; url: string };

type OpenDestination = Destination & { close(): Promise<void> };

/**
 * The warehouse of the configuration (TRIBUTARY_WAREHOUSE): a DuckDB file per workspace under
 * `dir` (all attached to one DuckDB instance), or a schema per workspace in one PostgreSQL. Each workspace's destination is opened on
 * first use and kept until `close`.
 */
export async function openWarehouse(options: WarehouseOptions): Promise<Warehouse> {
  if (options.kind === 'duckdb') {
    const host = await DuckDbHost.open(options.dir);
    return new CachedWarehouse('duckdb', (workspaceId) => host.attach(workspaceId), async () => host.close());
  }
  const pool = new pg.Pool({ connectionString: options.url, max: 8 });
  // An idle connection the server drops must not take the process with it; the next query reconnects.
  pool.on('error', () => undefined);
  return new CachedWarehouse('postgres', (workspaceId) => PostgresDestination.open(pool, workspaceId), () => pool.end());
}

class CachedWarehouse implements Warehouse {
  private readonly open = new Map<string, Promise<OpenDestination>>();
  private closed = false;

  constructor(
    readonly kind: Warehouse['kind'],
    private readonly opener: (workspaceId: string) => Promise<OpenDestination>,
    private readonly release: () => Promise<void>,
  ) {}

  destination(workspaceId: string): Promise<Destination> {
    if (this.closed) return Promise.reject(new Error('The warehouse is closed.'));
    let destination = this.open.get(workspaceId);
    if (!destination) {
      destination = this.opener(workspaceId);
      // A failed open (a full disk, the database down) is tried again by the next caller.
      destination.catch(() => this.open.delete(workspaceId));
      this.open.set(workspaceId, destination);
    }
    return destination;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(all.map(async (d) => (await d).close()));
    await this.release();
  }
}
