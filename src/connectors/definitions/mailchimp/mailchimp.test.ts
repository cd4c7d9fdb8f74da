import { describe, expect, it } from 'vitest';
import { readAll as readConnector, sandboxPerTest, type ReadAllOptions } from '../../../../test/support/connector-reads.js';
import { manualClock } from '../../../../test/support/manual-clock.js';
import { isTributaryError } from '../../../domain/errors.js';
import type { RecordBatch } from '../../runtime/read-stream.js';
import mailchimp from './mailchimp.connector.js';
import { mailchimpSandbox, mailchimpSandboxApiKey, mailchimpSandboxToken, type MailchimpSandboxOptions } from './sandbox.js';

const sandboxes = sandboxPerTest();
const [oauth, apiKey] = mailchimp.auth as [ReadAllOptions['auth'], ReadAllOptions['auth']];

const withKey = (stream: string, { key = mailchimpSandboxApiKey, ...options }: Pick<ReadAllOptions, 'clock' | 'state'> & { key?: string } = {}) =>
  readConnector(mailchimp, stream, { ...options, auth: apiKey, secrets: { apiKey: key }, baseUrl: sandboxes.server.url });
const withToken = (stream: string, token = mailchimpSandboxToken) => readConnector(mailchimp, stream, { auth: oauth, secrets: { accessToken: token }, baseUrl: sandboxes.server.url });

const recordsOf = (batches: RecordBatch[]) => batches.flatMap((b) => b.records as Array<Record<string, unknown>>);
const start = (options?: MailchimpSandboxOptions, faults?: Parameters<typeof sandboxes.start>[1]) => sandboxes.start(mailchimpSandbox(options), faults);

describe('Mailchimp', () => {
  it("reads every campaign, 1,000 a page, from the API key's data center", async () => {
    const sandbox = await start({ campaigns: 2_500 });
    const batches = await withKey('campaigns');
    const campaigns = recordsOf(batches);
    expect(batches.map((b) => b.records.length)).toEqual([1_000, 1_000, 500]);
    expect(new Set(campaigns.map((c) => c.id)).size).toBe(2_500);
    expect(new Set(campaigns.map((c) => c.status))).toEqual(new Set(['sent', 'save', 'schedule']));
    expect(sandbox.requests.map((r) => [r.path, r.query.offset, r.query.count, r.query.sort_field])).toEqual([
      ['/us21/3.0/campaigns', '0', '1000', 'create_time'],
      ['/us21/3.0/campaigns', '1000', '1000', 'create_time'],
      ['/us21/3.0/campaigns', '2000', '1000', 'create_time'],
    ]);
  });

  it('reads the report of every sent campaign, with counts that hold together', async () => {
    await start();
    const sent = recordsOf(await withKey('campaigns')).filter((c) => c.status === 'sent');
    const reports = recordsOf(await withKey('reports')) as Array<{ id: string; emails_sent: number; bounces: Record<string, number>; opens: Record<string, number>; clicks: Record<string, number> }>;
    expect(reports.map((r) => r.id).sort()).toEqual(sent.map((c) => c.id).sort());
    for (const { emails_sent, bounces, opens, clicks } of reports) {
      const delivered = emails_sent - bounces.hard_bounces! - bounces.soft_bounces! - bounces.syntax_errors!;
      expect(opens.unique_opens).toBeLessThanOrEqual(delivered);
      expect(opens.opens_total).toBeGreaterThanOrEqual(opens.unique_opens!);
      expect(clicks.unique_subscriber_clicks).toBeLessThanOrEqual(opens.unique_opens!);
      expect(clicks.clicks_total).toBeGreaterThanOrEqual(clicks.unique_clicks!);
    }
  });

  it('reads again only the reports of campaigns sent in the 30 days before the saved one', async () => {
    const sandbox = await start();
    const all = recordsOf(await withKey('reports'));
    const saved = all.at(-10)!.send_time as string;
    const since = new Date(Date.parse(saved) - 30 * 86_400_000).toISOString().slice(0, 19) + 'Z';
    const again = recordsOf(await withKey('reports', { state: saved }));
    expect(sandbox.requests.at(-1)!.query.since_send_time).toBe(since);
    expect(again.map((r) => r.id)).toEqual(all.filter((r) => Date.parse(r.send_time as string) > Date.parse(since)).map((r) => r.id));
    expect(again.length).toBeLessThan(all.length);
  });

  it("asks the login server for an OAuth token's data center, then reads there", async () => {
    const sandbox = await start();
    expect(recordsOf(await withToken('campaigns'))).toHaveLength(120);
    expect(sandbox.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/oauth2/metadata', 'Bearer ***'],
      ['/us21/3.0/campaigns', 'Bearer ***'],
    ]);
  });

  it('fails with auth_failed when the login server does not know the token', async () => {
    const sandbox = await start();
    const error = await withToken('campaigns', 'revoked-token').catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('auth_failed');
    expect(sandbox.requests.map((r) => r.path)).toEqual(['/oauth2/metadata']);
  });

  it('fails with auth_failed, not a retry, when the key is refused, and logs it masked', async () => {
    const sandbox = await start();
    const error = await withKey('campaigns', { key: mailchimpSandboxApiKey.replace(/-us21$/, '-us6') }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('auth_failed');
    expect(sandbox.requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/us6/3.0/campaigns', 'Bearer ***']]);
  });

  it('refuses a key without its data center before any request', async () => {
    const sandbox = await start();
    const error = await withKey('campaigns', { key: '5f0c7a1e9b2d4c6a8e0f1a3b5c7d9e1f' }).catch((e: unknown) => e);
    expect(isTributaryError(error) && [error.code, error.message]).toEqual(['auth_failed', expect.stringContaining('…-us21')]);
    expect(sandbox.requests).toEqual([]);
  });

  it('waits out a 429 with Retry-After, then reads every campaign', async () => {
    const sandbox = await start({ campaigns: 1_500 }, { faults: [{ kind: 'status', status: 429, retryAfterSeconds: 2, times: 1, afterRequests: 1 }] });
    const { clock, waits } = manualClock();
    expect(new Set(recordsOf(await withKey('campaigns', { clock })).map((c) => c.id)).size).toBe(1_500);
    expect(waits).toEqual([2_000]);
    expect(sandbox.requests.map((r) => r.fault)).toEqual([undefined, 'status', undefined]);
  });
});

describe('the Mailchimp sandbox', () => {
  const get = (path: string, authorization?: string) => fetch(`${sandboxes.server.url}${path}`, { headers: authorization ? { authorization } : {} });

  it("refuses a key of one data center at another as Mailchimp does, with Mailchimp's problem body", async () => {
    await start();
    const response = await get('/us6/3.0/campaigns', `Bearer ${mailchimpSandboxApiKey}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      type: 'https://mailchimp.com/developer/marketing/docs/errors/',
      title: 'API Key Invalid',
      status: 401,
      detail: "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
      instance: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    });
  });

  it('takes the key as the password of HTTP Basic with any user name, and says when none was sent', async () => {
    await start();
    const basic = await get('/us21/3.0/reports?count=1', `Basic ${Buffer.from(`anystring:${mailchimpSandboxApiKey}`).toString('base64')}`);
    expect([basic.status, ((await basic.json()) as { reports: unknown[] }).reports]).toEqual([200, [expect.objectContaining({ emails_sent: expect.any(Number) })]]);
    const missing = await get('/us21/3.0/reports');
    expect([missing.status, ((await missing.json()) as { title: string }).title]).toEqual([401, 'API Key Missing']);
  });

  it('answers an invalid time filter with 400 Invalid Resource', async () => {
    await start();
    const response = await get('/us21/3.0/reports?since_send_time=yesterday', `Bearer ${mailchimpSandboxApiKey}`);
    expect([response.status, ((await response.json()) as { title: string }).title]).toEqual([400, 'Invalid Resource']);
  });
});
