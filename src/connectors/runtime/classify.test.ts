import { describe, expect, it } from 'vitest';
import { errorCatalog } from '../../domain/errors.js';
import { classify, classifyGraphqlErrors, vendorError } from './classify.js';

const answered = (status: number, headers: Record<string, string> = {}, jsonBody = true) =>
  classify({ kind: 'response', status, headers: new Headers(headers), jsonBody });
const thrown = (error: unknown) => classify({ kind: 'thrown', error });
/** The shape undici gives a transport failure: `TypeError: fetch failed` with the system error as cause. */
const fetchFailed = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

describe('classify a response', () => {
  it.each([
    [200, { action: 'succeed' }],
    [204, { action: 'succeed' }],
    [400, { action: 'fail', code: 'bad_request' }],
    [401, { action: 'fail', code: 'auth_failed' }],
    [403, { action: 'fail', code: 'vendor_forbidden' }],
    [402, { action: 'fail', code: 'vendor_forbidden' }],
    [404, { action: 'fail', code: 'vendor_not_found' }],
    [408, { action: 'retry', code: 'timeout' }],
    [409, { action: 'fail', code: 'bad_request' }],
    [422, { action: 'fail', code: 'bad_request' }],
    [423, { action: 'fail', code: 'vendor_forbidden' }],
    [429, { action: 'wait', code: 'rate_limited' }],
    [500, { action: 'retry', code: 'vendor_unavailable' }],
    [502, { action: 'retry', code: 'vendor_unavailable' }],
    [503, { action: 'retry', code: 'vendor_unavailable' }],
    [504, { action: 'retry', code: 'vendor_unavailable' }],
    [304, { action: 'fail', code: 'invalid_response' }],
  ])('HTTP %i → %o', (status, expected) => {
    expect(answered(status)).toEqual(expected);
  });

  it('fails a 2xx whose body is not JSON as invalid_response', () => {
    expect(answered(200, {}, false)).toEqual({ action: 'fail', code: 'invalid_response' });
  });

  it('ignores the body of an error status: a 503 HTML page is vendor_unavailable', () => {
    expect(answered(503, {}, false)).toEqual({ action: 'retry', code: 'vendor_unavailable' });
  });

  it('waits on a 403 that signals an exhausted rate limit (GitHub style)', () => {
    expect(answered(403, { 'x-ratelimit-remaining': '0' })).toEqual({ action: 'wait', code: 'rate_limited' });
    expect(answered(403, { 'retry-after': '60' })).toEqual({ action: 'wait', code: 'rate_limited' });
    expect(answered(403, { 'x-ratelimit-remaining': '12' })).toEqual({ action: 'fail', code: 'vendor_forbidden' });
  });

  it('fails a 4xx whose challenge refuses the token as auth_failed (RFC 6750, and Meta Graph’s 400)', () => {
    const refused = { action: 'fail', code: 'auth_failed' };
    expect(answered(400, { 'www-authenticate': 'OAuth "Facebook Platform" "invalid_token" "Error validating access token: Session has expired"' })).toEqual(refused);
    expect(answered(400, { 'www-authenticate': 'Bearer realm="api", error="invalid_token", error_description="expired"' })).toEqual(refused);
    // Graph's other OAuthExceptions (a bad parameter, a rate limit) name invalid_request: not the token's fault.
    expect(answered(400, { 'www-authenticate': 'OAuth "Facebook Platform" "invalid_request" "(#100) invalid_token is not a field"' })).toEqual({ action: 'fail', code: 'bad_request' });
  });
});

describe('classify the errors of a GraphQL answer', () => {
  const errorWith = (code?: string) => ({ message: 'something', ...(code ? { extensions: { code } } : {}) });

  it.each([
    ['THROTTLED', { action: 'wait', code: 'rate_limited' }],
    ['ACCESS_DENIED', { action: 'fail', code: 'vendor_forbidden' }],
    ['SHOP_INACTIVE', { action: 'fail', code: 'vendor_forbidden' }],
    ['UNAUTHENTICATED', { action: 'fail', code: 'auth_failed' }],
    ['INTERNAL_SERVER_ERROR', { action: 'retry', code: 'vendor_unavailable' }],
    ['MAX_COST_EXCEEDED', { action: 'fail', code: 'invalid_response' }],
  ])('%s → %o', (code, expected) => {
    expect(classifyGraphqlErrors([errorWith(code)])).toEqual(expected);
  });

  it('lets the first known code decide, and fails errors without one as invalid_response', () => {
    expect(classifyGraphqlErrors([errorWith(), errorWith('ACCESS_DENIED')])).toEqual({ action: 'fail', code: 'vendor_forbidden' });
    expect(classifyGraphqlErrors([errorWith(), 'not an object', null])).toEqual({ action: 'fail', code: 'invalid_response' });
  });
});

describe('classify a thrown error', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'])('%s → retry/network', (code) => {
    expect(thrown(fetchFailed(code))).toEqual({ action: 'retry', code: 'network' });
  });

  it.each(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT'])('%s → retry/timeout', (code) => {
    expect(thrown(fetchFailed(code))).toEqual({ action: 'retry', code: 'timeout' });
  });

  it('treats our own timeouts (TimeoutError, AbortError) as retry/timeout', () => {
    expect(thrown(new DOMException('slow', 'TimeoutError'))).toEqual({ action: 'retry', code: 'timeout' });
    expect(thrown(new DOMException('stop', 'AbortError'))).toEqual({ action: 'retry', code: 'timeout' });
  });

  it('finds the code deeper in the cause chain', () => {
    const nested = new TypeError('fetch failed', { cause: new Error('wrapper', { cause: fetchFailed('ECONNRESET') }) });
    expect(thrown(nested)).toEqual({ action: 'retry', code: 'network' });
  });

  it('fails anything unforeseen (a TLS error) as network without retrying', () => {
    expect(thrown(fetchFailed('CERT_HAS_EXPIRED'))).toEqual({ action: 'fail', code: 'network' });
    expect(thrown('not even an error')).toEqual({ action: 'fail', code: 'network' });
  });
});

describe('vendorError', () => {
  it('names the vendor, method, path and status, and says what to do', () => {
    const error = vendorError('auth_failed', {
      vendor: 'HubSpot',
      method: 'GET',
      url: 'https://api.hubapi.com/crm/v3/objects/contacts',
      status: 401,
      attempts: 1,
    });
    expect(error.code).toBe('auth_failed');
    expect(error.message).toBe(`HubSpot: GET /crm/v3/objects/contacts answered HTTP 401. ${errorCatalog.auth_failed.hint}`);
    expect(error.details).toEqual({ status: 401, attempts: 1 });
  });

  it('says how many attempts were made and keeps the cause for the logs only', () => {
    const cause = fetchFailed('ECONNREFUSED');
    const error = vendorError('network', { vendor: 'Stripe', method: 'POST', url: 'https://api.stripe.com/v1/search', attempts: 5, cause });
    expect(error.message).toBe(`Stripe: POST /v1/search failed (network) after 5 attempts. ${errorCatalog.network.hint}`);
    expect(error.details).toEqual({ attempts: 5 });
    expect(error.cause).toBe(cause);
  });

  it('never quotes the query string or user info of the URL', () => {
    const error = vendorError('bad_request', {
      vendor: 'Acme',
      method: 'GET',
      url: 'https://user:pa55@api.acme.test/v1/items?api_key=sk_live_secret#frag',
      status: 400,
      attempts: 1,
    });
    expect(error.message).toContain('GET /v1/items answered');
    expect(error.message).not.toMatch(/sk_live_secret|pa55|api_key|frag/);
  });
});
