import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUpTenant, startTestApi, type Auth, type Tenant, type TestApi } from '../../../test/support/api.js';
import { acmeDefinition } from '../../../test/support/custom-connector.js';
import { builtInConnectors } from '../../connectors/catalog.js';

describe('connector catalog', () => {
  let t: TestApi;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApi();
    tenant = await signUpTenant(t.api, 'catalog');
  });
  afterAll(() => t.close());

  const list = async (query = '') => (await call(t.api, { method: 'GET', url: `/api/v1/connectors${query}`, auth: tenant.apiKey })).json().connectors as Array<{ id: string }>;

  it('lists the built-in connectors with icon, form schema per auth method and streams', async () => {
    const res = await call(t.api, { method: 'GET', url: '/api/v1/connectors/hubspot', auth: tenant.session });
    expect(res.statusCode).toBe(200);
    const hubspot = res.json();
    expect(hubspot).toMatchObject({
      id: 'hubspot',
      kind: 'api',
      category: 'crm',
      custom: false,
      sandbox: true,
      live: true,
      authMethods: [
        { method: 'bearer', formSchema: { type: 'object', required: ['secrets'], properties: { secrets: { required: ['token'], properties: { token: { writeOnly: true } } } } } },
        { method: 'oauth2' },
      ],
    });
    expect(hubspot.iconSvg).toMatch(/^<svg /);
    expect(hubspot.streams.map((s: { name: string }) => s.name)).toEqual(['contacts', 'companies', 'deals']);
  });

  it('searches in any case and filters by kind, category and auth method, combined', async () => {
    expect((await list('?q=HUBS')).map((c) => c.id)).toEqual(['hubspot']);
    expect((await list('?q=deals&kind=api&category=crm&auth=bearer')).map((c) => c.id)).toEqual(['hubspot']);
    expect(await list('?q=hubspot&auth=basic')).toEqual([]);
    expect(await list('?kind=mcp')).toEqual([]);
  });

  it('shows every built-in connector with its icon and a sandbox', async () => {
    const all = (await call(t.api, { method: 'GET', url: '/api/v1/connectors', auth: tenant.apiKey })).json().connectors as Array<{ id: string; iconSvg: string | null; sandbox: boolean }>;
    for (const definition of builtInConnectors) {
      const entry = all.find((c) => c.id === definition.id);
      expect(entry?.iconSvg, definition.id).toMatch(/^<svg /);
      expect(entry?.sandbox, definition.id).toBe(true);
    }
  });

  it('adds a custom REST connector that only its workspace sees, and names the exact field of a bad one', async () => {
    const bad = await call(t.api, {
      method: 'POST',
      url: '/api/v1/connectors',
      auth: tenant.session,
      body: { ...acmeDefinition, streams: { contacts: { ...acmeDefinition.streams.contacts, paginate: { style: 'offset', offsetParam: 'o', limitParam: 'l', limit: 0 } } } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^streams\.contacts\.paginate\.limit: /);
    expect(bad.json().error.details.fields[0].field).toBe('streams.contacts.paginate.limit');

    const shadow = await call(t.api, { method: 'POST', url: '/api/v1/connectors', auth: tenant.session, body: { ...acmeDefinition, id: 'hubspot' } });
    expect(shadow.statusCode).toBe(400);
    expect(shadow.json().error.details.fields[0].field).toBe('id');

    const created = await call(t.api, { method: 'POST', url: '/api/v1/connectors', auth: tenant.session, body: acmeDefinition });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: 'acme_crm', kind: 'custom', custom: true, sandbox: false });
    expect((await call(t.api, { method: 'POST', url: '/api/v1/connectors', auth: tenant.session, body: acmeDefinition })).statusCode).toBe(409);
    expect((await list('?kind=custom')).map((c) => c.id)).toEqual(['acme_crm']);

    const renamed = await call(t.api, { method: 'PUT', url: '/api/v1/connectors/acme_crm', auth: tenant.session, body: { ...acmeDefinition, name: 'Acme CRM v2' } });
    expect(renamed.json().name).toBe('Acme CRM v2');

    const other = await signUpTenant(t.api, 'stranger');
    expect((await call(t.api, { method: 'GET', url: '/api/v1/connectors/acme_crm', auth: other.apiKey })).statusCode).toBe(404);
    expect((await call(t.api, { method: 'GET', url: '/api/v1/connectors?kind=custom', auth: other.apiKey })).json().connectors).toEqual([]);

    expect((await call(t.api, { method: 'DELETE', url: '/api/v1/connectors/acme_crm', auth: tenant.session })).statusCode).toBe(204);
    expect((await call(t.api, { method: 'DELETE', url: '/api/v1/connectors/hubspot', auth: tenant.session })).statusCode).toBe(404);
  });

  it('checks a custom definition without saving it, listing every issue with its field', async () => {
    const validate = (body: unknown, auth: Auth = tenant.session) => call(t.api, { method: 'POST', url: '/api/v1/connectors/validate', auth, body });
    const good = await validate(acmeDefinition);
    expect(good.json()).toEqual({ ok: true, issues: [] });
    const bad = await validate({ ...acmeDefinition, id: 'Acme', baseUrl: 'ftp://acme.test' });
    expect(bad.statusCode).toBe(200);
    expect(bad.json().ok).toBe(false);
    expect(bad.json().issues.map((i: { field: string }) => i.field)).toEqual(expect.arrayContaining(['id', 'baseUrl']));
    expect((await validate({ ...acmeDefinition, id: 'hubspot' })).json().issues).toEqual([{ field: 'id', message: expect.stringContaining('built-in') }]);
    expect((await call(t.api, { method: 'GET', url: '/api/v1/connectors/acme_crm', auth: tenant.session })).statusCode).toBe(404);

    const other = await signUpTenant(t.api, 'validator');
    const viewer = await call(t.api, { method: 'POST', url: '/api/v1/api-keys', auth: other.session, body: { name: 'read only', role: 'viewer' } });
    expect((await validate(acmeDefinition, { bearer: viewer.json().key })).statusCode).toBe(403);
    expect((await call(t.api, { method: 'POST', url: '/api/v1/connectors/validate', body: acmeDefinition })).statusCode).toBe(401);
  });

  it('names the config field chosen after signing in, for connectors with accounts to choose', async () => {
    const ga4 = (await call(t.api, { method: 'GET', url: '/api/v1/connectors/ga4', auth: tenant.session })).json();
    const hubspot = (await call(t.api, { method: 'GET', url: '/api/v1/connectors/hubspot', auth: tenant.session })).json();
    expect([ga4.accountsField, hubspot.accountsField]).toEqual(['propertyIds', null]);
  });

  it('answers a bad filter with 400 naming it, an unknown connector with 404, and a stranger with 401', async () => {
    const bad = await call(t.api, { method: 'GET', url: '/api/v1/connectors?kind=spreadsheet', auth: tenant.session });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('kind');
    expect((await call(t.api, { method: 'GET', url: '/api/v1/connectors/nope', auth: tenant.session })).statusCode).toBe(404);
    expect((await call(t.api, { method: 'GET', url: '/api/v1/connectors' })).statusCode).toBe(401);
  });
});
