import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApi, type TestApi } from '../../../test/support/api.js';
import { createExternalJwtVerifier } from './external-jwt.js';

const secret = 'super-secret-jwt-token-with-at-least-32-characters-long';

function hs256(claims: Record<string, unknown>, expiresIn = '1h'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}

describe('JWTs from a Supabase-style project (HS256 secret)', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ jwtVerifier: createExternalJwtVerifier({ secret, jwksUrl: undefined, issuer: 'https://project.supabase.test/auth/v1', audience: 'authenticated' }) });
  });
  afterAll(() => t.close());

  const claims = { iss: 'https://project.supabase.test/auth/v1', aud: 'authenticated', sub: 'f5c3a7c2-0000-4000-8000-000000000001', email: 'lin@example.test' };

  it('accepts a valid token: first use creates the user and a workspace, later uses find them by subject', async () => {
    const first = await call(t.api, { method: 'GET', url: '/api/v1/auth/me', auth: { bearer: await hs256(claims) } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ via: 'jwt', role: 'owner', user: { email: 'lin@example.test' } });
    const again = await call(t.api, { method: 'GET', url: '/api/v1/auth/me', auth: { bearer: await hs256({ ...claims, email: 'changed@example.test' }) } });
    expect(again.json().user.id).toBe(first.json().user.id);
    expect(again.json().workspaces).toHaveLength(1);
  });

  it('maps a token to an existing account by email', async () => {
    const signup = await call(t.api, { method: 'POST', url: '/api/v1/auth/signup', body: { email: 'mo@example.test', password: 'password of mo' } });
    const me = await call(t.api, { method: 'GET', url: '/api/v1/auth/me', auth: { bearer: await hs256({ ...claims, sub: 'other-subject', email: 'MO@example.test' }) } });
    expect(me.json().user.id).toBe(signup.json().user.id);
  });

  it('does not link a token whose email is marked unverified to the account with that email', async () => {
    const signup = await call(t.api, { method: 'POST', url: '/api/v1/auth/signup', body: { email: 'victim@example.test', password: 'password of victim' } });
    const me = await call(t.api, { method: 'GET', url: '/api/v1/auth/me', auth: { bearer: await hs256({ ...claims, sub: 'attacker', email: 'victim@example.test', email_verified: false }) } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).not.toBe(signup.json().user.id);
  });

  it.each([
    ['expired', async () => hs256(claims, '-1m'), 'it has expired'],
    ['for another audience', async () => hs256({ ...claims, aud: 'anon-admin' }), 'a claim'],
    ['signed with another secret', async () => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode('x'.repeat(40))), 'signature'],
    ['with no subject', async () => hs256({ ...claims, sub: undefined }), 'subject'],
  ])('refuses a token %s with 401 and a reason', async (_what, make, reason) => {
    const res = await call(t.api, { method: 'GET', url: '/api/v1/auth/me', auth: { bearer: await make() } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toContain(reason);
  });
});

describe('JWTs verified with a JWKS served on loopback', () => {
  let server: http.Server;
  let t: TestApi;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    t = await startTestApi({ jwtVerifier: createExternalJwtVerifier({ secret: undefined, jwksUrl, issuer: 'https://idp.test', audience: undefined }) });
  });
  afterAll(async () => {
    await t.close();
    server.close();
  });

  it('accepts a token signed by a key in the JWKS', async () => {
    const token = await new SignJWT({ email: 'kim@example.test' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer('https://idp.test').setSubject('kim').setExpirationTime('5m').sign(privateKey);
    const res = await call(t.api, { method: 'GET', url: '/api/v1/workspaces/current', auth: { bearer: token } });
    expect(res.statusCode).toBe(200);
    expect(res.json().role).toBe('owner');
  });

  it('refuses a token from another issuer', async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer('https://evil.test').setSubject('kim').setExpirationTime('5m').sign(privateKey);
    expect((await call(t.api, { method: 'GET', url: '/api/v1/auth/me', auth: { bearer: token } })).statusCode).toBe(401);
  });
});
