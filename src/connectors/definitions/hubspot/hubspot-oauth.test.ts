import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from '../../../../test/support/api.js';
import { signIn, startSignIn } from '../../../../test/support/oauth.js';

/**
 * HubSpot signed in with OAuth in sandbox mode, through the hub: the sandbox's authorization
 * server (consent, PKCE, refresh tokens), then a sync that reads with the sign-in's token.
 */
let t: TestApi;
let a: Tenant;
/** The bearer tokens the sync worker sent, masked to their kind. */
const bearers: string[] = [];
const recordingFetch: typeof fetch = (input, init) => {
  const authorization = new Headers(init?.headers).get('authorization') ?? '';
  bearers.push(authorization.replace(/^(Bearer (?:sbx-at-|pat-)).*$/, '$1…'));
  return fetch(input, init);
};

beforeAll(async () => {
  t = await startTestApi({ worker: { random: () => 0, fetch: recordingFetch } });
  a = await signUpTenant(t.api, 'crm');
});
afterAll(() => t.close());

async function oauthConnection(): Promise<string> {
  const created = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'hubspot', authMethod: 'oauth2', streams: ['contacts'] } });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id as string;
}

describe('HubSpot with OAuth (sandbox)', () => {
  it('asks HubSpot for read access to contacts, companies, deals and the contact schema', async () => {
    const authorize = await startSignIn(t.api, a, 'hubspot', await oauthConnection());
    expect(authorize.searchParams.get('scope')).toBe('crm.objects.contacts.read crm.objects.companies.read crm.objects.deals.read crm.schemas.contacts.read');
  });

  it('signs in with HubSpot, is tested with the new token, and syncs every contact', async () => {
    const id = await oauthConnection();
    await signIn(t.api, a, 'hubspot', id);
    const view = (await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}`, auth: a.session })).json();
    expect(view).toMatchObject({ status: 'connected', authMethod: 'oauth2', source: 'sandbox', credential: { hint: expect.stringMatching(/^OAuth sbx-/) } });

    const run = await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/runs?wait=true&timeoutSeconds=60`, auth: a.session });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json()).toMatchObject({ status: 'succeeded', streams: { contacts: { records: 250 } } });
    expect(new Set(bearers)).toEqual(new Set(['Bearer sbx-at-…']));
    const table = (await (await t.warehouse.destination(a.workspaceId)).describeTable('hubspot_contacts'))!;
    expect(table.rowCount).toBe(250);
    // The custom properties the test discovered with the OAuth token are columns.
    expect(table.columns.map((c) => c.name)).toContain('favorite_river');
  });
});
