import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isTributaryError, type TributaryError } from '../../domain/errors.js';
import type { HttpRequest } from './http.js';
import { createRequester, type RequesterOptions, type RetryInfo } from './requester.js';
import { TokenBucket } from './token-bucket.js';
import { manualClock } from '../../../test/support/manual-clock.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback vendor. `answer` gets the 0-based request number; `seen` records every request. */
async function startVendor(answer: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      answer(req, res, seen.length - 1);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

const get = (url: string, query: Record<string, string> = {}): HttpRequest => ({ method: 'GET', url, query, headers: {} });

function requester(options: Partial<RequesterOptions> = {}) {
  const { clock, waits } = manualClock();
  const retries: RetryInfo[] = [];
  const request = createRequester({ vendor: 'Acme', clock, random: () => 0.5, ...options });
  return { request, waits, retries, onRetry: (info: RetryInfo) => retries.push(info) };
}

async function rejection(promise: Promise<unknown>): Promise<TributaryError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isTributaryError(error)) throw new Error(`expected a TributaryError, got ${String(error)}`);
  return error;
}

describe('createRequester', () => {
  it('sends the query, a JSON body and accept: application/json, and returns the parsed body with its size', async () => {
    const vendor = await startVendor((_req, res) => json(res, 200, { results: [1, 2] }));
    const { request } = requester();
    const response = await request({
      method: 'POST',
      url: `${vendor.url}/v1/search`,
      query: { limit: '100', q: 'a b&c' },
      headers: { 'X-Team': 'blue' },
      body: { after: 'cursor_1' },
    });
    expect(response).toMatchObject({ status: 200, body: { results: [1, 2] }, bytes: '{"results":[1,2]}'.length });
    const [sent] = vendor.seen;
    expect(sent).toMatchObject({ method: 'POST', url: '/v1/search?limit=100&q=a+b%26c', body: '{"after":"cursor_1"}' });
    expect(sent!.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json', 'x-team': 'blue' });
  });

  it('lets a connector ask for its own media type', async () => {
    const vendor = await startVendor((_req, res) => json(res, 200, {}));
    const { request } = requester();
    await request({ ...get(`${vendor.url}/repos`), headers: { Accept: 'application/vnd.github+json' } });
    expect(vendor.seen[0]!.headers.accept).toBe('application/vnd.github+json');
  });

  it('retries a 503 twice with full-jitter backoff, applying auth to every attempt, then returns the 200', async () => {
    const vendor = await startVendor((_req, res, n) => (n < 2 ? json(res, 503, { error: 'busy' }) : json(res, 200, { ok: true })));
    const { request, waits, retries, onRetry } = requester();
    let tokens = 0;
    const auth = async (req: HttpRequest) => ({ ...req, headers: { ...req.headers, authorization: `Bearer t${++tokens}` } });
    const response = await request(get(`${vendor.url}/v1/items`), { auth, onRetry });
    expect(response.body).toEqual({ ok: true });
    expect(vendor.seen).toHaveLength(3);
    expect(vendor.seen.map((s) => s.headers.authorization)).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t3']);
    expect(waits).toEqual([500, 1_000]); // 0.5 × 1 s, 0.5 × 2 s
    expect(retries).toEqual([
      { attempt: 1, code: 'vendor_unavailable', status: 503, delayMs: 500 },
      { attempt: 2, code: 'vendor_unavailable', status: 503, delayMs: 1_000 },
    ]);
  });

  it('waits out a 429 for its Retry-After seconds', async () => {
    const vendor = await startVendor((_req, res, n) => (n === 0 ? json(res, 429, {}, { 'retry-after': '2' }) : json(res, 200, [])));
    const { request, waits } = requester();
    await request(get(`${vendor.url}/v1/items`));
    expect(vendor.seen).toHaveLength(2);
    expect(waits).toEqual([2_000]);
  });

  it('waits out a Retry-After given as an HTTP date', async () => {
    // The manual clock reads 2025-03-01T12:00:00Z.
    const retryAt = 'Sat, 01 Mar 2025 12:00:07 GMT';
    const vendor = await startVendor((_req, res, n) => (n === 0 ? json(res, 503, {}, { 'retry-after': retryAt }) : json(res, 200, [])));
    const { request, waits } = requester();
    await request(get(`${vendor.url}/v1/items`));
    expect(waits).toEqual([7_000]);
  });

  it.each([
    [400, 'bad_request'],
    [401, 'auth_failed'],
    [403, 'vendor_forbidden'],
    [404, 'vendor_not_found'],
  ])('fails a %i at once as %s, after exactly one request', async (status, code) => {
    const vendor = await startVendor((_req, res) => json(res, status, { message: 'no' }));
    const { request, waits } = requester();
    const error = await rejection(request(get(`${vendor.url}/v1/items`)));
    expect(error.code).toBe(code);
    expect(error.details).toEqual({ status, attempts: 1 });
    expect(error.message).toContain(`Acme: GET /v1/items answered HTTP ${status}.`);
    expect(vendor.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('fails a 200 with a malformed JSON body as invalid_response without retrying', async () => {
    const vendor = await startVendor((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"results": ['));
    const { request } = requester();
    const error = await rejection(request(get(`${vendor.url}/v1/items`)));
    expect(error.code).toBe('invalid_response');
    expect(vendor.seen).toHaveLength(1);
  });

  it('reads an empty 204 body as null', async () => {
    const vendor = await startVendor((_req, res) => res.writeHead(204).end());
    const { request } = requester();
    expect(await request(get(`${vendor.url}/v1/items/1`))).toMatchObject({ status: 204, body: null, bytes: 0 });
  });

  it('retries when the vendor drops the connection (network)', async () => {
    const vendor = await startVendor((req, res, n) => (n === 0 ? req.socket.destroy() : json(res, 200, { ok: true })));
    const { request, retries, onRetry } = requester();
    expect((await request(get(`${vendor.url}/v1/items`), { onRetry })).body).toEqual({ ok: true });
    expect(vendor.seen).toHaveLength(2);
    expect(retries.map((r) => r.code)).toEqual(['network']);
  });

  it('gives up on a refused port as network after maxAttempts', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { request, waits } = requester({ maxAttempts: 3 });
    const error = await rejection(request(get(`http://127.0.0.1:${port}/v1/items`)));
    expect(error.code).toBe('network');
    expect(error.details).toEqual({ attempts: 3 });
    expect(waits).toHaveLength(2);
  });

  it('times out a vendor that never sends headers', async () => {
    const vendor = await startVendor(() => {});
    const { request } = requester({ connectTimeoutMs: 200, maxAttempts: 2 });
    const error = await rejection(request(get(`${vendor.url}/v1/items`)));
    expect(error.code).toBe('timeout');
    expect(error.details).toEqual({ attempts: 2 });
    expect(vendor.seen).toHaveLength(2);
  });

  it('times out a body that stalls after the headers (read timeout)', async () => {
    const vendor = await startVendor((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"results": ['));
    const { request } = requester({ connectTimeoutMs: 10_000, readTimeoutMs: 200, maxAttempts: 1 });
    const started = Date.now();
    const error = await rejection(request(get(`${vendor.url}/v1/items`)));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('does not let the connect timeout cut short a body that arrives within the read timeout', async () => {
    const vendor = await startVendor((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).write('{"ok":');
      setTimeout(() => res.end('true}'), 300);
    });
    const { request } = requester({ connectTimeoutMs: 100, readTimeoutMs: 2_000, maxAttempts: 1 });
    expect((await request(get(`${vendor.url}/v1/items`))).body).toEqual({ ok: true });
  });

  it('times out a stalled body at the read deadline when the read timeout is the longer one', async () => {
    const vendor = await startVendor((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"results": ['));
    const { request } = requester({ connectTimeoutMs: 100, readTimeoutMs: 400, maxAttempts: 1 });
    const started = Date.now();
    const error = await rejection(request(get(`${vendor.url}/v1/items`)));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports the byte size of a body sent without Content-Length (chunked)', async () => {
    const vendor = await startVendor((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"name":"Zoë",');
      res.end('"ok":true}');
    });
    const { request } = requester();
    expect(await request(get(`${vendor.url}/v1/items/1`))).toMatchObject({ body: { name: 'Zoë', ok: true }, bytes: Buffer.byteLength('{"name":"Zoë","ok":true}') });
  });

  it('sends the query after a URL that has one of its own, replacing a parameter of the same name', async () => {
    const vendor = await startVendor((_req, res) => json(res, 200, {}));
    const { request } = requester();
    await request(get(`${vendor.url}/v1/items?fields=a&limit=5`, { limit: '100', after: 'x y' }));
    expect(vendor.seen[0]!.url).toBe('/v1/items?fields=a&limit=100&after=x+y');
  });

  it('throws on an invalid URL without sending anything', async () => {
    const { request } = requester();
    await expect(request(get('not a url'))).rejects.toThrow(TypeError);
  });

  it('gives up after maxAttempts with the last code', async () => {
    const vendor = await startVendor((_req, res, n) => (n < 2 ? json(res, 429, {}) : json(res, 502, {})));
    const { request, waits } = requester({ maxAttempts: 3 });
    const error = await rejection(request(get(`${vendor.url}/v1/items`)));
    expect(error.code).toBe('vendor_unavailable');
    expect(error.details).toEqual({ status: 502, attempts: 3 });
    expect(error.message).toContain('answered HTTP 502 after 3 attempts');
    expect(vendor.seen).toHaveLength(3);
    expect(waits).toEqual([500, 1_000]);
  });

  it('never puts a secret from the query string or auth header into the error', async () => {
    const vendor = await startVendor((_req, res) => json(res, 401, { error: 'bad key sk_live_QUERY' }));
    const { request } = requester();
    const auth = (req: HttpRequest) => ({ ...req, headers: { authorization: 'Bearer sk_live_HEADER' } });
    const error = await rejection(request(get(`${vendor.url}/v1/items`, { api_key: 'sk_live_QUERY' }), { auth }));
    expect(vendor.seen[0]!.url).toBe('/v1/items?api_key=sk_live_QUERY'); // the secret did reach the vendor
    const shown = JSON.stringify({ message: error.message, details: error.details });
    expect(shown).not.toMatch(/sk_live|api_key|Bearer/);
  });

  it('takes a rate-limit token before each request', async () => {
    const vendor = await startVendor((_req, res) => json(res, 200, []));
    const { clock, waits } = manualClock();
    const request = createRequester({ vendor: 'Acme', clock });
    const rateLimiter = new TokenBucket({ requests: 1, perSeconds: 2 }, clock);
    await request(get(`${vendor.url}/v1/a`), { rateLimiter });
    await request(get(`${vendor.url}/v1/b`), { rateLimiter });
    expect(waits).toEqual([2_000]);
    expect(vendor.seen).toHaveLength(2);
  });

  it('stops at once when cancelled during a retry wait', async () => {
    const vendor = await startVendor((_req, res) => json(res, 503, {}, { 'retry-after': '60' }));
    const request = createRequester({ vendor: 'Acme' }); // the system clock: a real 60 s wait
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('run cancelled')), 50);
    await expect(request(get(`${vendor.url}/v1/items`), { signal: controller.signal })).rejects.toThrow('run cancelled');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(vendor.seen).toHaveLength(1);
  });

  it('stops at once when cancelled while the vendor is silent, without calling it a timeout', async () => {
    const vendor = await startVendor(() => {});
    const { request } = requester();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run cancelled')), 50);
    await expect(request(get(`${vendor.url}/v1/items`), { signal: controller.signal })).rejects.toThrow('run cancelled');
    expect(vendor.seen).toHaveLength(1);
  });
});
