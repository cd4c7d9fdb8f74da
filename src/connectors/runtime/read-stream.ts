import { TributaryError } from '../../domain/errors.js';
import { authApplier, type AuthConfig } from './auth/index.js';
import { IncrementalCursor } from './cursor.js';
import type { ConnectorDefinition, StreamDefinition } from './define.js';
import type { ConnectionContext, Discovery, FirstRequest } from './hooks.js';
import { systemClock, type Clock, type HttpRequest, type HttpResponse } from './http.js';
import { createPaginator, firstPageQuery, type PaginatorConfig } from './paginators/index.js';
import type { Requester } from './requester.js';
import { readPath, selectRecords } from './select.js';
import type { TokenBucket } from './token-bucket.js';

/**
 * Reads one stream of a definition as an async iterator of record batches, one batch per page,
 * so memory holds a page or two and never the stream. The next page is requested as soon as the
 * current one is parsed, before the batch is handed over: fetching overlaps with whatever the
 * caller does with the batch (writing it to the warehouse). A stream with a `parent` is read
 * once per parent record, its path placeholders filled from that record.
 */
export interface RecordBatch {
  records: unknown[];
  /** 1 for the first page. */
  page: number;
  bytes: number;
  /** The incremental cursor after this page (highest value seen so far), when the stream has one. */
  cursor: string | undefined;
  /**
   * The read goes in cursor order, so `cursor` is a safe point to resume from if the read stops
   * after this batch. Otherwise a later page may still hold lower values, and only the cursor at
   * the end of the stream may be committed.
   */
  ordered?: boolean;
}

export interface ReadStreamOptions {
  requester: Requester;
  /** The auth method of the connection, one of the definition's, and the secrets entered for it. */
  auth: AuthConfig;
  secrets: unknown;
  /** The connection's base URL when it overrides the definition's (sandbox, proxy, region, self-hosted). */
  baseUrl?: string;
  /** The connection's config values, for path placeholders (`{accountId}`). */
  config?: Record<string, unknown>;
  /** What the connector's `discover` hook found when the connection was tested. */
  discovery?: Discovery;
  /** The cursor committed by the last successful read, for incremental streams. */
  state?: string;
  /** The incremental field chosen for a stream the account defines (a table's `updated_at`). */
  cursorField?: string;
  /** Stop after this many pages (a connection test reads one). */
  maxPages?: number;
  rateLimiter?: TokenBucket;
  /** Paces a hook's own waits; the system clock when left out. */
  clock?: Clock;
  signal?: AbortSignal;
}

export async function* readStream(definition: ConnectorDefinition, streamName: string, options: ReadStreamOptions): AsyncGenerator<RecordBatch> {
  if (definition.hooks?.readStream) {
    yield* definition.hooks.readStream(streamName, {
      ...connectionContext(definition, options),
      state: options.state,
      cursorField: options.cursorField,
      discovery: options.discovery,
      maxPages: options.maxPages,
    });
    return;
  }
  if (!definition.streams[streamName]) throw new TributaryError('not_found', `${definition.name} has no stream named "${streamName}".`);
  const baseUrl = definition.hooks?.baseUrl ? await definition.hooks.baseUrl(targetContext(definition, options)) : options.baseUrl;
  yield* readDeclaredStream(definition, streamName, baseUrl === options.baseUrl ? options : { ...options, baseUrl });
}

/** A declared stream, page by page, once its base URL is settled. */
async function* readDeclaredStream(definition: ConnectorDefinition, streamName: string, options: ReadStreamOptions): AsyncGenerator<RecordBatch> {
  // Parents are checked when the definition loads; the stream itself by `readStream`.
  const stream = definition.streams[streamName]!;
  const cursor = stream.incremental ? new IncrementalCursor(stream.incremental, options.state) : undefined;
  // Our own controller, so a caller that stops early (break, return) cancels the prefetched page.
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const authenticate = authApplier(options.auth, options.secrets);
  const fetchPage = (request: HttpRequest): Promise<HttpResponse> => options.requester(request, { auth: authenticate, rateLimiter: options.rateLimiter, signal });
  const read: PageReader = { definition, streamName, stream, options, cursor, fetchPage, pagesLeft: options.maxPages ?? Infinity, page: 0 };

  try {
    if (!stream.parent) {
      yield* readPages(read, {});
      return;
    }
    const parent = stream.parent;
    for await (const batch of readDeclaredStream(definition, parent.stream, { ...options, state: undefined, maxPages: undefined, signal })) {
      for (const record of batch.records) {
        const bindings: Record<string, unknown> = {};
        for (const [name, path] of Object.entries(parent.bind)) bindings[name] = readPath(record, path);
        yield* readPages(read, bindings);
        if (read.pagesLeft <= 0) return;
      }
    }
  } finally {
    controller.abort(new TributaryError('internal', 'The read was stopped.'));
  }
}

/** One stream read's state, shared by the page loops of every parent record. */
interface PageReader {
  definition: ConnectorDefinition;
  streamName: string;
  stream: StreamDefinition;
  options: ReadStreamOptions;
  cursor: IncrementalCursor | undefined;
  fetchPage(request: HttpRequest): Promise<HttpResponse>;
  pagesLeft: number;
  page: number;
}

async function* readPages(read: PageReader, bindings: Record<string, unknown>): AsyncGenerator<RecordBatch> {
  const { stream, cursor } = read;
  const since = cursor?.startFrom();
  const bound = Object.keys(bindings);
  const first = firstRequest(read, bindings, since);
  if (first.maxPages !== undefined) read.pagesLeft = Math.min(read.pagesLeft, first.maxPages);
  let request = first.request;
  const paginator = createPaginator(first.paginate);
  let pending: Promise<HttpResponse> | undefined = read.fetchPage(request);
  while (pending) {
    const response: HttpResponse = await pending;
    read.page += 1;
    read.pagesLeft -= 1;
    const records = selectRecords(response.body, stream.records);
    // The next page is asked for first, so the vendor works on it while this page's records are
    // walked here and then handled by the caller.
    const next: HttpRequest | undefined = read.pagesLeft <= 0 ? undefined : paginator.next(request, response, records.length);
    pending = next ? read.fetchPage(next) : undefined;
    // A prefetched page that fails while the caller holds this batch is reported when awaited.
    pending?.catch(() => undefined);
    if (next) request = next;
    if (bound.length > 0) for (const record of records) carryBindings(record, bindings, bound);
    if (cursor) for (const record of records) cursor.observe(record);
    yield { records, page: read.page, bytes: response.bytes, cursor: cursor?.value, ordered: first.ordered === true };
  }
}

/** A child record carries the parent values it was read for (`agentId`) when it lacks them, so its rows can be joined back. */
function carryBindings(record: unknown, bindings: Record<string, unknown>, names: string[]): void {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return;
  const fields = record as Record<string, unknown>;
  for (const name of names) if (!Object.hasOwn(fields, name)) fields[name] = bindings[name];
}

function firstRequest(read: PageReader, bindings: Record<string, unknown>, since: string | undefined): FirstRequest & { paginate: PaginatorConfig } {
  const { definition, streamName, stream, options } = read;
  const values = { ...(options.config ?? {}), ...bindings };
  const query: Record<string, string> = { ...fillQuery(stream.request.query, values), ...firstPageQuery(stream.paginate) };
  if (stream.incremental?.sendAs && since !== undefined) query[stream.incremental.sendAs] = since;
  const request: HttpRequest = {
    method: stream.request.method,
    url: `${baseUrlOf(definition, options.baseUrl)}${fillPath(stream.request.path, values)}`,
    query,
    headers: {},
    ...(stream.request.body ? { body: stream.request.body } : {}),
  };
  const hook = definition.hooks?.firstRequest?.[streamName];
  if (!hook) return { request, paginate: stream.paginate };
  const shaped = hook(request, { since, config: options.config ?? {}, discovery: options.discovery });
  return { ...shaped, paginate: shaped.paginate ?? stream.paginate };
}

function baseUrlOf(definition: ConnectorDefinition, override: string | undefined): string {
  const base = override ?? definition.baseUrl;
  if (base === undefined) throw new TributaryError('invalid_config', `${definition.name} has no base URL to call.`);
  return base.replace(/\/+$/, '');
}

/** Fills `{name}` in a path with URL-encoded values; a missing value is a config error, not a request to `/undefined/`. */
export function fillPath(path: string, values: Record<string, unknown>): string {
  return path.replace(/\{([^{}]*)\}/g, (_, name: string) => encodeURIComponent(valueOf(values, name)));
}

function fillQuery(query: Record<string, string | number | boolean>, values: Record<string, unknown>): Record<string, string> {
  const filled: Record<string, string> = {};
  for (const [key, raw] of Object.entries(query)) {
    const placeholder = typeof raw === 'string' ? /^\{([^{}]*)\}$/.exec(raw)?.[1] : undefined;
    filled[key] = placeholder === undefined ? String(raw) : valueOf(values, placeholder);
  }
  return filled;
}

function valueOf(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TributaryError('invalid_config', `The connection has no value for "${name}", which the request path needs.`, { details: { field: name } });
}

/**
 * What a hook gets to call the vendor with: the same auth, rate limit and retries as a stream read.
 * Where the connector's `baseUrl` hook decides where the API lives, `send` goes there, asking the
 * hook on the first request; `baseUrl` stays the target's.
 */
export function connectionContext(definition: ConnectorDefinition, options: ReadStreamOptions): ConnectionContext {
  const target = targetContext(definition, options);
  const resolve = definition.hooks?.baseUrl;
  if (!resolve) return target;
  let apiBaseUrl: Promise<string> | undefined;
  return { ...target, send: async (request) => target.send({ ...request, origin: request.origin ?? (await (apiBaseUrl ??= resolve(target))) }) };
}

/** A hook's context whose requests go to the target's base URL (or to a request's own origin). */
function targetContext(definition: ConnectorDefinition, options: ReadStreamOptions): ConnectionContext {
  const authenticate = authApplier(options.auth, options.secrets);
  return {
    config: options.config ?? {},
    secrets: options.secrets,
    baseUrl: options.baseUrl ?? definition.baseUrl,
    clock: options.clock ?? systemClock,
    signal: options.signal,
    send: ({ method = 'GET', path, origin, query = {}, headers = {}, body }) =>
      options.requester(
        { method, url: `${origin ?? baseUrlOf(definition, options.baseUrl)}${path}`, query, headers, ...(body ? { body } : {}) },
        { auth: authenticate, rateLimiter: options.rateLimiter, signal: options.signal },
      ),
  };
}
