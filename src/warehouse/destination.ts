import crypto from 'node:crypto';
import type { MetricRow } from '../connectors/runtime/metrics-mapping.js';
import type { MetricsRange } from './metrics-daily.js';
import type { StagedRecords } from './staged-records.js';

/**
 * Where synced records land: one dataset per workspace, one table per stream. The engine hands
 * each page of records to `write` and commits the stream's cursor only after `write` resolved,
 * so a backend must have committed the batch durably by then.
 *
 * A backend is a folder of parallel files (`duckdb/duckdb-destination.ts`,
 * `postgres/postgres-destination.ts`) behind this interface; `schema-evolution.ts` holds what they
 * share: column names, type inference and widening.
 */

/** The dataset of a workspace: `tenant_` and the first 16 hex of sha256 of its id. */
export function datasetName(workspaceId: string): string {
  return `tenant_${crypto.createHash('sha256').update(workspaceId).digest('hex').slice(0, 16)}`;
}

/** The table a stream is written to: `<connector>_<stream>`, lower-case and SQL-safe. */
export function streamTableName(connectorId: string, stream: string): string {
  return `${connectorId}_${stream}`.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 63);
}

/** How one stream's records map to a table. */
export interface StreamTable {
  /** From `streamTableName`. */
  name: string;
  /** Dotted paths into each record that identify it (`['id']`); empty for a stream without a key (append only). */
  primaryKey: string[];
  /** A nested object whose fields also become columns (HubSpot's `properties`); top-level fields win a name clash. */
  columnsAt?: string;
}

export interface WriteBatch {
  /** The records, or the same already staged page by page (the engine's way: see staged-records.ts). */
  records: readonly unknown[] | StagedRecords;
  runId: string;
  syncedAt: Date;
}

/** A column's type in the warehouse. Widening only ever moves along `widen` in schema-evolution.ts. */
export type ColumnType = 'boolean' | 'integer' | 'number' | 'timestamp' | 'string' | 'json';

export interface SchemaChange {
  column: string;
  /** Undefined when the column was added. */
  from?: ColumnType;
  to: ColumnType;
}

export interface WriteResult {
  /** Records upserted (after collapsing duplicates of one key within the batch, last wins). */
  written: number;
  /** Columns this batch added to or widened in a table that already existed (none when it created the table). */
  schemaChanges: SchemaChange[];
  /** Things a person should know that did not stop the write (a record without its key, a field whose name clashes). */
  warnings: string[];
}

export interface TableColumn {
  name: string;
  type: ColumnType;
  /** Part of the primary key. */
  key: boolean;
}

export interface TableSummary {
  name: string;
  rowCount: number;
  columns: TableColumn[];
}

export interface RowsQuery {
  limit: number;
  offset: number;
  /** A column of the table; the default is the primary key, else `_synced_at`. */
  sort?: string;
  direction?: 'asc' | 'desc';
}

export interface RowsPage {
  columns: TableColumn[];
  /** JSON-safe values: integers beyond 2^53 as strings, timestamps as ISO 8601, json columns parsed. */
  rows: Record<string, unknown>[];
  total: number;
}

export interface Destination {
  readonly kind: 'duckdb' | 'postgres';
  /** `datasetName(workspaceId)`. */
  readonly dataset: string;
  /** Adds or widens columns and upserts the batch by primary key, in one transaction. */
  write(table: StreamTable, batch: WriteBatch): Promise<WriteResult>;
  listTables(): Promise<TableSummary[]>;
  /** Undefined when the dataset has no such table. */
  describeTable(name: string): Promise<TableSummary | undefined>;
  /** Undefined when the dataset has no such table; a sort column the table lacks is a `validation_failed` error. */
  readRows(name: string, query: RowsQuery): Promise<RowsPage | undefined>;
  /** The `metrics_daily` rows of a range of days (metrics-daily.ts); none before the first is written. */
  readMetrics(range: MetricsRange): Promise<MetricRow[]>;
  /** The first and last day `metrics_daily` holds for the providers; undefined when it holds none. */
  metricsSpan(providers?: readonly string[]): Promise<Pick<MetricsRange, 'from' | 'to'> | undefined>;
}

/** Opens each workspace's dataset on demand and keeps it open until `close`. */
export interface Warehouse {
  readonly kind: Destination['kind'];
  destination(workspaceId: string): Promise<Destination>;
  close(): Promise<void>;
}
