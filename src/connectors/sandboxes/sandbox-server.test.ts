import { afterEach, describe, expect, it } from 'vitest';
import { masked } from './request-log.js';
import { SandboxError } from './sandbox-error.js';
import { startSandboxServer, type SandboxServer, type SandboxSpec } from './sandbox-server.js';

const spec: SandboxSpec = {
  auth: (headers, query) => headers.authorization === 'Bearer good' || query.api_key === 'good',
  errorBody: (status, message) => ({ status: 'error', category: status === 401 ? 'INVALID_AUTHENTICATION' : 'ERROR', message }),
  routes: [
    { method: 'GET', path: '/v1/items/:id', handle: (ctx) => ({ body: { id: ctx.params.id, fields: ctx.query.fields ?? null } }) },
    { method: 'POST', path: '/v1/items/search', handle: (ctx) => ({ status: 201, headers: { 'x-request-id': 'r1' }, body: { echo: ctx.body } }) },
    { method: 'DELETE', path: '/v1/items/:id', handle: () => ({ status: 204 }) },
    { method: 'GET', path: '/v1/broken', handle: () => { throw new SandboxError(422, 'Unknown property "x".'); } },
  ],
};

let sandbox: SandboxServer;
afterEach(() => sandbox.close());
const start = async () => (sandbox = await startSandboxServer(spec));
const get = (path: string, headers: Record<string, string> = { authorization: 'Bearer good' }) => fetch(`${sandbox.url}${path}`, { headers });

describe('startSandboxServer', () => {
  it('answers a 401 in the vendor error shape when the credentials are wrong or missing', async () => {
    await start();
    for (const headers of [{ authorization: 'Bearer bad' }, {}] as Array<Record<string, string>>) {
      const response = await get('/v1/items/7', headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ status: 'error', category: 'INVALID_AUTHENTICATION', message: 'The credentials are missing or invalid.' });
    }
  });

  it('accepts credentials in the query when the auth check does', async () => {
    await start();
    expect((await get('/v1/items/7?api_key=good', {})).status).toBe(200);
  });

  it('answers an unknown route, or a known path with another method, with a 404 JSON body', async () => {
    await start();
    for (const response of [await get('/v1/nothing'), await fetch(`${sandbox.url}/v1/items/7`, { method: 'PUT', headers: { authorization: 'Bearer good' } })]) {
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ status: 'error', message: expect.stringMatching(/^No route for (GET|PUT) \/v1\//) });
    }
  });

  it('hands the route decoded params and the query, and sends its JSON with a Content-Length', async () => {
    await start();
    const response = await get('/v1/items/a%2Fb?fields=name');
    expect(await response.json()).toEqual({ id: 'a/b', fields: 'name' });
    expect(Number(response.headers.get('content-length'))).toBe(JSON.stringify({ id: 'a/b', fields: 'name' }).length);
  });

  it("hands the route the parsed JSON body and sends the route's status and headers", async () => {
    await start();
    const response = await fetch(`${sandbox.url}/v1/items/search`, { method: 'POST', headers: { authorization: 'Bearer good' }, body: JSON.stringify({ after: 'x' }) });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('r1');
    expect(await response.json()).toEqual({ echo: { after: 'x' } });
  });

  it('answers 400 to a body that is not JSON, and 204 with no body when the route sends none', async () => {
    await start();
    const bad = await fetch(`${sandbox.url}/v1/items/search`, { method: 'POST', headers: { authorization: 'Bearer good' }, body: '{' });
    expect(bad.status).toBe(400);
    const deleted = await fetch(`${sandbox.url}/v1/items/7`, { method: 'DELETE', headers: { authorization: 'Bearer good' } });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
  });

  it("turns a route's SandboxError into the vendor error body at its status", async () => {
    await start();
    const response = await get('/v1/broken');
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ status: 'error', category: 'ERROR', message: 'Unknown property "x".' });
  });

  it('logs every request with the authorization header and api_key and token query values masked', async () => {
    await start();
    await get('/v1/items/1?api_key=s3cret-key&token=s3cret-token&fields=name', { authorization: 'Bearer s3cret-bearer', 'x-trace': 'abc' });
    await get('/v1/items/2', { authorization: 's3cret-raw' });
    expect(sandbox.requests).toHaveLength(2);
    expect(sandbox.requests[0]).toMatchObject({
      method: 'GET',
      path: '/v1/items/1',
      query: { api_key: masked, token: masked, fields: 'name' },
      headers: { authorization: `Bearer ${masked}`, 'x-trace': 'abc' },
    });
    expect(sandbox.requests[1]?.headers.authorization).toBe(masked);
    expect(JSON.stringify(sandbox.requests)).not.toContain('s3cret');
  });

  it('listens on 127.0.0.1 and stops answering once closed; closing twice is harmless', async () => {
    await start();
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await sandbox.close();
    await expect(get('/v1/items/1')).rejects.toThrow();
    await sandbox.close();
  });
});
