import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubspotSandbox, hubspotSandboxToken } from '../src/connectors/definitions/hubspot/sandbox.js';
import { startSandboxServer, type Fault, type SandboxServer } from '../src/connectors/sandboxes/index.js';
import { errorCatalog } from '../src/domain/errors.js';
import { call, signUpTenant, startTestApi, type Tenant, type TestApi } from './support/api.js';

/**
 * A vendor misbehaving mid-sync never loses data silently: every run either succeeds with every
 * record, or fails with a classified error and a cursor that does not pass what was committed.
 * Each case breaks the HubSpot sandbox a few pages into a full read.
 */
const contacts = 800;
let sandbox: SandboxServer;
let t: TestApi;
let a: Tenant;

beforeAll(async () => {
  sandbox = await startSandboxServer(hubspotSandbox({ contacts }));
  t = await startTestApi({ switches: { hubspot: { baseUrl: sandbox.url } }, worker: { timeouts: { connectMs: 1_000, readMs: 500 }, random: () => 0 }, maxAttempts: 2 });
  a = await signUpTenant(t.api, 'faults');
});
afterAll(async () => {
  await t.close();
  await sandbox.close();
});

const path = '/crm/v3/objects/:objectType';
const cases: Array<{ name: string; fault: Fault; expect: 'succeeded' | 'failed' }> = [
  { name: '429 with Retry-After', fault: { kind: 'status', status: 429, retryAfterSeconds: 1, times: 2, path, afterRequests: 3 }, expect: 'succeeded' },
  { name: 'a burst of 500s', fault: { kind: 'status', status: 500, times: 3, path, afterRequests: 3 }, expect: 'succeeded' },
  { name: '502 and 504 past every attempt of the requester', fault: { kind: 'status', status: 502, times: 6, path, afterRequests: 2 }, expect: 'succeeded' },
  { name: 'connection resets', fault: { kind: 'reset', times: 3, path, afterRequests: 4 }, expect: 'succeeded' },
  { name: 'a body that stalls past the read timeout', fault: { kind: 'stall_body', times: 1, path, afterRequests: 3 }, expect: 'succeeded' },
  { name: 'a malformed page', fault: { kind: 'malformed', times: 1, path, afterRequests: 3 }, expect: 'failed' },
  { name: 'a page that repeats its cursor', fault: { kind: 'repeat_cursor', times: 1, path, afterRequests: 3 }, expect: 'failed' },
  // Five requester attempts in each of the run's two attempts: every fault is spent by the end of the case.
  { name: 'a vendor down for good', fault: { kind: 'status', status: 503, times: 10, path, afterRequests: 3 }, expect: 'failed' },
];

describe('syncs under vendor faults', () => {
  for (const testCase of cases) {
    it(`${testCase.name}: ${testCase.expect === 'succeeded' ? 'succeeds with every record' : 'fails classified, state not past the data'}`, async () => {
      const created = await call(t.api, {
        method: 'POST',
        url: '/api/v1/connections',
        auth: a.session,
        body: { connectorId: 'hubspot', mode: 'live', secrets: { token: hubspotSandboxToken }, streams: ['contacts'] },
      });
      const connectionId = created.json().id as string;
      sandbox.inject(testCase.fault);
      const res = await call(t.api, { method: 'POST', url: `/api/v1/connections/${connectionId}/runs?wait=true&timeoutSeconds=120`, auth: a.session });
      const run = res.json();
      expect(run.status, JSON.stringify(run.error)).toBe(testCase.expect);

      const destination = await t.warehouse.destination(a.workspaceId);
      const rows = (await destination.readRows('hubspot_contacts', { limit: 10_000, offset: 0 }))?.rows ?? [];
      const mine = rows.filter((row) => row._run_id === run.id);
      const connection = (await call(t.api, { method: 'GET', url: `/api/v1/connections/${connectionId}`, auth: a.session })).json();
      const cursor = connection.streams.find((s: { name: string }) => s.name === 'contacts').cursor as string | null;
      if (run.status === 'succeeded') {
        expect(run.records).toBe(contacts);
        expect(mine).toHaveLength(contacts);
        expect(cursor).not.toBeNull();
      } else {
        expect(Object.keys(errorCatalog)).toContain(run.error.code);
        expect(run.error.message).not.toMatch(/pat-|Bearer/);
        // A full read is not in cursor order: nothing may be committed until the whole stream is in.
        expect(cursor).toBeNull();
        // What earlier attempts wrote stays (upserted, never doubled); the counts are the last attempt's.
        expect(mine.length).toBeGreaterThanOrEqual(run.records);
        expect(mine.length).toBeLessThanOrEqual(contacts);
      }
    });
  }
});
