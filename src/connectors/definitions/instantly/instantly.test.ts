import { describe, expect, it } from 'vitest';
import { readAll as readConnector, sandboxPerTest, type ReadAllOptions } from '../../../../test/support/connector-reads.js';
import { manualClock } from '../../../../test/support/manual-clock.js';
import { isTributaryError } from '../../../domain/errors.js';
import { metricRowsOf } from '../../runtime/metrics-mapping.js';
import type { RecordBatch } from '../../runtime/read-stream.js';
import instantly from './instantly.connector.js';
import { instantlySandbox, instantlySandboxKey } from './sandbox.js';

const sandboxes = sandboxPerTest();

const readAll = (stream: string, { token = instantlySandboxKey, ...options }: Pick<ReadAllOptions, 'clock' | 'state'> & { token?: string } = {}) =>
  readConnector(instantly, stream, { ...options, secrets: { token }, baseUrl: sandboxes.server.url });

const recordsOf = (batches: RecordBatch[]) => batches.flatMap((b) => b.records as Array<Record<string, unknown>>);

describe('Instantly', () => {
  it('reads every campaign, 100 a page, following next_starting_after', async () => {
    const sandbox = await sandboxes.start(instantlySandbox({ campaigns: 250 }));
    const batches = await readAll('campaigns');
    const ids = recordsOf(batches).map((c) => c.id);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(batches.map((b) => b.records.length)).toEqual([100, 100, 50]);
    expect(sandbox.requests.every((r) => r.query.limit === '100')).toBe(true);
    expect(sandbox.requests.map((r) => r.query.starting_after === undefined)).toEqual([true, false, false]);
  });

  it('reads the totals of every campaign under the documented field names', async () => {
    await sandboxes.start(instantlySandbox({ campaigns: 40 }));
    const totals = recordsOf(await readAll('campaign_analytics'));
    const campaignIds = recordsOf(await readAll('campaigns')).map((c) => c.id);
    expect(totals.map((t) => t.campaign_id)).toEqual(campaignIds);
    expect(Object.keys(totals[0]!)).toEqual(expect.arrayContaining(['campaign_id', 'emails_sent_count', 'open_count', 'reply_count', 'bounced_count', 'link_click_count']));
    expect(totals.every((t) => (t.open_count as number) <= (t.emails_sent_count as number))).toBe(true);
  });

  it('reads every day of the daily analytics, then only from the saved day less the lookback', async () => {
    const sandbox = await sandboxes.start(instantlySandbox({ days: 60 }));
    const days = recordsOf(await readAll('campaign_analytics_daily')).map((d) => d.date);
    expect(days).toHaveLength(60);
    expect(new Set(days).size).toBe(60);
    expect(days.at(-1)).toBe('2025-02-28');

    const since = await readAll('campaign_analytics_daily', { state: '2025-02-20' });
    expect(sandbox.requests.at(-1)!.query.start_date).toBe('2025-02-17');
    expect(recordsOf(since).map((d) => d.date)).toEqual(['2025-02-17', '2025-02-18', '2025-02-19', '2025-02-20', '2025-02-21', '2025-02-22', '2025-02-23', '2025-02-24', '2025-02-25', '2025-02-26', '2025-02-27', '2025-02-28']);
    expect(since.at(-1)!.cursor).toBe('2025-02-28');
  });

  it('maps each day of the daily analytics to one metrics_daily row, its rates from unique counts', async () => {
    await sandboxes.start(instantlySandbox({ days: 10 }));
    const days = recordsOf(await readAll('campaign_analytics_daily'));
    const rows = metricRowsOf(instantly.metrics[0]!, days, { connectionId: 'c', provider: 'instantly' });
    expect(rows).toHaveLength(10);
    const [first] = rows;
    expect(first).toMatchObject({ date: days[0]!.date, dimension_key: '', metrics: { sent: days[0]!.sent, opens: days[0]!.unique_opened, replies: days[0]!.unique_replies } });
    expect(first!.metrics.openRate).toBe((days[0]!.unique_opened as number) / (days[0]!.sent as number));
  });

  it('waits out a 429 with Retry-After, then reads every campaign', async () => {
    const sandbox = await sandboxes.start(instantlySandbox({ campaigns: 250 }), { faults: [{ kind: 'status', status: 429, retryAfterSeconds: 3, times: 1, afterRequests: 1 }] });
    const { clock, waits } = manualClock();
    const campaigns = recordsOf(await readAll('campaigns', { clock }));
    expect(new Set(campaigns.map((c) => c.id)).size).toBe(250);
    expect(waits).toEqual([3_000]);
    expect(sandbox.requests.map((r) => r.fault)).toEqual([undefined, 'status', undefined, undefined]);
  });

  it('fails with auth_failed, not a retry, when the key is refused, and logs the key masked', async () => {
    const sandbox = await sandboxes.start(instantlySandbox());
    const error = await readAll('campaigns', { token: 'not-the-key' }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('auth_failed');
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.requests[0]!.headers.authorization).toBe('Bearer ***');
  });

  it('stops with invalid_response instead of looping when the vendor repeats a cursor', async () => {
    await sandboxes.start(instantlySandbox({ campaigns: 500 }), { faults: [{ kind: 'repeat_cursor', afterRequests: 2, times: 1 }] });
    const error = await readAll('campaigns').catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('invalid_response');
  });
});
