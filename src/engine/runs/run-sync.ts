import type { ConnectorDefinition } from '../../connectors/runtime/define.js';
import type { Discovery } from '../../connectors/runtime/hooks.js';
import { metricRowsOf } from '../../connectors/runtime/metrics-mapping.js';
import { connectionContext, readStream } from '../../connectors/runtime/read-stream.js';
import { createRequester } from '../../connectors/runtime/requester.js';
import type { RateLimiters } from '../../connectors/runtime/token-bucket.js';
import type { SandboxHost } from '../../connectors/sandboxes/index.js';
import { isTributaryError, TributaryError } from '../../domain/errors.js';
import type { RunError, StreamProgress } from '../../domain/runs.js';
import { streamTableName, type StreamTable, type Warehouse } from '../../warehouse/destination.js';
import { resolveTarget, type ConnectorSwitches } from '../connections/connection-target.js';
import type { ClaimedRun, RunProgress } from './run-store.js';
import { StreamWriter } from './stream-writer.js';
import type { TokenKeeper } from '../connections/token-keeper.js';

/**
 * One sync of a claimed run: every selected stream, page by page, into the workspace's dataset.
 * For each batch: write it (the destination commits), count it, and, when the batch is a safe
 * resume point, commit the stream's cursor. The cursor of a read that is not in cursor order is
 * committed only once the whole stream is in. The next page is already being fetched while a
 * batch is written (read-stream.ts prefetches), so the source and the warehouse work side by side.
 *
 * Stopping (cancel, shutdown, a lost lease) is the `signal`: the page in flight is dropped, the
 * batch being written finishes, and `runSync` throws the signal's reason.
 */
export interface SyncDeps {
  warehouse: Warehouse;
  sandboxes: SandboxHost;
  switches: ConnectorSwitches;
  rateLimiters: RateLimiters;
  /** Refreshes OAuth tokens that are about to expire before the run reads with them. */
  tokens?: TokenKeeper;
  /** Handed in by tests; the global fetch otherwise. */
  fetch?: typeof globalThis.fetch;
  /** Per request: connecting and headers, then the body; the requester's defaults otherwise. */
  timeouts?: { connectMs: number; readMs: number };
  /** Jitters the requester's backoff; in [0, 1) like Math.random (tests hand in 0 to retry at once). */
  random?: () => number;
  now?: () => Date;
}

export interface SyncControl {
  signal: AbortSignal;
  /** Counts, updated in place as batches land; the worker's heartbeat saves them every second. */
  progress: RunProgress;
  /** Saves a stream's cursor (fenced by the run's lease). */
  commitCursor(stream: string, cursor: string): Promise<void>;
}

/** The streams a run reads: the selected ones, or every stream the connector declares or discovered. */
export function streamsToSync(definition: ConnectorDefinition, discovery: Discovery | undefined, selected: string[] | null): string[] {
  const declared = Object.keys(definition.streams);
  const all = declared.length > 0 ? declared : Object.keys(discovery?.streams ?? {});
  return selected ? all.filter((s) => selected.includes(s)) : all;
}

export function emptyProgress(streams: string[]): RunProgress {
  const progress: RunProgress = { streams: {}, records: 0, bytes: 0 };
  for (const stream of streams) progress.streams[stream] = { status: 'pending', records: 0, pages: 0, bytes: 0 };
  return progress;
}

export async function runSync(deps: SyncDeps, claimed: ClaimedRun, control: SyncControl): Promise<void> {
  const { connection, definition, run } = claimed;
  const secrets = deps.tokens ? await deps.tokens.fresh(connection, claimed.secrets) : claimed.secrets;
  const target = await resolveTarget({ definition, mode: connection.mode, config: connection.config, secrets, sandboxes: deps.sandboxes, switches: deps.switches });
  const auth = definition.auth.find((a) => a.method === connection.authMethod) ?? definition.auth[0]!;
  const requester = createRequester({
    vendor: definition.name,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.timeouts ? { connectTimeoutMs: deps.timeouts.connectMs, readTimeoutMs: deps.timeouts.readMs } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  });
  const rateLimiter = target.rateLimit && deps.rateLimiters.bucketFor(connection.id, target.rateLimit);
  const destination = await deps.warehouse.destination(connection.workspaceId);
  const context = { requester, auth, secrets: target.secrets, baseUrl: target.baseUrl, config: target.config, ...(rateLimiter ? { rateLimiter } : {}), signal: control.signal };
  // A connection synced before it was ever tested still gets the account's columns (custom properties).
  const discovery = ((connection.discovery ?? undefined) as Discovery | undefined) ?? (await definition.hooks?.discover?.(connectionContext(definition, context)));
  const now = deps.now ?? (() => new Date());
  // A connection never tested has no saved discovery, so its discovered streams (GA4's, a database's tables) join the run here.
  for (const stream of streamsToSync(definition, discovery, connection.selectedStreams)) control.progress.streams[stream] ??= { status: 'pending', records: 0, pages: 0, bytes: 0 };

  for (const stream of Object.keys(control.progress.streams)) {
    control.signal.throwIfAborted();
    const counts = control.progress.streams[stream]!;
    counts.status = 'running';
    const table = tableOf(definition, discovery, stream);
    const cursorField = definition.streams[stream] ? undefined : discovery?.streams[stream]?.cursorCandidates?.[0];
    let lastCursor: string | undefined;
    let committedCursor = claimed.state[stream];
    const commit = async (cursor: string) => {
      if (cursor === committedCursor) return;
      await control.commitCursor(stream, cursor);
      committedCursor = cursor;
    };
    const mapping = definition.metrics.find((m) => m.stream === stream);
    const source = { connectionId: connection.id, provider: definition.id };
    const writer = new StreamWriter({
      destination,
      table,
      ...(mapping ? { metrics: (records: readonly unknown[]) => metricRowsOf(mapping, records, source) } : {}),
      runId: run.id,
      counts,
      onWritten: (records, bytes) => {
        control.progress.records += records;
        control.progress.bytes += bytes;
      },
      onWarnings: (result) => addWarnings(counts, result.warnings, result.schemaChanges.map((c) => (c.from ? `Column ${c.column} widened from ${c.from} to ${c.to}.` : `Column ${c.column} added (${c.to}).`))),
      commitCursor: commit,
      now,
    });
    try {
      const batches = readStream(definition, stream, { ...context, discovery, state: claimed.state[stream], ...(cursorField ? { cursorField } : {}) });
      for await (const batch of batches) {
        await writer.add(batch);
        lastCursor = batch.cursor;
        // Stop between pages: the write in flight lands, what was only gathered is dropped.
        control.signal.throwIfAborted();
      }
      await writer.finish();
      if (lastCursor !== undefined) await commit(lastCursor);
      counts.status = 'succeeded';
    } catch (error) {
      await writer.abandon();
      counts.status = control.signal.aborted ? 'cancelled' : 'failed';
      throw control.signal.aborted ? control.signal.reason : error;
    }
  }
}

function tableOf(definition: ConnectorDefinition, discovery: Discovery | undefined, stream: string): StreamTable {
  const declared = definition.streams[stream];
  const found = discovery?.streams[stream];
  const primaryKey = declared ? [declared.primaryKey] : (found?.primaryKey ?? []);
  return { name: streamTableName(definition.id, stream), primaryKey, ...(found?.columnsAt ? { columnsAt: found.columnsAt } : {}) };
}

const maxWarnings = 20;

function addWarnings(counts: StreamProgress, ...lists: string[][]): void {
  for (const warning of lists.flat()) {
    counts.warnings ??= [];
    if (counts.warnings.length < maxWarnings && !counts.warnings.includes(warning)) counts.warnings.push(warning);
  }
}

/** The run's error as stored and shown: code, a message safe to show, and whether another attempt may help. */
export function runErrorOf(error: unknown): RunError {
  if (isTributaryError(error)) return { code: error.code, message: error.message, retryable: error.retryable };
  return { code: 'internal', message: new TributaryError('internal').message, retryable: false };
}
