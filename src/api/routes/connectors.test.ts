import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from '../../../test/support/api.js';

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
    expect(hubspot).toMatchObject({ id: 'hubspot', kind: 'api', category: 'crm', authMethods: [{ method: 'bearer', formSchema: { type: 'object', required: ['token'] } }] });
    expect(hubspot.iconSvg).toMatch(/^<svg /);
    expect(hubspot.streams.map((s: { name: string }) => s.name)).toEqual(['contacts', 'companies', 'deals']);
  });

  it('searches in any case and filters by kind, category and auth method, combined', async () => {
    expect((await list('?q=HUBS')).map((c) => c.id)).toEqual(['hubspot']);
    expect((await list('?q=deals&kind=api&category=crm&auth=bearer')).map((c) => c.id)).toEqual(['hubspot']);
    expect(await list('?q=hubspot&auth=basic')).toEqual([]);
    expect(await list('?kind=mcp')).toEqual([]);
  });

  it('answers a bad filter with 400 naming it, an unknown connector with 404, and a stranger with 401', async () => {
    const bad = await call(t.api, { method: 'GET', url: '/api/v1/connectors?kind=spreadsheet', auth: tenant.session });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('kind');
    expect((await call(t.api, { method: 'GET', url: '/api/v1/connectors/nope', auth: tenant.session })).statusCode).toBe(404);
    expect((await call(t.api, { method: 'GET', url: '/api/v1/connectors' })).statusCode).toBe(401);
  });
});
