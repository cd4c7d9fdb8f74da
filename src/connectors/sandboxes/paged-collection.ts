import { Buffer } from 'node:buffer';
import { SandboxError } from './sandbox-error.js';
import type { LazyRecords } from './seeded-random.js';

/**
 * Serves a lazily generated collection in one of the pagination styles vendors use, mirroring
 * the runtime's paginators (`runtime/paginators/`). The route keeps the vendor's body shape; this
 * helper works out which records a request asks for and how the vendor points at the next page.
 */
export type PageStyle =
  /** An opaque cursor in the body, sent back as a query parameter (HubSpot `after`, Stripe-like). */
  | { style: 'cursor'; cursorParam?: string; sizeParam?: string }
  /** The next page's full URL in the body (`links.next`). */
  | { style: 'next_url'; cursorParam?: string; sizeParam?: string }
  /** The next page's URL in an RFC 8288 `Link: <…>; rel="next"` header (GitHub, Shopify). */
  | { style: 'link_header'; cursorParam?: string; sizeParam?: string }
  /** The client moves `offset` on by itself; a short page is the last. */
  | { style: 'offset'; offsetParam?: string; limitParam?: string }
  /** The client asks for page 1, 2, …; the body may say how many pages there are. */
  | { style: 'page_number'; pageParam?: string; sizeParam?: string; startAt?: 0 | 1 };

export type PagedCollectionOptions = PageStyle & {
  /** Page size when the request names none. */
  defaultSize: number;
  /** Larger requested sizes are cut to this, as vendors do. */
  maxSize: number;
};

/** What a page request carries; a route's context has these fields, so `collection.page(ctx)` works. */
export interface PageRequest {
  /** The request's absolute URL: next-page links are built from it and keep its other parameters. */
  url: URL;
  query: Record<string, string>;
  /** When true, the page points back at itself instead of the next page (the `repeat_cursor` fault). */
  repeatCursor?: boolean;
}

export interface Page<T> {
  records: T[];
  /** Index of the page's first record in the collection. */
  offset: number;
  total: number;
  totalPages: number;
  /** Whether records follow this page. */
  hasMore: boolean;
  /** `cursor` style: the cursor to send for the next page, absent on the last page. */
  nextCursor?: string;
  /** `next_url` and `link_header` styles: the next page's absolute URL, absent on the last page. */
  nextUrl?: string;
  /** Headers the route should send: the `Link` header in `link_header` style. */
  headers: Record<string, string>;
}

export interface PagedCollection<T> {
  page(request: PageRequest): Page<T>;
}

export function pagedCollection<T>(records: LazyRecords<T>, options: PagedCollectionOptions): PagedCollection<T> {
  return {
    page(request) {
      const { offset, size } = position(options, request.query);
      const end = Math.min(offset + size, records.count);
      const page: Page<T> = {
        records: [],
        offset,
        total: records.count,
        totalPages: Math.ceil(records.count / size),
        hasMore: end < records.count,
        headers: {},
      };
      for (let i = offset; i < end; i++) page.records.push(records.recordAt(i));
      if (options.style !== 'cursor' && options.style !== 'next_url' && options.style !== 'link_header') return page;

      // A repeated cursor is the one this page was asked with: the client is sent back to where it was.
      const nextAt = request.repeatCursor ? offset : page.hasMore ? end : undefined;
      if (nextAt === undefined) return page;
      const cursor = encodeCursor(nextAt);
      if (options.style === 'cursor') {
        page.nextCursor = cursor;
        return page;
      }
      const next = new URL(request.url);
      next.searchParams.set(options.cursorParam ?? 'cursor', cursor);
      page.nextUrl = next.href;
      if (options.style === 'link_header') page.headers.link = `<${next.href}>; rel="next"`;
      return page;
    },
  };
}

/** Where the requested page starts and how many records it holds. */
function position(options: PagedCollectionOptions, query: Record<string, string>): { offset: number; size: number } {
  switch (options.style) {
    case 'cursor':
    case 'next_url':
    case 'link_header': {
      const param = options.cursorParam ?? 'cursor';
      const cursor = query[param];
      return { offset: cursor === undefined ? 0 : decodeCursor(param, cursor), size: pageSize(options, options.sizeParam ?? 'limit', query) };
    }
    case 'offset': {
      const param = options.offsetParam ?? 'offset';
      return { offset: wholeNumber(param, query[param], 0), size: pageSize(options, options.limitParam ?? 'limit', query) };
    }
    case 'page_number': {
      const param = options.pageParam ?? 'page';
      const startAt = options.startAt ?? 1;
      const page = wholeNumber(param, query[param], startAt);
      if (page < startAt) throw new SandboxError(400, `"${param}" starts at ${startAt}.`);
      const size = pageSize(options, options.sizeParam ?? 'per_page', query);
      return { offset: (page - startAt) * size, size };
    }
  }
}

function pageSize(options: PagedCollectionOptions, param: string, query: Record<string, string>): number {
  const size = wholeNumber(param, query[param], options.defaultSize);
  if (size < 1) throw new SandboxError(400, `"${param}" must be at least 1.`);
  return Math.min(size, options.maxSize);
}

function wholeNumber(param: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new SandboxError(400, `"${param}" must be a whole number.`);
  return Number(value);
}

// Opaque like a vendor's, so a connector cannot come to depend on reading it.
function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeCursor(param: string, cursor: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new SandboxError(400, `"${param}" is not a cursor this API issued.`);
  return Number(match[1]);
}
