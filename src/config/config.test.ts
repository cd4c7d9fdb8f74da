import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, envSchema, loadConfig } from './config.js';

describe('configuration', () => {
  it('needs nothing: the defaults run a hub on embedded storage', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', publicUrl: 'http://localhost:3000', signupEnabled: true, logLevel: 'info' });
    expect(config.dataDir).toBe(path.resolve('.tributary'));
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.join(path.resolve('.tributary'), 'metadata') });
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/hub' }).database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/hub', schema: 'public' });
  });

  it.each(['true', 'TRUE', '1', 'on', 'On', 'yes', 'YES'])('reads %s as a true flag', (raw) => {
    expect(loadConfig({ TRIBUTARY_SIGNUP: raw }).signupEnabled).toBe(true);
  });

  it.each(['false', '0', 'off', 'No'])('reads %s as a false flag', (raw) => {
    expect(loadConfig({ TRIBUTARY_SIGNUP: raw }).signupEnabled).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a whole number, got "abc"'],
    [{ PORT: '70000' }, 'PORT: must be at most 65535'],
    [{ TRIBUTARY_SIGNUP: 'maybe' }, 'TRIBUTARY_SIGNUP: expected one of true, 1, on, yes, false, 0, off, no (any case), got "maybe"'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: must be a URL starting with postgres:// or postgresql://'],
    [{ TRIBUTARY_LOG_LEVEL: 'loud' }, 'TRIBUTARY_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ TRIBUTARY_JWT_SECRET: 'short' }, 'TRIBUTARY_JWT_SECRET: must be at least 16 characters'],
  ])('stops with one line naming the variable: %o', (env, line) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(line);
  });

  it('reads per-connector switches for any connector id, with flags in any case', () => {
    const config = loadConfig({ TRIBUTARY_HUBSPOT_BASE_URL: 'http://127.0.0.1:9000/', TRIBUTARY_HUBSPOT_LIVE: 'Off', TRIBUTARY_CHATWOOT_LIVE: 'YES' });
    expect(config.connectors).toEqual({ hubspot: { baseUrl: 'http://127.0.0.1:9000', live: false }, chatwoot: { live: true } });
    expect(() => loadConfig({ TRIBUTARY_HUBSPOT_LIVE: 'sometimes' })).toThrow('TRIBUTARY_HUBSPOT_LIVE: expected one of true, 1, on, yes');
    expect(() => loadConfig({ TRIBUTARY_HUBSPOT_BASE_URL: 'api.hubapi.com' })).toThrow('TRIBUTARY_HUBSPOT_BASE_URL: must be a URL starting with http:// or https://');
  });

  it('reads a connector rate limit as requests per seconds, or off', () => {
    expect(loadConfig({ TRIBUTARY_HUBSPOT_RATE_LIMIT: '190/10s', TRIBUTARY_CHATWOOT_RATE_LIMIT: 'OFF' }).connectors).toEqual({ hubspot: { rateLimit: { requests: 190, perSeconds: 10 } }, chatwoot: { rateLimit: 'off' } });
    expect(loadConfig({ TRIBUTARY_HUBSPOT_RATE_LIMIT: '5 / 0.5s' }).connectors.hubspot?.rateLimit).toEqual({ requests: 5, perSeconds: 0.5 });
    for (const bad of ['190', '0/10s', '190/0s', 'fast']) expect(() => loadConfig({ TRIBUTARY_HUBSPOT_RATE_LIMIT: bad }), bad).toThrow('TRIBUTARY_HUBSPOT_RATE_LIMIT: expected requests per seconds such as 190/10s, or off');
  });

  it('is documented: every variable is in the README configuration table', () => {
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(envSchema.shape)) expect(readme, name).toContain(`| \`${name}\``);
  });
});
