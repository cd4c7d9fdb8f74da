import { expect } from 'vitest';
import type { Api } from '../../src/api/app.js';
import { call, type Tenant } from './api.js';

/**
 * A person signing a connection in with OAuth against a sandbox's authorization server: the hub's
 * `start` (its redirect), the consent page over real HTTP and its button, and the provider's
 * redirect back to the hub's callback.
 */
export async function startSignIn(api: Api, tenant: Tenant, connectorId: string, connectionId: string, returnTo?: string): Promise<URL> {
  const query = new URLSearchParams({ connectionId, ...(returnTo ? { returnTo } : {}) });
  const res = await call(api, { method: 'GET', url: `/api/v1/oauth/${connectorId}/start?${query}`, auth: tenant.session });
  expect(res.statusCode, res.body).toBe(302);
  return new URL(res.headers.location as string);
}

/** Opens the consent page and presses a button; returns the callback URL the provider redirects to. */
export async function consent(authorizeUrl: URL, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('<button name="decision" value="allow">Allow</button>');
  const hidden = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)];
  const form = new URLSearchParams(hidden.map((m): [string, string] => [m[1]!, m[2]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)))]));
  form.set('decision', decision);
  const answer = await fetch(new URL('/oauth/authorize', authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location')!);
}

/** The browser arriving back at the hub, with the tenant's session cookie (or none). */
export function returnToHub(api: Api, callbackUrl: URL, tenant: Tenant | undefined) {
  expect(callbackUrl.pathname).toBe('/api/v1/oauth/callback');
  return call(api, { method: 'GET', url: `${callbackUrl.pathname}${callbackUrl.search}`, auth: tenant?.session });
}

/** The whole sign-in, allowed; expects the hub to send the person on. */
export async function signIn(api: Api, tenant: Tenant, connectorId: string, connectionId: string): Promise<void> {
  const res = await returnToHub(api, await consent(await startSignIn(api, tenant, connectorId, connectionId)), tenant);
  expect(res.statusCode, res.body).toBe(302);
}
