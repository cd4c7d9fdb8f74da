import { describe, expect, it } from 'vitest';
import { readAll as readConnector, sandboxPerTest, type ReadAllOptions } from '../../../../test/support/connector-reads.js';
import { manualClock } from '../../../../test/support/manual-clock.js';
import { isTributaryError } from '../../../domain/errors.js';
import { authApplier } from '../../runtime/auth/index.js';
import type { RecordBatch } from '../../runtime/read-stream.js';
import { createRequester } from '../../runtime/requester.js';
import phantombuster from './phantombuster.connector.js';
import { phantombusterSandbox, phantombusterSandboxKey } from './sandbox.js';

const sandboxes = sandboxPerTest();

const readAll = (stream: string, { apiKey = phantombusterSandboxKey, ...options }: Pick<ReadAllOptions, 'clock'> & { apiKey?: string } = {}) =>
  readConnector(phantombuster, stream, { ...options, secrets: { apiKey }, baseUrl: sandboxes.server.url });

const recordsOf = (batches: RecordBatch[]) => batches.flatMap((b) => b.records as Array<Record<string, unknown>>);

describe('PhantomBuster', () => {
  it('reads every agent in one answer', async () => {
    const sandbox = await sandboxes.start(phantombusterSandbox({ agents: 30 }));
    const ids = recordsOf(await readAll('agents')).map((a) => a.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect(sandbox.requests).toHaveLength(1);
  });

  it('reads the containers of every agent, one request per agentId', async () => {
    const sandbox = await sandboxes.start(phantombusterSandbox({ agents: 8, containersPerAgent: 6 }));
    const batches = await readAll('containers');
    const ids = recordsOf(batches).map((c) => c.id);
    expect(ids).toHaveLength(48);
    expect(new Set(ids).size).toBe(48);
    expect(batches).toHaveLength(8);

    const agentIds = recordsOf(await readAll('agents')).map((a) => a.id);
    const containerReads = sandbox.requests.filter((r) => r.path === '/api/v2/containers/fetch-all');
    expect(containerReads.map((r) => r.query.agentId)).toEqual(agentIds);
  });

  it('waits out a 429 with Retry-After in the middle of the per-agent reads', async () => {
    await sandboxes.start(phantombusterSandbox({ agents: 5, containersPerAgent: 4 }), {
      faults: [{ kind: 'status', status: 429, retryAfterSeconds: 5, times: 1, path: '/api/v2/containers/fetch-all', afterRequests: 2 }],
    });
    const { clock, waits } = manualClock();
    const containers = recordsOf(await readAll('containers', { clock }));
    expect(new Set(containers.map((c) => c.id)).size).toBe(20);
    expect(waits).toEqual([5_000]);
  });

  it('fails with auth_failed, not a retry, when the key is refused', async () => {
    const sandbox = await sandboxes.start(phantombusterSandbox());
    const error = await readAll('containers', { apiKey: 'not-the-key' }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('auth_failed');
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.requests[0]!.path).toBe('/api/v2/agents/fetch-all');
  });

  it('logs the refused key masked', async () => {
    const sandbox = await sandboxes.start(phantombusterSandbox());
    await readAll('agents', { apiKey: 'not-the-key' }).catch(() => undefined);
    expect(sandbox.requests[0]!.headers['x-phantombuster-key']).toBe('***');
  });

  it('declares launch_agent as an approved POST whose input needs the agent id', () => {
    const action = phantombuster.actions.launch_agent!;
    expect(action.needsApproval).toBe(true);
    expect(action.request).toMatchObject({ method: 'POST', path: '/api/v2/agents/launch' });
    expect(action.input).toMatchObject({ type: 'object', required: ['id'], properties: { id: { type: 'string' }, argument: { type: ['object', 'string'] } } });
  });

  it('answers a launch of a known agent with a new container id', async () => {
    const sandbox = await sandboxes.start(phantombusterSandbox({ agents: 3, containersPerAgent: 2 }));
    const [agent] = recordsOf(await readAll('agents'));
    const requester = createRequester({ vendor: phantombuster.name });
    const { request } = phantombuster.actions.launch_agent!;
    const response = await requester(
      { method: request.method, url: `${sandbox.url}${request.path}`, query: {}, headers: {}, body: { id: agent!.id, argument: { spreadsheetUrl: 'https://example.com/leads.csv' } } },
      { auth: authApplier(phantombuster.auth[0]!, { apiKey: phantombusterSandboxKey }) },
    );
    const { containerId } = response.body as { containerId: string };
    const containers = recordsOf(await readAll('containers')).map((c) => c.id);
    expect(containerId).toMatch(/^\d+$/);
    expect(containers).not.toContain(containerId);
  });
});
