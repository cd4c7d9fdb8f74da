import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../../test/support/manual-clock.js';
import { isTributaryError } from '../../../domain/errors.js';
import { startSandboxServer, type SandboxServer } from '../../sandboxes/index.js';
import { readStream, type RecordBatch } from '../../runtime/read-stream.js';
import { createRequester } from '../../runtime/requester.js';
import hubspot from './hubspot.connector.js';
import { hubspotSandbox, hubspotSandboxToken } from './sandbox.js';

let sandbox: SandboxServer | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function readAll(stream: string, options: { token?: string; clock?: ReturnType<typeof manualClock>['clock'] } = {}) {
  const requester = createRequester({ vendor: hubspot.name, ...(options.clock ? { clock: options.clock } : {}) });
  const batches: RecordBatch[] = [];
  for await (const batch of readStream(hubspot, stream, { requester, auth: hubspot.auth[0]!, secrets: { token: options.token ?? hubspotSandboxToken }, baseUrl: sandbox!.url }))
    batches.push(batch);
  return batches;
}

describe('HubSpot', () => {
  it.each(['contacts', 'companies', 'deals'])('reads every %s from the sandbox, 100 a page', async (stream) => {
    sandbox = await startSandboxServer(hubspotSandbox({ contacts: 250, companies: 120, deals: 30 }));
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
    sandbox = await startSandboxServer(hubspotSandbox({ contacts: 250 }), { faults: [{ kind: 'status', status: 429, retryAfterSeconds: 2, times: 1 }] });
    const { clock, waits } = manualClock();
    const batches = await readAll('contacts', { clock });
    expect(batches.flatMap((b) => b.records)).toHaveLength(250);
    expect(waits).toEqual([2_000]);
  });

  it('fails with auth_failed, not a retry, when the token is refused', async () => {
    sandbox = await startSandboxServer(hubspotSandbox());
    const error = await readAll('contacts', { token: 'pat-na1-wrong' }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('auth_failed');
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.requests[0]!.headers.authorization).toBe('Bearer ***');
  });

  it('stops with invalid_response instead of looping when the vendor repeats a cursor', async () => {
    sandbox = await startSandboxServer(hubspotSandbox({ contacts: 500 }), { faults: [{ kind: 'repeat_cursor', afterRequests: 2, times: 1 }] });
    const error = await readAll('contacts').catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('invalid_response');
  });
});
