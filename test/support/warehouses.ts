import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { datasetName, type Destination, type Warehouse } from '../../src/warehouse/destination.js';
import { openWarehouse, type WarehouseOptions } from '../../src/warehouse/warehouse.js';

/**
 * Every warehouse backend this machine can run: DuckDB always (a temporary folder per suite),
 * PostgreSQL when DATABASE_URL names one (CI runs the suites both ways). A suite loops over the
 * list, so a backend is tested wherever it is available and nothing is skipped.
 */
export interface WarehouseBackend {
  kind: Warehouse['kind'];
  /** Whether two warehouses (two processes) may write one dataset at once. */
  shared: boolean;
  start(): Promise<TestWarehouses>;
}

export interface TestWarehouses {
  /** A warehouse on the backend; several may be open at once when the backend is `shared`. */
  open(): Promise<Warehouse>;
  /** A new random workspace id, whose dataset `stop` removes. */
  workspace(): string;
  /** A new workspace's destination in the suite's own warehouse (opened on first use). */
  fresh(): Promise<Destination>;
  /** Whether the workspace's dataset is where the backend keeps it: its file, or its schema. */
  datasetExists(workspaceId: string): Promise<boolean>;
  /** Closes every warehouse opened and removes what the suite created (the folder, or each workspace's schema). */
  stop(): Promise<void>;
}

export const warehouseBackends: WarehouseBackend[] = [
  { kind: 'duckdb', shared: false, start: async () => track({ kind: 'duckdb', dir: await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-warehouse-')) }) },
  ...(process.env.DATABASE_URL ? [{ kind: 'postgres' as const, shared: true, start: async () => track({ kind: 'postgres', url: process.env.DATABASE_URL! }) }] : []),
];

function track(options: WarehouseOptions): TestWarehouses {
  const opened: Warehouse[] = [];
  const workspaces: string[] = [];
  let main: Promise<Warehouse> | undefined;
  const open = async () => {
    const warehouse = await openWarehouse(options);
    opened.push(warehouse);
    return warehouse;
  };
  const workspace = () => {
    const workspaceId = crypto.randomUUID();
    workspaces.push(workspaceId);
    return workspaceId;
  };
  return {
    open,
    workspace,
    async fresh() {
      return (await (main ??= open())).destination(workspace());
    },
    async datasetExists(workspaceId) {
      if (options.kind === 'duckdb') return fs.access(path.join(options.dir, `${datasetName(workspaceId)}.duckdb`)).then(() => true, () => false);
      const client = new pg.Client({ connectionString: options.url });
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [datasetName(workspaceId)]);
        return rowCount === 1;
      } finally {
        await client.end();
      }
    },
    async stop() {
      await Promise.all(opened.map((w) => w.close()));
      if (options.kind === 'duckdb') await fs.rm(options.dir, { recursive: true, force: true });
      if (options.kind === 'postgres' && workspaces.length > 0) {
        const client = new pg.Client({ connectionString: options.url });
        await client.connect();
        try {
          for (const id of workspaces) await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(datasetName(id))} CASCADE`);
        } finally {
          await client.end();
        }
      }
    },
  };
}
