import { describe, expect, it } from 'vitest';
import { readAll as readConnector, sandboxPerTest, type ReadAllOptions } from '../../../../test/support/connector-reads.js';
import { manualClock } from '../../../../test/support/manual-clock.js';
import { isTributaryError } from '../../../domain/errors.js';
import { connectionContext, type RecordBatch } from '../../runtime/read-stream.js';
import { createRequester } from '../../runtime/requester.js';
import linkedin from './linkedin.connector.js';
import { postsOn, seedOrganizations, shareStatisticsOn } from './page-activity.js';
import { linkedinSandbox, linkedinSandboxToken, type LinkedInSandboxOptions } from './sandbox.js';
import { linkedinHeaders, shareStatisticsStream } from './share-statistics.js';
import { dayMs, dayStart, isoDay } from './statistics-window.js';

const sandboxes = sandboxPerTest();
const [first, second, , analysed] = seedOrganizations(3);
const start = (options?: LinkedInSandboxOptions, faults?: Parameters<typeof sandboxes.start>[1]) => sandboxes.start(linkedinSandbox(options), faults);

const read = (organizationIds: string, { token = linkedinSandboxToken, ...options }: Pick<ReadAllOptions, 'clock' | 'state'> & { token?: string } = {}) =>
  readConnector(linkedin, shareStatisticsStream, { ...options, secrets: { accessToken: token }, baseUrl: sandboxes.server.url, config: { organizationIds } });
const recordsOf = (batches: RecordBatch[]) => batches.flatMap((b) => b.records as Array<Record<string, unknown>>);

/** The days a first read covers: from the day after today's date a year ago, to yesterday. */
function yearOfDays(): string[] {
  const today = new Date(dayStart(Date.now()));
  const days: string[] = [];
  for (let at = Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), today.getUTCDate() + 1); at < today.getTime(); at += dayMs) days.push(isoDay(at));
  return days;
}

describe('LinkedIn (organic)', () => {
  it('reads every day LinkedIn keeps for each chosen Page, with the posts published on it', async () => {
    await start();
    const batches = await read(`${first!.id},${second!.id}`);
    expect(batches).toHaveLength(2);
    const records = recordsOf(batches);
    for (const organization of [first!, second!]) {
      const own = records.filter((r) => r.organization_id === organization.id);
      expect(own.map((r) => r.date)).toEqual(yearOfDays());
      const sample = own[200]!;
      const day = Date.parse(`${sample.date as string}T00:00:00Z`) / dayMs;
      expect(sample).toMatchObject({ posts_published: postsOn(organization, day), ...shareStatisticsOn(organization, day) });
    }
    expect(records.reduce((sum, r) => sum + (r.posts_published as number), 0)).toBeGreaterThan(300);
    expect(JSON.parse(batches.at(-1)!.cursor!)).toEqual({ [first!.id]: yearOfDays().at(-1), [second!.id]: yearOfDays().at(-1) });
  });

  it('asks in Rest.li 2.0 with the version headers, and pages through the posts to the start of the range', async () => {
    const sandbox = await start();
    await read(first!.id);
    const [statistics, ...posts] = sandbox.requests;
    const from = Date.parse(`${yearOfDays()[0]!}T00:00:00Z`);
    expect(statistics).toMatchObject({
      path: '/rest/organizationalEntityShareStatistics',
      query: { q: 'organizationalEntity', organizationalEntity: first!.urn, timeIntervals: `(timeRange:(start:${from},end:${dayStart(Date.now())}),timeGranularityType:DAY)` },
      headers: { 'linkedin-version': expect.stringMatching(/^\d{6}$/), 'x-restli-protocol-version': '2.0.0' },
    });
    expect(posts.map((r) => [r.path, r.query.start, r.query.count])).toEqual(posts.map((_, i) => ['/rest/posts', String(i * 100), '100']));
    expect(posts.length).toBeGreaterThanOrEqual(3);
  });

  it('reads again from three days before the last day read of each Page', async () => {
    const sandbox = await start();
    const yesterday = yearOfDays().at(-1)!;
    const again = recordsOf(await read(first!.id, { state: JSON.stringify({ [first!.id]: yesterday }) }));
    expect(again.map((r) => r.date)).toEqual(yearOfDays().slice(-4));
    expect(sandbox.requests.filter((r) => r.path === '/rest/posts')).toHaveLength(1);
  });

  it('never asks for days before the rolling 12 months, whatever the saved cursor says', async () => {
    await start();
    const records = recordsOf(await read(first!.id, { state: JSON.stringify({ [first!.id]: '2020-01-01' }) }));
    expect(records[0]!.date).toBe(yearOfDays()[0]);
  });

  it('lists the Pages the member administers, with their names, and no other', async () => {
    await start();
    const context = connectionContext(linkedin, { requester: createRequester({ vendor: 'LinkedIn' }), auth: linkedin.auth[0]!, secrets: { accessToken: linkedinSandboxToken }, baseUrl: sandboxes.server.url });
    const accounts = await linkedin.hooks!.accounts!.list(context);
    expect(accounts).toEqual(seedOrganizations(3).slice(0, 3).map((o) => ({ id: o.id, name: o.localizedName })));
  });

  it('fails with vendor_forbidden for a Page the member only analyses', async () => {
    await start();
    const error = await read(analysed!.id).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('vendor_forbidden');
  });

  it('fails with auth_failed, not a retry, when the token is refused, and logs it masked', async () => {
    const sandbox = await start();
    const error = await read(first!.id, { token: 'AQVexpired' }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('auth_failed');
    expect(sandbox.requests.map((r) => r.headers.authorization)).toEqual(['Bearer ***']);
  });

  it('asks for the Pages to read before reading any', async () => {
    const sandbox = await start();
    const error = await read('').catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('accounts_required');
    expect(sandbox.requests).toEqual([]);
  });

  it('waits out a 429 with Retry-After, then reads every day', async () => {
    // One clock for both sides: LinkedIn's window moves with today.
    const { clock, waits } = manualClock(Date.now());
    const sandbox = await start({ now: clock.now }, { faults: [{ kind: 'status', status: 429, retryAfterSeconds: 5, times: 1, afterRequests: 1 }] });
    expect(recordsOf(await read(first!.id, { clock })).map((r) => r.date)).toEqual(yearOfDays());
    expect(waits).toEqual([5_000]);
    expect(sandbox.requests[1]!.fault).toBe('status');
  });
});

describe('the LinkedIn sandbox', () => {
  const get = (path: string, headers: Record<string, string> = linkedinHeaders) =>
    fetch(`${sandboxes.server.url}${path}`, { headers: { authorization: `Bearer ${linkedinSandboxToken}`, ...headers } });
  const statistics = `/rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=${encodeURIComponent(first!.urn)}`;
  const range = `(timeRange:(start:${dayStart(Date.now()) - 7 * dayMs},end:${dayStart(Date.now())}),timeGranularityType:DAY)`;

  it('answers Rest.li 2.0 and refuses a structure encoded as text, as URLSearchParams would send it', async () => {
    await start();
    const good = await get(`${statistics}&timeIntervals=${range}`);
    expect([good.status, ((await good.json()) as { elements: unknown[] }).elements]).toEqual([200, expect.any(Array)]);
    const encoded = await get(`${statistics}&${new URLSearchParams({ timeIntervals: range })}`);
    expect([encoded.status, await encoded.json()]).toEqual([400, { status: 400, code: 'PARAM_INVALID', message: expect.stringContaining('timeIntervals must be') }]);
  });

  it('refuses an unencoded URN', async () => {
    await start();
    const response = await get(`/rest/posts?q=author&author=${first!.urn}`);
    expect([response.status, ((await response.json()) as { code: string }).code]).toEqual([400, 'PARAM_INVALID']);
  });

  it('refuses a time range older than the rolling 12 months', async () => {
    await start();
    const response = await get(`${statistics}&timeIntervals=(timeRange:(start:${dayStart(Date.now()) - 400 * dayMs},end:${dayStart(Date.now())}),timeGranularityType:DAY)`);
    expect([response.status, ((await response.json()) as { message: string }).message]).toEqual([400, expect.stringContaining('rolling 12 months')]);
  });

  it('asks for a version header, and refuses one that is not active', async () => {
    await start();
    const missing = await get('/rest/organizationAcls?q=roleAssignee', { 'X-Restli-Protocol-Version': '2.0.0' });
    expect([missing.status, ((await missing.json()) as { code: string }).code]).toEqual([400, 'VERSION_MISSING']);
    const retired = await get('/rest/organizationAcls?q=roleAssignee', { 'LinkedIn-Version': '202301', 'X-Restli-Protocol-Version': '2.0.0' });
    expect([retired.status, await retired.json()]).toEqual([426, { status: 426, code: 'NONEXISTENT_VERSION', message: 'Requested version 202301 is not active' }]);
  });
});
