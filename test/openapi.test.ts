import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../src/domain/errors.js';
import { startTestApi, type TestApi } from './support/api.js';

describe('API documentation', () => {
  let t: TestApi;
  let doc: { openapi: string; paths: Record<string, Record<string, { summary?: string; responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };
  beforeAll(async () => {
    t = await startTestApi();
    doc = (await t.api.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(() => t.close());

  it('is OpenAPI 3.1 at /openapi.json, with every route of the foundation', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/v1/auth/signup', '/api/v1/auth/signin', '/api/v1/auth/signout', '/api/v1/auth/me', '/api/v1/workspaces', '/api/v1/workspaces/{id}', '/api/v1/members', '/api/v1/members/{userId}', '/api/v1/api-keys', '/api/v1/api-keys/{id}', '/health', '/ready'])
      expect(doc.paths, path).toHaveProperty([path]);
  });

  it('gives every operation a summary and its error answers in the one error shape', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        const statuses = Object.keys(op.responses).filter((s) => s.startsWith('4'));
        if (path.startsWith('/api/v1/')) expect(statuses.length, `${method} ${path} documents no error`).toBeGreaterThan(0);
      }
    }
    expect(JSON.stringify(doc.components.schemas.Error)).toContain('"code"');
  });

  it('lists every code of the error catalog', () => {
    const documented = JSON.stringify(doc.components.schemas.Error);
    for (const code of errorCodes) expect(documented).toContain(`"${code}"`);
  });

  it('serves interactive docs at /docs', async () => {
    const res = await t.api.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger-ui');
    expect(res.body).not.toMatch(/https?:\/\/(?!localhost)[^"']*\.(js|css)/);
  });

  it('answers /health and /ready', async () => {
    expect((await t.api.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok' });
    expect((await t.api.inject({ method: 'GET', url: '/ready' })).json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });
});
