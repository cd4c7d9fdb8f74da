import { describe, expect, it } from 'vitest';
import { readAll as readConnector, sandboxPerTest, type ReadAllOptions } from '../../../../test/support/connector-reads.js';
import { manualClock } from '../../../../test/support/manual-clock.js';
import { isTributaryError } from '../../../domain/errors.js';
import type { RecordBatch } from '../../runtime/read-stream.js';
import chatwoot from './chatwoot.connector.js';
import { chatwootSandbox, chatwootSandboxAccountId, chatwootSandboxToken } from './sandbox.js';

const sandboxes = sandboxPerTest();

const readAll = (stream: string, { token = chatwootSandboxToken, config = { accountId: chatwootSandboxAccountId }, ...options }: Pick<ReadAllOptions, 'clock' | 'config'> & { token?: string } = {}) =>
  readConnector(chatwoot, stream, { ...options, secrets: { apiKey: token }, baseUrl: sandboxes.server.url, config });

const recordsOf = (batches: RecordBatch[]) => batches.flatMap((b) => b.records as Array<{ id: number; conversation_id?: number; last_activity_at?: number }>);

describe('Chatwoot', () => {
  it('reads every conversation, whatever its status, 25 a page', async () => {
    const sandbox = await sandboxes.start(chatwootSandbox({ conversations: 60 }));
    const batches = await readAll('conversations');
    const conversations = recordsOf(batches);
    expect(conversations).toHaveLength(60);
    expect(new Set(conversations.map((c) => c.id)).size).toBe(60);
    expect(batches.map((b) => b.records.length)).toEqual([25, 25, 10, 0]);
    expect(sandbox.requests.map((r) => r.query)).toEqual([1, 2, 3, 4].map((page) => ({ status: 'all', page: String(page) })));
    expect(batches.at(-1)!.cursor).toBe(String(Math.max(...conversations.map((c) => c.last_activity_at!))));
  });

  it('reads the messages of every conversation, one request each', async () => {
    const sandbox = await sandboxes.start(chatwootSandbox({ conversations: 30, messagesPerConversation: 4 }));
    const messages = recordsOf(await readAll('messages'));
    expect(messages).toHaveLength(120);
    expect(new Set(messages.map((m) => m.id)).size).toBe(120);
    const perConversation = new Map<number | undefined, number>();
    for (const m of messages) perConversation.set(m.conversation_id, (perConversation.get(m.conversation_id) ?? 0) + 1);
    expect([...perConversation.keys()].sort((a, b) => a! - b!)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect([...perConversation.values()].every((count) => count === 4)).toBe(true);
    const messageRequests = sandbox.requests.filter((r) => r.path.endsWith('/messages'));
    expect(messageRequests).toHaveLength(30);
    expect(messageRequests[0]!.path).toBe(`/api/v1/accounts/${chatwootSandboxAccountId}/conversations/1/messages`);
  });

  it('waits out a 429 with Retry-After, then reads every conversation', async () => {
    const sandbox = await sandboxes.start(chatwootSandbox({ conversations: 60 }), { faults: [{ kind: 'status', status: 429, retryAfterSeconds: 2, times: 1, afterRequests: 1 }] });
    const { clock, waits } = manualClock();
    const conversations = recordsOf(await readAll('conversations', { clock }));
    expect(conversations).toHaveLength(60);
    expect(waits).toEqual([2_000]);
    expect(sandbox.requests.filter((r) => r.fault === 'status')).toHaveLength(1);
  });

  it('fails with auth_failed after one request when the token is refused, and never logs the token', async () => {
    const sandbox = await sandboxes.start(chatwootSandbox());
    const error = await readAll('conversations', { token: 'cw-wrong-token' }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('auth_failed');
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.requests[0]!.headers.api_access_token).toBe('***');
  });

  it('fails with invalid_config naming accountId, before any request, when the connection has none', async () => {
    const sandbox = await sandboxes.start(chatwootSandbox());
    const error = await readAll('messages', { config: {} }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('invalid_config');
    expect(isTributaryError(error) && error.details).toEqual({ field: 'accountId' });
    expect(String((error as Error).message)).toContain('accountId');
    expect(sandbox.requests).toHaveLength(0);
  });
});
