/**
 * The shapes that pass between the connector runtime's parts: the requester sends an
 * `HttpRequest` and returns an `HttpResponse`; paginators turn one page's request and response
 * into the next page's request.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Absolute URL without the query string. */
  url: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** A JSON body, for POST-style reads (GraphQL, search endpoints with the cursor in the body). */
  body?: Record<string, unknown>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body. */
  body: unknown;
  /** Size of the body on the wire, for run counts. */
  bytes: number;
}

/**
 * One pagination style. `next` returns the request of the following page, or undefined when the
 * stream has no more pages; it throws `invalid_response` when the vendor sends a cursor it already
 * sent, instead of reading the same page for ever.
 */
export interface Paginator {
  next(previous: HttpRequest, response: HttpResponse, recordsOnPage: number): HttpRequest | undefined;
}

/** Time, handed in so tests can run backoff and rate limits without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const abort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      // Removed once the sleep ends: a run waits thousands of times on one signal.
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', abort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', abort, { once: true });
    }),
};
