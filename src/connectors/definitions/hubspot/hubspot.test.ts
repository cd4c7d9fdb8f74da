import { describe, expect, it } from 'vitest';
import { readAll as readConnector, sandboxPerTest, type ReadAllOptions } from '../../../../test/support/connector-reads.js';
import { manualClock } from '../../../../test/support/manual-clock.js';
import { isTributaryError } from '../../../domain/errors.js';
import type { Discovery } from '../../runtime/hooks.js';
import type { RecordBatch } from '../../runtime/read-stream.js';
import { createRequester } from '../../runtime/requester.js';
import { testConnection } from '../../runtime/test-connection.js';
import hubspot from './hubspot.connector.js';
import { hubspotSandbox, hubspotSandboxToken } from './sandbox.js';

const sandboxes = sandboxPerTest();

interface CrmRecord {
  id: string;
  properties: Record<string, string>;
  updatedAt: string;
}

interface ReadOptions extends Pick<ReadAllOptions, 'clock' | 'discovery' | 'state'> {
  token?: string;
  /** Collects the JSON body of every request sent, which the sandbox's log leaves out. */
  bodies?: unknown[];
}

/** `fetch` that keeps the parsed body of every request it sends. */
const capturing =
  (bodies: unknown[]): typeof fetch =>
  (url, init) => (bodies.push(init?.body && JSON.parse(String(init.body))), fetch(url, init));

const readAll = (stream: string, { token = hubspotSandboxToken, bodies, ...options }: ReadOptions = {}) =>
  readConnector(hubspot, stream, { ...options, secrets: { token }, baseUrl: sandboxes.server.url, fetch: bodies && capturing(bodies) });

const recordsOf = (batches: RecordBatch[]) => batches.flatMap((b) => b.records as CrmRecord[]);

/** A discovery made the way the hub makes one: a connection test. */
async function discover(): Promise<Discovery> {
  const result = await testConnection(hubspot, { requester: createRequester({ vendor: hubspot.name }), auth: hubspot.auth[0]!, secrets: { token: hubspotSandboxToken }, baseUrl: sandboxes.server.url });
  if (!result.ok || !result.discovery) throw new Error('the connection test found nothing');
  return result.discovery;
}

describe('HubSpot', () => {
  it.each(['contacts', 'companies', 'deals'])('reads every %s from the sandbox, 100 a page', async (stream) => {
    const sandbox = await sandboxes.start(hubspotSandbox({ contacts: 250, companies: 120, deals: 30 }));
    const batches = await readAll(stream);
    const expected = { contacts: 250, companies: 120, deals: 30 }[stream]!;
    const ids = batches.flatMap((b) => b.records.map((r) => (r as { id: string }).id));
    expect(ids).toHaveLength(expected);
    expect(new Set(ids).size).toBe(expected);
    expect(batches.every((b) => b.records.length <= 100)).toBe(true);
    expect(sandbox.requests.every((r) => r.query.limit === '100')).toBe(true);
    expect(batches.at(-1)!.cursor).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('waits out a 429 with Retry-After, then reads every contact', async () => {
    await sandboxes.start(hubspotSandbox({ contacts: 250 }), { faults: [{ kind: 'status', status: 429, retryAfterSeconds: 2, times: 1 }] });
    const { clock, waits } = manualClock();
    const batches = await readAll('contacts', { clock });
    expect(batches.flatMap((b) => b.records)).toHaveLength(250);
    expect(waits).toEqual([2_000]);
  });

  it('fails with auth_failed, not a retry, when the token is refused', async () => {
    const sandbox = await sandboxes.start(hubspotSandbox());
    const error = await readAll('contacts', { token: 'pat-na1-wrong' }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('auth_failed');
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.requests[0]!.headers.authorization).toBe('Bearer ***');
  });

  it('stops with invalid_response instead of looping when the vendor repeats a cursor', async () => {
    await sandboxes.start(hubspotSandbox({ contacts: 500 }), { faults: [{ kind: 'repeat_cursor', afterRequests: 2, times: 1 }] });
    const error = await readAll('contacts').catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('invalid_response');
  });

  it("discovers each object's custom properties, typed, beside the defaults it reads", async () => {
    const sandbox = await sandboxes.start(hubspotSandbox());
    const { streams } = await discover();
    expect(streams.contacts!.columns).toMatchObject({
      favorite_river: { type: 'string', label: 'Favorite river', custom: true },
      customer_tier: { type: 'string', label: 'Customer tier', custom: true },
      newsletter_opt_in: { type: 'boolean', custom: true },
      email: { type: 'string', label: 'Email' },
      lastmodifieddate: { type: 'timestamp' },
      hs_object_id: { type: 'number' },
    });
    expect(streams.contacts!.columns.email!.custom).toBeUndefined();
    // HubSpot's own properties beyond the defaults are not read, so they are no columns.
    expect(streams.contacts!.columns.phone).toBeUndefined();
    expect(streams.companies!.columns.region_code).toEqual({ type: 'string', label: 'Region code', custom: true });
    expect(streams.deals!.columns).toMatchObject({ renewal_date: { type: 'date', custom: true }, amount: { type: 'number' }, hs_lastmodifieddate: { type: 'timestamp' } });
    expect(sandbox.requests.filter((r) => r.path.startsWith('/crm/v3/properties/')).map((r) => r.path).sort()).toEqual([
      '/crm/v3/properties/companies',
      '/crm/v3/properties/contacts',
      '/crm/v3/properties/deals',
    ]);
  });

  it('reads the custom properties found by discover as fields of every record', async () => {
    const sandbox = await sandboxes.start(hubspotSandbox({ contacts: 150 }));
    const discovery = await discover();
    const before = sandbox.requests.length;
    const contacts = recordsOf(await readAll('contacts', { discovery }));
    expect(contacts).toHaveLength(150);
    for (const { properties } of contacts) {
      expect(properties.favorite_river).toMatch(/^[a-z]+$/);
      expect(['bronze', 'silver', 'gold']).toContain(properties.customer_tier);
      expect(properties.email).toContain('@');
      expect(properties.phone).toBeUndefined();
    }
    expect(sandbox.requests.slice(before).every((r) => r.query.properties?.split(',').includes('favorite_river'))).toBe(true);
    // Without a discovery HubSpot sends its defaults only.
    expect(recordsOf(await readAll('contacts'))[0]!.properties.favorite_river).toBeUndefined();
  });

  it.each([
    ['contacts', 'lastmodifieddate'],
    ['companies', 'hs_lastmodifieddate'],
    ['deals', 'hs_lastmodifieddate'],
  ])('reads %s incrementally through search, filtering on %s from the saved cursor minus the lookback', async (stream, lastModified) => {
    const sandbox = await sandboxes.start(hubspotSandbox({ contacts: 400, companies: 400, deals: 400 }));
    const discovery = await discover();
    const everything = recordsOf(await readAll(stream));
    const state = everything.map((r) => r.updatedAt).sort()[200]!;
    const since = Date.parse(state) - 3_600_000;
    const expected = everything.filter((r) => Date.parse(r.updatedAt) >= since);
    const before = sandbox.requests.length;
    const bodies: unknown[] = [];

    const batches = await readAll(stream, { discovery, state, bodies });
    const changed = recordsOf(batches);

    expect(changed.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
    expect(changed.map((r) => r.updatedAt)).toEqual(changed.map((r) => r.updatedAt).sort());
    expect(changed.every((r) => r.properties[lastModified] === r.updatedAt)).toBe(true);
    const requests = sandbox.requests.slice(before);
    expect(requests).toHaveLength(Math.ceil(expected.length / 100));
    expect(requests.every((r) => r.method === 'POST' && r.path === `/crm/v3/objects/${stream}/search`)).toBe(true);
    expect(bodies[0]).toEqual({
      filterGroups: [{ filters: [{ propertyName: lastModified, operator: 'GTE', value: String(since) }] }],
      sorts: [{ propertyName: lastModified, direction: 'ASCENDING' }],
      properties: Object.keys(discovery.streams[stream]!.columns),
      limit: 100,
    });
    expect(bodies.slice(1).every((body) => typeof (body as { after?: unknown }).after === 'string')).toBe(true);
    expect(batches.at(-1)!.cursor).toBe(expected.map((r) => r.updatedAt).sort().at(-1));
  });

  it('stops with invalid_response when the search repeats a cursor in its body pagination', async () => {
    const sandbox = await sandboxes.start(hubspotSandbox({ contacts: 500 }), {
      faults: [{ kind: 'repeat_cursor', path: '/crm/v3/objects/contacts/search', afterRequests: 1, times: 1 }],
    });
    const error = await readAll('contacts', { state: '2023-01-01T00:00:00Z' }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('invalid_response');
    expect(sandbox.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it("fails with bad_request at HubSpot's 10,000-result search cap instead of dropping changes (hooks.ts)", async () => {
    const sandbox = await sandboxes.start(hubspotSandbox({ contacts: 10_050 }));
    const error = await readAll('contacts', { state: '2023-01-01T00:00:00Z' }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('bad_request');
    expect(sandbox.requests).toHaveLength(101);
  });
});
