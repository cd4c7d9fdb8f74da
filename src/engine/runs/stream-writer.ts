import { isTributaryError, TributaryError } from '../../domain/errors.js';
import type { StreamProgress } from '../../domain/runs.js';
import type { RecordBatch } from '../../connectors/runtime/read-stream.js';
import type { MetricRow } from '../../connectors/runtime/metrics-mapping.js';
import type { Destination, StreamTable, WriteResult } from '../../warehouse/destination.js';
import { metricsDailyTable } from '../../warehouse/metrics-daily.js';
import { StagedRecords } from '../../warehouse/staged-records.js';

/**
 * Gathers a stream's pages into larger writes and keeps one write in flight while the next pages
 * are read: a warehouse statement costs milliseconds however few rows it carries, so a write per
 * 100-record page would hold the read back. Each page is staged as it comes (`StagedRecords`:
 * serialized, its fields profiled), between two requests rather than all at once when a write
 * goes out. A write goes out when it has `maxRecords`, or when its first page has waited
 * `maxWaitMs` (a slow source still shows progress every second). Counts grow and the cursor is
 * committed only when a write has landed.
 */
export interface StreamWriterOptions {
  destination: Destination;
  table: StreamTable;
  runId: string;
  counts: StreamProgress;
  /** Adds to the run's totals as writes land. */
  onWritten(records: number, bytes: number): void;
  onWarnings(result: WriteResult): void;
  /** Saves the stream's cursor; called only after the write covering it landed. */
  commitCursor(cursor: string): Promise<void>;
  /** The `metrics_daily` rows of a page's records, for a stream the connector maps; written after them, before the cursor. */
  metrics?: (records: readonly unknown[]) => MetricRow[];
  now?: () => Date;
  maxRecords?: number;
  maxWaitMs?: number;
}

interface Pending {
  records: StagedRecords;
  /** Their `metrics_daily` rows; a later page's row of the same day and dimensions replaces an earlier one's, as the write keeps the last. */
  metrics: StagedRecords | undefined;
  pages: number;
  bytes: number;
  /** The cursor after the last page, when every page so far came in cursor order. */
  cursor: string | undefined;
  ordered: boolean;
  since: number;
}

export class StreamWriter {
  private pending: Pending | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly maxRecords: number;
  private readonly maxWaitMs: number;

  constructor(private readonly options: StreamWriterOptions) {
    this.maxRecords = options.maxRecords ?? 2_500;
    this.maxWaitMs = options.maxWaitMs ?? 1_000;
  }

  /** Takes a page; starts a write when enough has gathered, after the one in flight landed. */
  async add(batch: RecordBatch): Promise<void> {
    const { table, metrics } = this.options;
    const pending = (this.pending ??= { records: new StagedRecords(table), metrics: metrics && new StagedRecords(metricsDailyTable), pages: 0, bytes: 0, cursor: undefined, ordered: true, since: performance.now() });
    pending.records.add(batch.records);
    if (metrics) pending.metrics!.add(metrics(batch.records));
    pending.pages += 1;
    pending.bytes += batch.bytes;
    pending.cursor = batch.cursor;
    pending.ordered &&= batch.ordered === true;
    if (pending.records.count >= this.maxRecords || performance.now() - pending.since >= this.maxWaitMs) await this.flush();
  }

  /** Writes what is gathered and waits for every write to land. */
  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
  }

  /** Waits for the write in flight (a stopped run keeps what was committed), dropping what was only gathered. */
  async abandon(): Promise<void> {
    this.pending = undefined;
    await this.inFlight.catch(() => undefined);
  }

  private async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    await this.inFlight;
    if (!pending) return;
    const landed = this.write(pending);
    // Awaited by the next flush or by finish; until then a failure must not go unhandled.
    landed.catch(() => undefined);
    this.inFlight = landed;
  }

  private async write(pending: Pending): Promise<void> {
    const { destination, table, runId, counts } = this.options;
    const { records, metrics } = pending;
    if (records.count > 0) {
      let result: WriteResult;
      try {
        const syncedAt = (this.options.now ?? (() => new Date()))();
        result = await destination.write(table, { records, runId, syncedAt });
        if (metrics && metrics.count > 0) await destination.write(metricsDailyTable, { records: metrics, runId, syncedAt });
      } catch (error) {
        // A warehouse failure is ours to retry, never the vendor's fault; its message stays in the logs.
        throw isTributaryError(error) ? error : new TributaryError('warehouse_failed', undefined, { cause: error });
      }
      this.options.onWarnings(result);
    }
    counts.records += records.count;
    counts.pages += pending.pages;
    counts.bytes += pending.bytes;
    this.options.onWritten(records.count, pending.bytes);
    if (pending.ordered && pending.cursor !== undefined) await this.options.commitCursor(pending.cursor);
  }
}
