/**
 * Sends one HttpRequest to a vendor and returns its parsed answer, retrying what `classify` says
 * is worth retrying. Each attempt: apply auth → take a rate-limit token → HTTP → read the body
 * within the read timeout → parse JSON → classify. All I/O (fetch, clock, randomness) is handed in.
 */
import { backoffDelay, parseRetryAfter } from './backoff.js';
import { classify, vendorError, type Failure, type VendorErrorCode } from './classify.js';
import { systemClock, type Clock, type HttpRequest, type HttpResponse } from './http.js';
import type { TokenBucket } from './token-bucket.js';

export interface RequesterOptions {
  /** The connector's display name, used in error messages. */
  vendor: string;
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  /** In [0, 1), like Math.random; jitters the backoff. */
  random?: () => number;
  /** Bounds connecting, sending the request and receiving the response headers. */
  connectTimeoutMs?: number;
  /** Bounds reading the body once the headers have arrived. */
  readTimeoutMs?: number;
  /** Attempts in all, the first included. */
  maxAttempts?: number;
}

export interface RetryInfo {
  /** The attempt that just failed, from 1. */
  attempt: number;
  code: VendorErrorCode;
  status?: number;
  delayMs: number;
}

export interface RequestOptions {
  /** Adds credentials; called before every attempt, so a refreshed token is picked up. */
  auth?: (req: HttpRequest) => HttpRequest | Promise<HttpRequest>;
  rateLimiter?: TokenBucket;
  /** Cancels the request, including any wait for a token or a retry, at once. */
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
}

export type Requester = (req: HttpRequest, options?: RequestOptions) => Promise<HttpResponse>;

type Attempt =
  | { kind: 'response'; status: number; headers: Headers; body: unknown; jsonBody: boolean; bytes: number }
  | { kind: 'thrown'; error: unknown };

export function createRequester(options: RequesterOptions): Requester {
  const {
    vendor,
    fetch = globalThis.fetch,
    clock = systemClock,
    random = Math.random,
    connectTimeoutMs = 10_000,
    readTimeoutMs = 30_000,
    maxAttempts = 5,
  } = options;

  /** One HTTP exchange. Timeouts use real timers, not the clock: they bound real I/O, the clock paces our own waits. */
  async function send(req: HttpRequest, signal: AbortSignal | undefined): Promise<Attempt> {
    const url = new URL(req.url);
    for (const [name, value] of new URLSearchParams(req.query)) url.searchParams.set(name, value);
    // A connector may ask for its own media type (application/vnd.github+json); header names are case-insensitive.
    const headers = new Headers(req.headers);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    if (req.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');

    signal?.throwIfAborted(); // an abort before the listener below is added would otherwise go unseen
    const controller = new AbortController();
    const cancel = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', cancel, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const deadline = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new DOMException(`No answer within ${ms} ms`, 'TimeoutError')), ms);
    };
    try {
      deadline(connectTimeoutMs);
      const response = await fetch(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: controller.signal,
      });
      deadline(readTimeoutMs);
      const raw = new Uint8Array(await response.arrayBuffer());
      const { body, jsonBody } = parseJson(new TextDecoder().decode(raw));
      return { kind: 'response', status: response.status, headers: response.headers, body, jsonBody, bytes: raw.byteLength };
    } catch (error) {
      return { kind: 'thrown', error };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
  }

  return async function request(req, { auth, rateLimiter, signal, onRetry } = {}) {
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const authed = auth ? await auth(req) : req;
      await rateLimiter?.take(signal);
      const result = await send(authed, signal);
      // The caller's own cancellation is not the vendor's failure.
      signal?.throwIfAborted();

      let verdict: Failure;
      if (result.kind === 'response') {
        const classified = classify(result);
        if (classified.action === 'succeed') {
          return { status: result.status, headers: result.headers, body: result.body, bytes: result.bytes };
        }
        verdict = classified;
      } else {
        verdict = classify(result);
      }
      const status = result.kind === 'response' ? result.status : undefined;
      // `fail` and, until OAuth refresh lands, `refresh_auth` end here.
      if ((verdict.action !== 'retry' && verdict.action !== 'wait') || attempt >= maxAttempts) {
        const cause = result.kind === 'thrown' ? result.error : undefined;
        throw vendorError(verdict.code, { vendor, method: req.method, url: req.url, status, attempts: attempt, cause });
      }
      const retryAfter = result.kind === 'response' ? parseRetryAfter(result.headers.get('retry-after'), clock.now()) : undefined;
      const delayMs = retryAfter ?? backoffDelay(attempt - 1, random);
      onRetry?.({ attempt, code: verdict.code, ...(status === undefined ? {} : { status }), delayMs });
      await clock.sleep(delayMs, signal);
    }
  };
}

/** An empty body (204, or a 200 to a DELETE) reads as null. Pages are large: parse first, look for emptiness only on failure. */
function parseJson(text: string): { body: unknown; jsonBody: boolean } {
  try {
    return { body: JSON.parse(text), jsonBody: true };
  } catch {
    return /^\s*$/.test(text) ? { body: null, jsonBody: true } : { body: undefined, jsonBody: false };
  }
}
