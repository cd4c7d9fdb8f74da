import { daysReadOf } from '../../runtime/account-choice.js';
import { TributaryError } from '../../../domain/errors.js';
import type { ConnectionContext, StreamReadContext } from '../../runtime/hooks.js';
import type { RecordBatch } from '../../runtime/read-stream.js';
import { restliPath } from './restli.js';
import { dayMs, dayStart, isoDay, retentionStart } from './statistics-window.js';

/**
 * One record per organization and UTC day: the organic share statistics of the day
 * (`GET /rest/organizationalEntityShareStatistics` with a DAY time range) and the posts the
 * organization published that day, counted by `publishedAt` from the Posts API
 * (`GET /rest/posts?q=author`, newest first by creation, paged until a page reaches back before
 * the range). A post scheduled before the range and published in it would sit on a page the read
 * stops before; LinkedIn's finder has no filter by publication time.
 * A first read takes everything LinkedIn keeps (a rolling 12 months, starting a day inside it so
 * the range is still inside when LinkedIn checks it); later reads start three days before the last
 * day read of each organization, since a day's counts settle over a few days. Today is left out
 * until it is over. Docs: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics,
 * https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api.
 */
export const shareStatisticsStream = 'share_statistics_daily';

/** The API version every request names; LinkedIn retires each a year after it came out, so this moves on yearly. */
export const linkedinVersion = '202611';
export const linkedinHeaders = { 'LinkedIn-Version': linkedinVersion, 'X-Restli-Protocol-Version': '2.0.0' };

const settleDays = 3;
const postsPageSize = 100;

interface StatisticsElement {
  timeRange?: { start?: unknown };
  totalShareStatistics?: Record<string, unknown>;
}

interface Post {
  lifecycleState?: string;
  createdAt?: unknown;
  publishedAt?: unknown;
}

/** The organizations chosen (`organizationIds`, numeric ids, comma-separated). */
export function organizationIds(config: Record<string, unknown>): string[] {
  const ids = String(config.organizationIds ?? '')
    .split(',')
    .map((id) => id.trim().replace(/^urn:li:organization:/, ''))
    .filter(Boolean);
  if (ids.length === 0) throw new TributaryError('accounts_required', 'Choose the LinkedIn Pages this connection reads: GET /connections/:id/accounts lists them, PUT stores the choice.');
  const bad = ids.find((id) => !/^\d+$/.test(id));
  if (bad) throw new TributaryError('validation_failed', `config.organizationIds: "${bad}" is not a LinkedIn organization id (digits, as in urn:li:organization:2414183).`);
  return ids;
}

export async function* readShareStatistics(stream: string, context: ConnectionContext & StreamReadContext): AsyncGenerator<RecordBatch> {
  if (stream !== shareStatisticsStream) throw new TributaryError('not_found', `LinkedIn has no stream named "${stream}".`);
  const read = daysReadOf(context.state);
  const now = context.clock.now();
  const end = dayStart(now);
  const firstDay = retentionStart(now) + dayMs;
  let page = 0;
  for (const organizationId of organizationIds(context.config)) {
    if (context.maxPages !== undefined && page >= context.maxPages) return;
    const last = read[organizationId];
    const from = Math.max(firstDay, last === undefined ? firstDay : Date.parse(`${last}T00:00:00Z`) - settleDays * dayMs);
    if (!(from < end)) continue;
    const urn = `urn:li:organization:${organizationId}`;
    const response = await context.send({
      path: restliPath('/rest/organizationalEntityShareStatistics', {
        q: 'organizationalEntity',
        organizationalEntity: urn,
        timeIntervals: { timeRange: { start: from, end }, timeGranularityType: 'DAY' },
      }),
      headers: linkedinHeaders,
    });
    const elements = (response.body as { elements?: unknown } | null)?.elements;
    if (!Array.isArray(elements)) throw new TributaryError('invalid_response', 'LinkedIn: a share statistics answer did not have the documented shape (elements).');
    const posts = await postsPublished(context, urn, from, end);
    const records = (elements as StatisticsElement[]).flatMap((element) => {
      if (typeof element.timeRange?.start !== 'number') return [];
      const date = isoDay(element.timeRange.start);
      if (date > (read[organizationId] ?? '')) read[organizationId] = date;
      return [{ organization_id: organizationId, date, posts_published: posts.days.get(date) ?? 0, ...element.totalShareStatistics }];
    });
    page += 1;
    yield { records, page, bytes: response.bytes + posts.bytes, cursor: JSON.stringify(read) };
  }
}

/** Posts published per day (`YYYY-MM-DD`) in [from, end), and the bytes read for them. */
async function postsPublished(context: ConnectionContext, author: string, from: number, end: number): Promise<{ days: Map<string, number>; bytes: number }> {
  const days = new Map<string, number>();
  let bytes = 0;
  for (let start = 0; ; start += postsPageSize) {
    const response = await context.send({ path: restliPath('/rest/posts', { q: 'author', author, sortBy: 'CREATED', start, count: postsPageSize }), headers: linkedinHeaders });
    bytes += response.bytes;
    const posts = (response.body as { elements?: unknown } | null)?.elements;
    if (!Array.isArray(posts)) throw new TributaryError('invalid_response', 'LinkedIn: a page of posts did not have the documented shape (elements).');
    for (const post of posts as Post[]) {
      if (post.lifecycleState !== 'PUBLISHED' || typeof post.publishedAt !== 'number' || post.publishedAt < from || post.publishedAt >= end) continue;
      const day = isoDay(post.publishedAt);
      days.set(day, (days.get(day) ?? 0) + 1);
    }
    const oldest = (posts.at(-1) as Post | undefined)?.createdAt;
    if (posts.length < postsPageSize || (typeof oldest === 'number' && oldest < from)) return { days, bytes };
  }
}

