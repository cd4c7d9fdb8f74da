/**
 * The one place that reads HTTP statuses and transport errors. Every attempt the requester makes
 * ends as an `Outcome`; `classify` looks it up in the tables below (the shape of the Airbyte CDK's
 * default_error_mapping) and says what to do next and which catalog code to report.
 */
import { errorCatalog, TributaryError, type ErrorCode } from '../../domain/errors.js';

/** The catalog codes a vendor's answer (or silence) can produce. */
export type VendorErrorCode = Extract<
  ErrorCode,
  | 'auth_failed'
  | 'vendor_forbidden'
  | 'vendor_not_found'
  | 'bad_request'
  | 'invalid_response'
  | 'rate_limited'
  | 'vendor_unavailable'
  | 'timeout'
  | 'network'
>;

/**
 * An attempt that did not succeed: what to do next, and the code to report if we stop.
 * `retry`: try again after a backoff. `wait`: the vendor asked us to slow down; try again after
 * its Retry-After or a backoff. `fail`: stop. `refresh_auth` is the seam for OAuth: once a
 * connection's auth can refresh its token, the 401 row returns it and the requester refreshes
 * and retries once. Until then no row returns it, and a caller treats it like `fail`.
 */
export type Failure = { action: 'retry' | 'wait' | 'refresh_auth' | 'fail'; code: VendorErrorCode };
export type Classification = { action: 'succeed' } | Failure;

/** The vendor answered; `jsonBody` says whether the body parsed as JSON. */
export type ResponseOutcome = { kind: 'response'; status: number; headers: Headers; jsonBody: boolean };
/** fetch or the body read threw. */
export type ThrownOutcome = { kind: 'thrown'; error: unknown };
export type Outcome = ResponseOutcome | ThrownOutcome;

const retry = (code: VendorErrorCode): Failure => ({ action: 'retry', code });
const fail = (code: VendorErrorCode): Failure => ({ action: 'fail', code });

/** Statuses with a meaning of their own. */
const statusTable: Readonly<Record<number, Classification>> = {
  400: fail('bad_request'),
  401: fail('auth_failed'), // becomes { action: 'refresh_auth' } with OAuth token refresh
  403: fail('vendor_forbidden'),
  // Payment Required and Locked: the account is frozen or locked by the vendor (Shopify), for its owner to settle.
  402: fail('vendor_forbidden'),
  404: fail('vendor_not_found'),
  408: retry('timeout'),
  423: fail('vendor_forbidden'),
  429: { action: 'wait', code: 'rate_limited' },
};

/** Every other status, by its first digit. 1xx and 3xx (fetch follows redirects) are not answers we can read. */
const statusClassTable: Readonly<Record<number, Classification>> = {
  2: { action: 'succeed' },
  4: fail('bad_request'),
  5: retry('vendor_unavailable'),
};

/**
 * Transport failures, by the `code` Node puts on the error or its causes (undici wraps them in
 * `TypeError: fetch failed`), or by the error's name for our own timeouts (AbortSignal reasons).
 */
const errorTable: Readonly<Record<string, Failure>> = {
  ECONNREFUSED: retry('network'),
  ECONNRESET: retry('network'),
  EPIPE: retry('network'),
  UND_ERR_SOCKET: retry('network'),
  // DNS: usually a wrong host, but resolvers also fail for a moment; attempts are bounded.
  ENOTFOUND: retry('network'),
  EAI_AGAIN: retry('network'),
  ETIMEDOUT: retry('timeout'),
  UND_ERR_CONNECT_TIMEOUT: retry('timeout'),
  UND_ERR_HEADERS_TIMEOUT: retry('timeout'),
  UND_ERR_BODY_TIMEOUT: retry('timeout'),
  TimeoutError: retry('timeout'),
  // The requester rethrows the caller's own cancellation before classifying, so an abort here is one of our timeouts.
  AbortError: retry('timeout'),
};

/** TLS failures and anything unforeseen: the vendor was not reachable, and trying again will not change that. */
const unknownError = fail('network');

export function classify(outcome: ThrownOutcome): Failure;
export function classify(outcome: Outcome): Classification;
export function classify(outcome: Outcome): Classification {
  if (outcome.kind === 'thrown') {
    for (const key of errorKeys(outcome.error)) {
      const row = errorTable[key];
      if (row) return row;
    }
    return unknownError;
  }
  const { status, headers, jsonBody } = outcome;
  // GitHub and others answer 403 instead of 429 when a rate limit is exhausted.
  if (status === 403 && (headers.has('retry-after') || headers.get('x-ratelimit-remaining') === '0')) {
    return { action: 'wait', code: 'rate_limited' };
  }
  // RFC 6750 says 401 for a refused token; Meta's Graph answers 400, its challenge naming invalid_token all the same.
  if (status >= 400 && status < 500 && refusesToken(headers.get('www-authenticate'))) return fail('auth_failed');
  const row = statusTable[status] ?? statusClassTable[Math.floor(status / 100)] ?? fail('invalid_response');
  if (row.action === 'succeed' && !jsonBody) return fail('invalid_response');
  return row;
}

/**
 * Whether a `WWW-Authenticate` challenge refuses the access token: RFC 6750's `error="invalid_token"`,
 * or Graph's `OAuth "Facebook Platform" "invalid_token" "<message>"`.
 */
function refusesToken(challenge: string | null): boolean {
  return challenge !== null && /\berror="?invalid_token\b|^\S+\s+"[^"]*"\s+"invalid_token"/i.test(challenge);
}

/**
 * A GraphQL server answers 200 with an `errors` list and says what went wrong in each error's
 * `extensions.code`: Shopify's codes (https://shopify.dev/docs/api/usage/response-codes) and the
 * common Apollo ones. Any other error (a query the schema refuses, too costly a query) means the
 * answer is not the data we asked for.
 */
const graphqlCodeTable: Readonly<Record<string, Failure>> = {
  THROTTLED: { action: 'wait', code: 'rate_limited' },
  UNAUTHENTICATED: fail('auth_failed'),
  ACCESS_DENIED: fail('vendor_forbidden'),
  FORBIDDEN: fail('vendor_forbidden'),
  SHOP_INACTIVE: fail('vendor_forbidden'),
  INTERNAL_SERVER_ERROR: retry('vendor_unavailable'),
};

/** The errors of a GraphQL answer: the first one whose code the table knows decides, else `invalid_response`. */
export function classifyGraphqlErrors(errors: readonly unknown[]): Failure {
  for (const code of graphqlErrorCodes(errors)) {
    const row = graphqlCodeTable[code];
    if (row) return row;
  }
  return fail('invalid_response');
}

/** The `extensions.code` of each error that has one, in order. */
export function graphqlErrorCodes(errors: readonly unknown[]): string[] {
  return errors.flatMap((error) => {
    const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
    return typeof code === 'string' ? [code] : [];
  });
}

/** The error's name and the string codes along its cause chain, nearest first. */
function errorKeys(error: unknown): string[] {
  const keys: string[] = [];
  for (let current = error, depth = 0; current instanceof Object && depth < 4; depth++) {
    const { name, code, cause } = current as { name?: unknown; code?: unknown; cause?: unknown };
    if (typeof code === 'string') keys.push(code);
    if (typeof name === 'string') keys.push(name);
    current = cause;
  }
  return keys;
}

export interface VendorErrorContext {
  /** The connector's display name, e.g. "HubSpot". */
  vendor: string;
  method: string;
  url: string;
  /** The HTTP status, when the vendor answered at all. */
  status?: number;
  attempts: number;
  /** Kept for the logs; never sent out. */
  cause?: unknown;
}

/**
 * The error to throw once an attempt fails for good. The message names the vendor, the method, the
 * URL's path and the status, and never the query string, headers or body, which may hold secrets.
 */
export function vendorError(code: VendorErrorCode, context: VendorErrorContext): TributaryError {
  const { vendor, method, url, status, attempts, cause } = context;
  const answer = status === undefined ? `failed (${code})` : `answered HTTP ${status}`;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const message = `${vendor}: ${method} ${pathOf(url)} ${answer}${tries}. ${errorCatalog[code].hint}`;
  const details = status === undefined ? { attempts } : { status, attempts };
  return new TributaryError(code, message, { details, cause });
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid URL)';
  }
}
