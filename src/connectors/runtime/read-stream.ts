import { TributaryError } from '../../domain/errors.js';
import { authApplier, type AuthConfig } from './auth/index.js';
import { IncrementalCursor } from './cursor.js';
import type { ConnectorDefinition } from './define.js';
import type { HttpRequest, HttpResponse } from './http.js';
import { createPaginator, firstPageQuery } from './paginators/index.js';
import type { Requester } from './requester.js';
import { selectRecords } from './select.js';
import type { TokenBucket } from './token-bucket.js';

/**
 * Reads one stream of a definition as an async iterator of record batches, one batch per page,
 * so memory holds a page or two and never the stream. The next page is requested as soon as the
 * current one is parsed, before the batch is handed over: fetching overlaps with whatever the
 * caller does with the batch (writing it to the warehouse).
 */
export interface RecordBatch {
  records: unknown[];
  /** 1 for the first page. */
  page: number;
  bytes: number;
  /** The incremental cursor after this page (highest value seen so far), when the stream has one. */
  cursor: string | undefined;
}

export interface ReadStreamOptions {
  requester: Requester;
  /** The auth method of the connection, one of the definition's, and the secrets entered for it. */
  auth: AuthConfig;
  secrets: unknown;
  /** The connection's base URL when it overrides the definition's (sandbox, proxy, region). */
  baseUrl?: string;
  /** The cursor committed by the last successful read, for incremental streams. */
  state?: string;
  /** Stop after this many pages (a connection test reads one). */
  maxPages?: number;
  rateLimiter?: TokenBucket;
  signal?: AbortSignal;
}

export async function* readStream(definition: ConnectorDefinition, streamName: string, options: ReadStreamOptions): AsyncGenerator<RecordBatch> {
  const stream = definition.streams[streamName];
  if (!stream) throw new TributaryError('not_found', `${definition.name} has no stream named "${streamName}".`);
  const cursor = stream.incremental ? new IncrementalCursor(stream.incremental, options.state) : undefined;
  const paginator = createPaginator(stream.paginate);
  const authenticate = authApplier(options.auth, options.secrets);
  // Our own controller, so a caller that stops early (break, return) cancels the prefetched page.
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const fetchPage = (request: HttpRequest): Promise<HttpResponse> =>
    options.requester(request, { auth: authenticate, rateLimiter: options.rateLimiter, signal });

  const query: Record<string, string> = {
    ...Object.fromEntries(Object.entries(stream.request.query).map(([k, v]) => [k, String(v)])),
    ...firstPageQuery(stream.paginate),
  };
  const since = cursor?.startFrom();
  if (stream.incremental?.sendAs && since !== undefined) query[stream.incremental.sendAs] = since;
  let request: HttpRequest | undefined = {
    method: stream.request.method,
    url: `${(options.baseUrl ?? definition.baseUrl).replace(/\/+$/, '')}${stream.request.path}`,
    query,
    headers: {},
    ...(stream.request.body ? { body: stream.request.body } : {}),
  };

  let pending: Promise<HttpResponse> | undefined = fetchPage(request);
  let page = 0;
  try {
    while (pending && request) {
      const response: HttpResponse = await pending;
      page += 1;
      const records = selectRecords(response.body, stream.records);
      if (cursor) for (const record of records) cursor.observe(record);
      request = options.maxPages !== undefined && page >= options.maxPages ? undefined : paginator.next(request, response, records.length);
      pending = request ? fetchPage(request) : undefined;
      // A prefetched page that fails while the caller holds this batch is reported when awaited.
      pending?.catch(() => undefined);
      yield { records, page, bytes: response.bytes, cursor: cursor?.value };
    }
  } finally {
    controller.abort(new TributaryError('internal', 'The read was stopped.'));
  }
}
