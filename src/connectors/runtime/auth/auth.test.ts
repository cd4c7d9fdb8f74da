import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../http.js';
import { authApplier, authConfig, secretsJsonSchema, type AuthConfig, type AuthMethodName } from './index.js';

const base: HttpRequest = { method: 'GET', url: 'https://api.example.test/v1/items', query: { limit: '10' }, headers: { accept: 'application/json' } };

/** One case per registered method, so a method added later is tested the day it lands. */
const cases: Record<AuthMethodName, { config: AuthConfig; secrets: Record<string, string>; expect: (r: HttpRequest) => void; http?: false }> = {
  api_key: {
    config: authConfig.parse({ method: 'api_key', name: 'X-Phantombuster-Key' }),
    secrets: { apiKey: 'pb-secret' },
    expect: (r) => expect(r.headers['X-Phantombuster-Key']).toBe('pb-secret'),
  },
  bearer: { config: authConfig.parse({ method: 'bearer' }), secrets: { token: 'pat-na1-abc' }, expect: (r) => expect(r.headers.authorization).toBe('Bearer pat-na1-abc') },
  basic: {
    config: authConfig.parse({ method: 'basic' }),
    secrets: { username: 'livy', password: 'p:w' },
    expect: (r) => expect(r.headers.authorization).toBe(`Basic ${Buffer.from('livy:p:w').toString('base64')}`),
  },
  none: { config: authConfig.parse({ method: 'none' }), secrets: {}, expect: (r) => expect(r).toEqual(base) },
  connection_string: {
    config: authConfig.parse({ method: 'connection_string' }),
    secrets: { connectionString: 'postgres://reader:pw@127.0.0.1:5432/shop' },
    expect: () => expect.unreachable('a connection string never authenticates an HTTP request'),
    http: false,
  },
  oauth2: {
    config: authConfig.parse({ method: 'oauth2', provider: 'google', authorizationUrl: 'https://accounts.example.test/auth', tokenUrl: 'https://oauth2.example.test/token' }),
    secrets: { accessToken: 'ya29.a0-access', refreshToken: '1//refresh', expiresAt: '2026-11-25T12:00:00.000Z' },
    expect: (r) => expect(r.headers.authorization).toBe('Bearer ya29.a0-access'),
  },
};

describe('auth methods', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name} authenticates a request without changing the original${c.http === false ? ' (or refuses HTTP)' : ''}`, () => {
      const copy = structuredClone(base);
      const apply = authApplier(c.config, c.secrets);
      if (c.http === false) expect(() => apply(base)).toThrow('not an HTTP request');
      else c.expect(apply(base));
      expect(base).toEqual(copy);
    });

    it(`${name} publishes the JSON Schema of its secrets`, () => {
      expect(secretsJsonSchema(name as AuthMethodName)).toMatchObject({ type: 'object' });
    });
  }

  it('sends an API key in the query when the definition says so', () => {
    const config = authConfig.parse({ method: 'api_key', in: 'query', name: 'api_key' });
    expect(authApplier(config, { apiKey: 'k1' })(base).query).toEqual({ limit: '10', api_key: 'k1' });
  });

  it('sends an OAuth access token in the header the provider names, without the Bearer prefix when it wants none', () => {
    const config = authConfig.parse({ method: 'oauth2', provider: 'shopify', authorizationUrl: 'https://shop.example.test/authorize', tokenUrl: 'https://shop.example.test/token', tokenHeader: { name: 'X-Shopify-Access-Token', prefix: '' } });
    const headers = authApplier(config, { accessToken: 'shpat_abc' })(base).headers;
    expect(headers['X-Shopify-Access-Token']).toBe('shpat_abc');
    expect(headers.authorization).toBeUndefined();
  });

  it('puts a prefix before a header key', () => {
    const config = authConfig.parse({ method: 'api_key', name: 'Authorization', prefix: 'Token ' });
    expect(authApplier(config, { apiKey: 'k2' })(base).headers.Authorization).toBe('Token k2');
  });

  it('answers a missing secret with a 400 naming the field, without the values given', () => {
    expect(() => authApplier(cases.bearer.config, { token: '' })).toThrow('token: token must not be empty');
    try {
      authApplier(cases.basic.config, { username: 'a:b', password: 'hunter22' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe('username: username must not contain ":"');
      expect(JSON.stringify(error)).not.toContain('hunter22');
    }
  });

  it('rejects an unknown method in a definition', () => {
    const parsed = authConfig.safeParse({ method: 'magic' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['method']);
  });
});
