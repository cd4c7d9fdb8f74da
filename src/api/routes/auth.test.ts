import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, sessionOf, signUpTenant, startTestApi, type TestApi } from '../../../test/support/api.js';

describe('auth routes', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t.close());

  it('signs up the first user of a new workspace as its owner, in an httpOnly SameSite cookie', async () => {
    const res = await call(t.api, { method: 'POST', url: '/api/v1/auth/signup', body: { email: 'Ada@Example.test', password: 'analytical engine', name: 'Ada' } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user).toMatchObject({ email: 'Ada@Example.test', name: 'Ada' });
    expect(body.workspace.name).toBe("Ada's workspace");
    const cookie = res.cookies.find((c) => c.name === 'tributary_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(res.body).not.toContain('analytical engine');

    const me = await call(t.api, { method: 'GET', url: '/api/v1/auth/me', auth: { cookie: cookie.value } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ via: 'session', role: 'owner', workspace: { id: body.workspace.id }, user: { id: body.user.id } });
  });

  it('refuses a second account with the same email, in any case, with 409 email_taken', async () => {
    await call(t.api, { method: 'POST', url: '/api/v1/auth/signup', body: { email: 'grace@example.test', password: 'compiler first' } });
    const res = await call(t.api, { method: 'POST', url: '/api/v1/auth/signup', body: { email: 'GRACE@example.test', password: 'compiler again' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('email_taken');
  });

  it('names the field of a malformed body in a 400', async () => {
    const res = await call(t.api, { method: 'POST', url: '/api/v1/auth/signup', body: { email: 'not-an-email', password: 'long enough password' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', details: { in: 'body', fields: [{ field: 'email' }] } });
    expect(res.json().error.message).toMatch(/^email: /);

    const short = await call(t.api, { method: 'POST', url: '/api/v1/auth/signup', body: { email: 'short@example.test', password: 'short' } });
    expect(short.json().error.message).toBe('password: must be at least 10 characters');
  });

  it('answers 400 for a body that is not JSON, and 415 for another media type', async () => {
    const broken = await t.api.inject({ method: 'POST', url: '/api/v1/auth/signin', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toMatchObject({ code: 'validation_failed', message: 'The body is not valid JSON.' });
    const form = await t.api.inject({ method: 'POST', url: '/api/v1/auth/signin', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(form.statusCode).toBe(415);
    expect(form.json().error.code).toBe('unsupported_media_type');
  });

  it('signs in with the right password only, and the same answer for an unknown email', async () => {
    const tenant = await signUpTenant(t.api, 'signin');
    const ok = await call(t.api, { method: 'POST', url: '/api/v1/auth/signin', body: { email: tenant.email, password: tenant.password } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().workspace.id).toBe(tenant.workspaceId);
    expect(sessionOf(ok)).not.toBe(tenant.session.cookie);

    const wrong = await call(t.api, { method: 'POST', url: '/api/v1/auth/signin', body: { email: tenant.email, password: 'not the password' } });
    const unknown = await call(t.api, { method: 'POST', url: '/api/v1/auth/signin', body: { email: 'nobody@example.test', password: 'not the password' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('signs out: the session stops working', async () => {
    const tenant = await signUpTenant(t.api, 'signout');
    const out = await call(t.api, { method: 'POST', url: '/api/v1/auth/signout', auth: tenant.session });
    expect(out.statusCode).toBe(204);
    const me = await call(t.api, { method: 'GET', url: '/api/v1/auth/me', auth: tenant.session });
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('unauthenticated');
  });

  it('answers 401 without a session, with a made-up session, and with a made-up API key', async () => {
    for (const auth of [undefined, { cookie: 'forged' }, { bearer: 'trb_forged' }]) {
      const res = await call(t.api, { method: 'GET', url: '/api/v1/workspaces/current', auth });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
    }
  });

  it('tells an API key caller who it is', async () => {
    const tenant = await signUpTenant(t.api, 'keyme');
    const me = await call(t.api, { method: 'GET', url: '/api/v1/auth/me', auth: tenant.apiKey });
    expect(me.json()).toMatchObject({ via: 'api_key', user: null, role: 'owner', workspace: { id: tenant.workspaceId } });
  });

  it('lets an invited email sign up into the workspace it was invited to', async () => {
    const owner = await signUpTenant(t.api, 'inviter');
    const email = `invitee-${Date.now()}@example.test`;
    await call(t.api, { method: 'POST', url: '/api/v1/members', auth: owner.session, body: { email, role: 'viewer' } });
    const res = await call(t.api, { method: 'POST', url: '/api/v1/auth/signup', body: { email, password: 'invited and happy' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().workspace.id).toBe(owner.workspaceId);
    const me = await call(t.api, { method: 'GET', url: '/api/v1/auth/me', auth: { cookie: sessionOf(res) } });
    expect(me.json().role).toBe('viewer');
  });

  it('echoes a request id, or makes one', async () => {
    const given = await t.api.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers['x-request-id']).toBe('trace-123');
    const made = await t.api.inject({ method: 'GET', url: '/health' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with a 404 in the error shape', async () => {
    const res = await t.api.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});

describe('sign-up switched off', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ settings: { signupEnabled: false } });
  });
  afterAll(() => t.close());

  it('refuses strangers with 403 signup_disabled', async () => {
    const res = await call(t.api, { method: 'POST', url: '/api/v1/auth/signup', body: { email: 'stranger@example.test', password: 'let me in please' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('signup_disabled');
  });
});
