import { isTributaryError, type TributaryError } from '../../domain/errors.js';
import type { ConnectorDefinition } from './define.js';
import type { Discovery } from './hooks.js';
import { connectionContext, readStream, type ReadStreamOptions } from './read-stream.js';

/**
 * A connection test: the cheapest real call through the same runtime a sync uses. It runs the
 * connector's `discover` hook when it has one (HubSpot's custom properties, a database's tables),
 * then reads the first page of the test stream. Never throws for the vendor's sake: a refused key
 * is `{ ok: false, error: auth_failed }`, for the caller to record and show.
 */
export type ConnectionTestResult =
  | { ok: true; responseTimeMs: number; discovery: Discovery | undefined; recordsSeen: number }
  | { ok: false; responseTimeMs: number; error: TributaryError };

export async function testConnection(
  definition: ConnectorDefinition,
  options: Omit<ReadStreamOptions, 'state' | 'maxPages' | 'discovery'>,
  now: () => number = () => performance.now(),
): Promise<ConnectionTestResult> {
  const started = now();
  const elapsed = () => Math.max(0, Math.round(now() - started));
  try {
    const discovery = definition.hooks?.discover ? await definition.hooks.discover(connectionContext(definition, options)) : undefined;
    let recordsSeen = 0;
    const stream = testStreamOf(definition);
    if (stream) for await (const batch of readStream(definition, stream, { ...options, discovery, maxPages: 1 })) recordsSeen += batch.records.length;
    return { ok: true, responseTimeMs: elapsed(), discovery, recordsSeen };
  } catch (error) {
    if (isTributaryError(error)) return { ok: false, responseTimeMs: elapsed(), error };
    throw error;
  }
}

/** The stream a test reads: the one the definition names, else the first stream without a parent. */
function testStreamOf(definition: ConnectorDefinition): string | undefined {
  if (definition.testStream) return definition.testStream;
  return Object.entries(definition.streams).find(([, stream]) => !stream.parent)?.[0];
}
