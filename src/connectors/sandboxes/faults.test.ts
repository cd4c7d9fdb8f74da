import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from './faults.js';
import { startSandboxServer, type SandboxServer, type SandboxSpec } from './sandbox-server.js';

const spec: SandboxSpec = {
  routes: [
    { method: 'GET', path: '/v1/items', handle: (ctx) => ({ body: { items: [1, 2], repeated: ctx.repeatCursor } }) },
    { method: 'GET', path: '/v1/users/:id', handle: (ctx) => ({ body: { id: ctx.params.id } }) },
  ],
};

let sandbox: SandboxServer | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});
const start = async (...faults: Fault[]) => (sandbox = await startSandboxServer(spec, { faults }));
const statuses = async (server: SandboxServer, count: number, path = '/v1/items') => {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await fetch(`${server.url}${path}`)).status);
  return seen;
};

describe('faults', () => {
  it('answers a 429 with Retry-After in seconds and the error body, then serves the route', async () => {
    const server = await start({ kind: 'status', status: 429, retryAfterSeconds: 2, times: 1 });
    const limited = await fetch(`${server.url}/v1/items`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(await limited.json()).toEqual({ error: { status: 429, message: 'Too Many Requests' } });
    expect(await (await fetch(`${server.url}/v1/items`)).json()).toEqual({ items: [1, 2], repeated: false });
  });

  it('sends Retry-After as an HTTP date when given a date', async () => {
    const server = await start({ kind: 'status', status: 503, retryAfterDate: '2030-01-02T03:04:05Z', times: 1 });
    const response = await fetch(`${server.url}/v1/items`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('Wed, 02 Jan 2030 03:04:05 GMT');
  });

  it('resets the connection so fetch rejects, and logs the request with its fault', async () => {
    const server = await start({ kind: 'reset', times: 1 });
    await expect(fetch(`${server.url}/v1/items`)).rejects.toThrow(TypeError);
    expect((await fetch(`${server.url}/v1/items`)).status).toBe(200);
    expect(server.requests.map((request) => request.fault)).toEqual(['reset', undefined]);
  });

  it('holds the headers back for delayMs, then answers normally', async () => {
    const server = await start({ kind: 'slow', delayMs: 150, times: 1 });
    const started = performance.now();
    const response = await fetch(`${server.url}/v1/items`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(await response.json()).toMatchObject({ items: [1, 2] });
  });

  it('sends 200 headers and then stalls the body until the client gives up', async () => {
    const server = await start({ kind: 'stall_body', times: 1 });
    const controller = new AbortController();
    const response = await fetch(`${server.url}/v1/items`, { signal: controller.signal });
    expect(response.status).toBe(200);
    const body = response.text().catch((error: unknown) => error);
    const outcome = await Promise.race([body, new Promise((resolve) => setTimeout(resolve, 100, 'still waiting'))]);
    expect(outcome).toBe('still waiting');
    controller.abort();
    expect(await body).toMatchObject({ name: 'AbortError' });
  });

  it('answers a 200 whose JSON body does not parse', async () => {
    const server = await start({ kind: 'malformed', times: 1 });
    const response = await fetch(`${server.url}/v1/items`);
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('tells the route to repeat its cursor on the request the fault is due', async () => {
    const server = await start({ kind: 'repeat_cursor', afterRequests: 1, times: 1 });
    const repeated = [];
    for (let i = 0; i < 3; i++) repeated.push(((await (await fetch(`${server.url}/v1/items`)).json()) as { repeated: boolean }).repeated);
    expect(repeated).toEqual([false, true, false]);
  });

  it('hits exactly `times` requests, then lets the rest through', async () => {
    const server = await start({ kind: 'status', status: 500, times: 2 });
    expect(await statuses(server, 4)).toEqual([500, 500, 200, 200]);
  });

  it('lets `afterRequests` requests through before it hits', async () => {
    const server = await start({ kind: 'status', status: 502, afterRequests: 2, times: 1 });
    expect(await statuses(server, 4)).toEqual([200, 200, 502, 200]);
  });

  it('hits only paths that match its pattern, and counts only those', async () => {
    const server = await start({ kind: 'status', status: 504, path: '/v1/users/:id', afterRequests: 1, times: 1 });
    expect(await statuses(server, 3, '/v1/items')).toEqual([200, 200, 200]);
    expect(await statuses(server, 3, '/v1/users/7')).toEqual([200, 504, 200]);
  });

  it('applies a fault injected into a running server, counting from the injection', async () => {
    const server = await start();
    expect(await statuses(server, 3)).toEqual([200, 200, 200]);
    server.inject({ kind: 'status', status: 503, afterRequests: 1, times: 1 });
    expect(await statuses(server, 3)).toEqual([200, 503, 200]);
  });

  it('closes promptly while a slow fault and a stalled body are pending', async () => {
    const server = await start({ kind: 'slow', delayMs: 60_000, path: '/v1/users/:id', times: 1 }, { kind: 'stall_body', path: '/v1/items', times: 1 });
    const slow = fetch(`${server.url}/v1/users/1`).catch((error: unknown) => error);
    const stalled = await fetch(`${server.url}/v1/items`);
    const body = stalled.text().catch((error: unknown) => error);
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await slow).toBeInstanceOf(TypeError);
    expect(await body).toBeInstanceOf(TypeError);
  });

  it('refuses a fault without a positive whole number of times', async () => {
    const server = await start();
    expect(() => server.inject({ kind: 'reset', times: 0 })).toThrow(RangeError);
  });
});
