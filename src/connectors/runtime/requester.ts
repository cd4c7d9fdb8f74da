/**
 * Sends one HttpRequest to a vendor and returns its parsed answer, retrying what `classify` says
 * is worth retrying. Each attempt: apply auth → take a rate-limit token → HTTP → read the body
 * within the read timeout → parse JSON → classify. All I/O (fetch, clock, randomness) is handed in.
 */
import { Buffer } from 'node:buffer';
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

  const checkedUrls = new UrlCheck();

  /** One HTTP exchange. Timeouts use real timers, not the clock: they bound real I/O, the clock paces our own waits. */
  async function send(req: HttpRequest, signal: AbortSignal | undefined): Promise<Attempt> {
    // Plain strings and objects: fetch parses the URL and builds its header list itself, so a URL
    // or Headers object of our own would only be built to be taken apart again.
    const url = urlOf(req, checkedUrls);
    const headers = headersOf(req);

    signal?.throwIfAborted(); // an abort before the listener below is added would otherwise go unseen
    const controller = new AbortController();
    const cancel = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', cancel, { once: true });
    // One timer bounds both phases: armed for the connect timeout, then, once the headers are in,
    // left to fire no later than the read deadline and re-armed then for whatever remains of it.
    let limitMs = connectTimeoutMs;
    let deadline = performance.now() + connectTimeoutMs;
    const expire = () => {
      const left = deadline - performance.now();
      if (left > 0) timer = setTimeout(expire, Math.ceil(left));
      else controller.abort(new DOMException(`No answer within ${limitMs} ms`, 'TimeoutError'));
    };
    let timer = setTimeout(expire, connectTimeoutMs);
    try {
      const response = await fetch(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: controller.signal,
      });
      limitMs = readTimeoutMs;
      deadline = performance.now() + readTimeoutMs;
      // The armed timer fires at the connect deadline, which a read timeout at least as long cannot precede.
      if (readTimeoutMs < connectTimeoutMs) {
        clearTimeout(timer);
        timer = setTimeout(expire, readTimeoutMs);
      }
      // text() collects and decodes the body in one step, without an ArrayBuffer copy or a decoder of our own.
      const text = await response.text();
      const { body, jsonBody } = parseJson(text);
      return { kind: 'response', status: response.status, headers: response.headers, body, jsonBody, bytes: bodyBytes(response.headers, text) };
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

/**
 * Remembers the last URL (without its query) found valid, so a read's pages, which share one,
 * are not each parsed twice: here and again by fetch.
 */
class UrlCheck {
  private last: string | undefined;

  /** True for a valid absolute URL without a query string or fragment of its own. */
  plain(url: string): boolean {
    if (url === this.last) return true;
    if (url.includes('?') || url.includes('#') || !URL.canParse(url)) return false;
    this.last = url;
    return true;
  }
}

/**
 * The request's URL with its query. The usual case, a URL without a query of its own, is joined
 * as a string; otherwise each parameter replaces one of the same name already in the URL. An
 * invalid URL throws here, before any attempt, as it did when this built a URL object.
 */
function urlOf(req: HttpRequest, check: UrlCheck): string {
  if (check.plain(req.url)) {
    const query = new URLSearchParams(req.query).toString();
    return query === '' ? req.url : `${req.url}?${query}`;
  }
  const url = new URL(req.url);
  for (const [name, value] of new URLSearchParams(req.query)) url.searchParams.set(name, value);
  return url.href;
}

/**
 * The decoded body's size in bytes: its Content-Length when the body came unencoded, else
 * counted from the text (fetch has already inflated a gzip body).
 */
function bodyBytes(headers: Headers, text: string): number {
  const length = headers.get('content-length');
  if (length !== null && !headers.has('content-encoding')) {
    const bytes = Number(length);
    if (Number.isSafeInteger(bytes) && bytes >= 0) return bytes;
  }
  return Buffer.byteLength(text);
}

/**
 * The request's headers with `accept: application/json`, and `content-type: application/json`
 * for a JSON body, unless the connector set its own (names compared without case: a connector may
 * ask for `Accept: application/vnd.github+json`).
 */
function headersOf(req: HttpRequest): Record<string, string> {
  let accept = false;
  let contentType = false;
  for (const name of Object.keys(req.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'accept') accept = true;
    else if (lower === 'content-type') contentType = true;
  }
  const addType = req.body !== undefined && !contentType;
  if (accept && !addType) return req.headers;
  const headers: Record<string, string> = accept ? {} : { accept: 'application/json' };
  Object.assign(headers, req.headers);
  if (addType) headers['content-type'] = 'application/json';
  return headers;
}
