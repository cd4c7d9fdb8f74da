import type { Destination, Warehouse } from './destination.js';
import { DuckDbDestination } from './duckdb/duckdb-destination.js';
import { PostgresWarehouse } from './postgres/postgres-destination.js';

export type WarehouseOptions = { kind: 'duckdb'; dir: string } | { kind: 'postgres'; url: string };

/** The warehouse of the configuration (TRIBUTARY_WAREHOUSE): each workspace's destination opened on first use and kept. */
export async function openWarehouse(options: WarehouseOptions): Promise<Warehouse> {
  if (options.kind === 'postgres') return new PostgresWarehouse(options.url);
  const open = new Map<string, Promise<DuckDbDestination>>();
  return {
    kind: 'duckdb',
    destination(workspaceId: string): Promise<Destination> {
      let destination = open.get(workspaceId);
      if (!destination) {
        destination = DuckDbDestination.open(options.dir, workspaceId);
        destination.catch(() => open.delete(workspaceId));
        open.set(workspaceId, destination);
      }
      return destination;
    },
    async close() {
      const all = [...open.values()];
      open.clear();
      await Promise.allSettled(all.map(async (d) => (await d).close()));
    },
  };
}
