import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubspotSandbox, hubspotSandboxToken } from '../src/connectors/definitions/hubspot/sandbox.js';
import { parseDefinition } from '../src/connectors/runtime/define.js';
import { readStream } from '../src/connectors/runtime/read-stream.js';
import { createRequester } from '../src/connectors/runtime/requester.js';
import { startSandboxServer, type SandboxServer } from '../src/connectors/sandboxes/index.js';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from './support/api.js';

/**
 * Generic REST: a workspace describes an API it needs as JSON, with no code, and the same runtime
 * that runs the built-ins reads it. Proven against the HubSpot sandbox on loopback, as if it were
 * an API Tributary had never heard of.
 */
describe('a custom REST connector', () => {
  let t: TestApi;
  let a: Tenant;
  let vendor: SandboxServer;
  let definition: Record<string, unknown>;

  beforeAll(async () => {
    vendor = await startSandboxServer(hubspotSandbox({ contacts: 345, deals: 20 }));
    t = await startTestApi();
    a = await signUpTenant(t.api, 'rest');
    definition = {
      id: 'our_crm',
      name: 'Our CRM',
      category: 'crm',
      description: 'Our in-house CRM, which speaks HubSpot-style JSON.',
      docs: 'https://crm.example.test/docs',
      baseUrl: vendor.url,
      auth: [{ method: 'bearer', label: 'Service token' }],
      rateLimit: { requests: 50, perSeconds: 1 },
      streams: {
        people: {
          request: { path: '/crm/v3/objects/contacts', query: { limit: 100 } },
          records: 'results',
          primaryKey: 'id',
          paginate: { style: 'cursor', next: 'paging.next.after', sendAs: 'after' },
          incremental: { field: 'updatedAt' },
        },
        deals: { request: { path: '/crm/v3/objects/deals', query: { limit: 100 } }, records: 'results', primaryKey: 'id', paginate: { style: 'next_url', next: 'paging.next.link' } },
      },
    };
  });
  afterAll(async () => {
    await t.close();
    await vendor.close();
  });

  it('is added by a workspace, connected live, tested, and read in full by the runtime', async () => {
    const added = await call(t.api, { method: 'POST', url: '/api/v1/connectors', auth: a.session, body: definition });
    expect(added.statusCode).toBe(201);
    expect(added.json().streams.map((s: { name: string }) => s.name)).toEqual(['people', 'deals']);

    const connection = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'our_crm', mode: 'live', secrets: { token: hubspotSandboxToken } } });
    expect(connection.statusCode).toBe(201);
    const tested = await call(t.api, { method: 'POST', url: `/api/v1/connections/${connection.json().id}/test`, auth: a.session });
    expect(tested.json()).toMatchObject({ ok: true, source: 'live', connection: { status: 'connected', kind: 'custom' } });
    expect(vendor.requests.at(-1)).toMatchObject({ path: '/crm/v3/objects/contacts', query: { limit: '100' }, headers: { authorization: 'Bearer ***' } });

    const parsed = parseDefinition({ kind: 'custom', ...definition });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const requester = createRequester({ vendor: 'Our CRM' });
    const read = async (stream: string) => {
      const ids: string[] = [];
      for await (const batch of readStream(parsed.definition, stream, { requester, auth: parsed.definition.auth[0]!, secrets: { token: hubspotSandboxToken } }))
        ids.push(...batch.records.map((r) => (r as { id: string }).id));
      return ids;
    };
    const people = await read('people');
    expect(people).toHaveLength(345);
    expect(new Set(people).size).toBe(345);
    expect(await read('deals')).toHaveLength(20);
  });

  it('is refused in sandbox mode, which only built-in connectors have', async () => {
    await call(t.api, { method: 'POST', url: '/api/v1/connectors', auth: a.session, body: { ...definition, id: 'our_other_crm' } });
    const res = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'our_other_crm', mode: 'sandbox' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0].field).toBe('mode');
  });
});
