import { Buffer } from 'node:buffer';
import type { LazyRecords, RouteContext } from '../../sandboxes/index.js';
import { invalidParameter } from './graph-error.js';

/**
 * Graph's cursor paging (https://developers.facebook.com/docs/graph-api/results): `before` points
 * at a page's first record and `after` at its last; `next` and `previous` are absolute URLs that
 * carry them, `next` left out on the last page and `previous` on the first. Written here rather
 * than with the kit's `pagedCollection`, whose cursors name where the next page starts: Graph
 * also sends `after` on the last page and pages backwards with `before`.
 */
export interface GraphPage<T> {
  data: T[];
  paging?: { cursors: { before: string; after: string }; previous?: string; next?: string };
}

const defaultPageSize = 25;
// Larger limits are cut to this, as the kit's collections do.
const maxPageSize = 500;

export function graphPage<T>(records: LazyRecords<T>, ctx: Pick<RouteContext, 'query' | 'url' | 'repeatCursor'>): GraphPage<T> {
  const [start, end] = pageBounds(records.count, pageSize(ctx.query.limit), ctx.query);
  if (start >= end) return { data: [] };

  const data: T[] = [];
  for (let i = start; i < end; i++) data.push(records.recordAt(i));
  const paging: NonNullable<GraphPage<T>['paging']> = { cursors: { before: cursorOf(start), after: cursorOf(end - 1) } };
  if (start > 0) paging.previous = linkWith(ctx.url, 'before', cursorOf(start));
  // A `repeat_cursor` fault: the next link is the link this page was asked with.
  if (ctx.repeatCursor) paging.next = ctx.url.href;
  else if (end < records.count) paging.next = linkWith(ctx.url, 'after', cursorOf(end - 1));
  return { data, paging };
}

/** The positions a page covers, `end` excluded: after the `after` record, or up to the `before` record. */
function pageBounds(count: number, size: number, { after, before }: Record<string, string>): [number, number] {
  if (after !== undefined) {
    const start = positionOf('after', after) + 1;
    return [start, Math.min(count, start + size)];
  }
  if (before !== undefined) {
    const end = Math.min(count, positionOf('before', before));
    return [Math.max(0, end - size), end];
  }
  return [0, Math.min(count, size)];
}

/** The request's URL, every other parameter kept, `access_token` included as Graph keeps it. */
function linkWith(url: URL, name: 'after' | 'before', cursor: string): string {
  const link = new URL(url);
  link.searchParams.delete('after');
  link.searchParams.delete('before');
  link.searchParams.set(name, cursor);
  return link.href;
}

function pageSize(limit: string | undefined): number {
  if (limit === undefined) return defaultPageSize;
  if (!/^\d+$/.test(limit) || Number(limit) < 1) throw invalidParameter('param limit must be a positive integer');
  return Math.min(Number(limit), maxPageSize);
}

// Base64 like Graph's own cursors, which encode the id of the record they point at.
function cursorOf(position: number): string {
  return Buffer.from(`row:${position}`).toString('base64');
}

function positionOf(param: string, cursor: string): number {
  const match = /^row:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw invalidParameter(`param ${param} is not a cursor this edge issued`);
  return Number(match[1]);
}
