import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logging/logger.js';
import { call, signUpTenant, startTestApi, type TestApi } from './support/api.js';

/**
 * Secrets never reach a log line: a password, an API key, a session token and a credential are
 * planted through real requests (and handed straight to a logger), then every line is searched.
 */
describe('logs', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t.close());

  it('are JSON with a scope, and hold no password, API key, session or credential', async () => {
    const tenant = await signUpTenant(t.api, 'logged');
    const created = await call(t.api, { method: 'POST', url: '/api/v1/api-keys', auth: tenant.session, body: { name: 'planted' } });
    const apiKey = created.json().key as string;
    await call(t.api, { method: 'GET', url: `/api/v1/workspaces/current?api_key=${apiKey}&token=${tenant.session.cookie}`, auth: { bearer: apiKey } });
    await call(t.api, { method: 'POST', url: '/api/v1/auth/signin', body: { email: tenant.email, password: tenant.password } });
    await call(t.api, { method: 'POST', url: '/api/v1/auth/signin', body: { email: tenant.email, password: 'wrong password planted' } });
    const credential = 'pat-na1-0f9e8d7c-6b5a-4c3d-2e1f-planted-credential';
    t.api.log.warn({ connection: { credential, config: { apiKey: credential, password: tenant.password } }, authorization: `Bearer ${apiKey}` }, 'planted');

    expect(t.logLines.length).toBeGreaterThan(10);
    const entries = t.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.every((e) => e.scope === 'api')).toBe(true);
    expect(entries.some((e) => e.msg === 'planted')).toBe(true);
    for (const secret of [tenant.password, 'wrong password planted', apiKey, tenant.session.cookie, credential]) {
      expect(t.logLines.filter((line) => line.includes(secret))).toEqual([]);
    }
  });

  it('redact by key name at any of the first three levels', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk, _e, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    logger.child({ scope: 'vault' }).info({ password: 'p1-secret', a: { token: 't1-secret', b: { refreshToken: 'r1-secret' } } }, 'nested');
    expect(lines.join('')).not.toMatch(/p1-secret|t1-secret|r1-secret/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ scope: 'vault', password: '[redacted]', a: { token: '[redacted]' } });
  });
});
