import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../http.js';
import { createPaginator, firstPageQuery, paginatorConfigSchema } from './index.js';
import type { PaginatorConfig, PaginatorStyle } from './index.js';

/** One page the fake vendor answers: how many records it held, its body and its Link header. */
interface FakePage {
  records: number;
  body?: unknown;
  link?: string;
}

interface StyleCase {
  config: PaginatorConfig;
  /** A whole read; the last page must end it. */
  pages: FakePage[];
  /** Every request the read sends, the first included. */
  requests: Array<{ url: string; query: Record<string, string>; body?: Record<string, unknown> }>;
  /** Pages handing back cursors A, B, A; null for a style that carries no vendor cursor. */
  cycle: [a: FakePage, b: FakePage, aAgain: FakePage] | null;
}

const url = 'https://api.example.com/v1/items';
const base: HttpRequest = { method: 'GET', url, query: { q: 'x' }, headers: { authorization: 'Bearer t' } };
const secret = 'A-s3cret';
const abA = (page: (cursor: string) => FakePage): StyleCase['cycle'] => [page(secret), page('B'), page(secret)];

// Typed by style, so a style added to the union does not compile until it has a case here.
const cases: { [S in PaginatorStyle]: StyleCase & { config: { style: S } } } = {
  cursor: {
    config: { style: 'cursor', next: 'paging.next', sendAs: 'after' },
    pages: [{ records: 2, body: { paging: { next: 'A' } } }, { records: 2, body: { paging: { next: 'B' } } }, { records: 1, body: { paging: {} } }],
    requests: [{ url, query: { q: 'x' } }, { url, query: { q: 'x', after: 'A' } }, { url, query: { q: 'x', after: 'B' } }],
    cycle: abA((next) => ({ records: 2, body: { paging: { next } } })),
  },
  next_url: {
    config: { style: 'next_url', next: 'next' },
    pages: [{ records: 2, body: { next: '/v1/items?page=2' } }, { records: 2, body: { next: `${url}?page=3` } }, { records: 1, body: { next: null } }],
    requests: [{ url, query: { q: 'x' } }, { url, query: { page: '2' } }, { url, query: { page: '3' } }],
    cycle: abA((cursor) => ({ records: 2, body: { next: `/v1/items?c=${cursor}` } })),
  },
  offset: {
    config: { style: 'offset', offsetParam: 'skip', limitParam: 'take', limit: 2 },
    pages: [{ records: 2 }, { records: 2 }, { records: 1 }],
    requests: [
      { url, query: { q: 'x', skip: '0', take: '2' } },
      { url, query: { q: 'x', skip: '2', take: '2' } },
      { url, query: { q: 'x', skip: '4', take: '2' } },
    ],
    cycle: null,
  },
  page_number: {
    config: { style: 'page_number', pageParam: 'page', sizeParam: 'size', size: 2 },
    pages: [{ records: 2 }, { records: 2 }, { records: 1 }],
    requests: [
      { url, query: { q: 'x', page: '1', size: '2' } },
      { url, query: { q: 'x', page: '2', size: '2' } },
      { url, query: { q: 'x', page: '3', size: '2' } },
    ],
    cycle: null,
  },
  link_header: {
    config: { style: 'link_header' },
    pages: [{ records: 2, link: '</v1/items?page=2>; rel="next"' }, { records: 2, link: `<${url}?page=3>; rel="next", <${url}?page=1>; rel="first"` }, { records: 1 }],
    requests: [{ url, query: { q: 'x' } }, { url, query: { page: '2' } }, { url, query: { page: '3' } }],
    cycle: abA((cursor) => ({ records: 2, link: `</v1/items?c=${cursor}>; rel="next"` })),
  },
  none: {
    config: { style: 'none' },
    pages: [{ records: 2 }],
    requests: [{ url, query: { q: 'x' } }],
    cycle: null,
  },
};

/** Drives a read over in-memory pages; stops at the stream's end, the pages' end or an error. */
function read(config: PaginatorConfig, pages: FakePage[]): { sent: HttpRequest[]; ended: boolean; error?: unknown } {
  const paginator = createPaginator(paginatorConfigSchema.parse(JSON.parse(JSON.stringify(config))));
  let request: HttpRequest = { ...base, query: { ...base.query, ...firstPageQuery(config) } };
  const sent = [request];
  for (const page of pages) {
    const response: HttpResponse = { status: 200, headers: new Headers(page.link ? { link: page.link } : {}), body: page.body ?? {}, bytes: 0 };
    let next: HttpRequest | undefined;
    try {
      next = paginator.next(request, response, page.records);
    } catch (error) {
      return { sent, ended: false, error };
    }
    if (!next) return { sent, ended: true };
    sent.push(next);
    request = next;
  }
  return { sent, ended: false };
}

const styles = paginatorConfigSchema.options.map((option) => option.shape.style.value);

describe('every paginator style', () => {
  it('has a case in this test', () => {
    expect(Object.keys(cases).sort()).toEqual([...styles].sort());
  });

  describe.each(styles)('%s', (style) => {
    const { config, pages, requests } = cases[style];

    it('sends exactly the expected requests, keeps the headers, and ends after the last page', () => {
      const { sent, ended, error } = read(config, pages);
      expect(error).toBeUndefined();
      expect(sent.map(({ url, query, body }) => (body === undefined ? { url, query } : { url, query, body }))).toEqual(requests);
      expect(sent.every((request) => request.method === 'GET' && request.headers.authorization === 'Bearer t')).toBe(true);
      expect(ended).toBe(true);
    });
  });

  // Each style that sends a cursor or URL the vendor chose.
  describe.each(styles.filter((style) => cases[style].cycle !== null))('%s, when the vendor repeats a cursor', (style) => {
    const { config, cycle } = cases[style];

    it.each(cycle ? [['A → A', [cycle[0], cycle[0]]], ['A → B → A', cycle]] : [])('stops with invalid_response on %s, without quoting the cursor', (_, repeating) => {
      const { sent, error } = read(config, repeating);
      expect(sent).toHaveLength(repeating.length);
      expect(error).toMatchObject({ code: 'invalid_response', details: { style } });
      expect((error as Error).message).toMatch(new RegExp(`^${style} pagination: the vendor repeated a cursor`));
      expect((error as Error).message).not.toContain('s3cret');
    });
  });
});

describe('paginator config schema', () => {
  it.each<[string, unknown, PropertyKey[]]>([
    ['a limit below 1', { style: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 0 }, ['limit']],
    ['a fractional limit', { style: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 2.5 }, ['limit']],
    ['a missing offset parameter', { style: 'offset', limitParam: 'limit', limit: 10 }, ['offsetParam']],
    ['a bad cursor path', { style: 'cursor', next: 'paging..next', sendAs: 'after' }, ['next']],
    ['an empty sendAs', { style: 'cursor', next: 'next', sendAs: '' }, ['sendAs']],
    ['an unknown place for the cursor', { style: 'cursor', next: 'next', sendAs: 'after', in: 'header' }, ['in']],
    ['a stopWhen flag that is not a boolean', { style: 'cursor', next: 'next', sendAs: 'after', stopWhen: { path: 'has_more', equals: 'false' } }, ['stopWhen', 'equals']],
    ['a template instead of a path', { style: 'next_url', next: '{{ response.next }}' }, ['next']],
    ['a first page of 2', { style: 'page_number', pageParam: 'page', startAt: 2 }, ['startAt']],
    ['a bad page-count path', { style: 'page_number', pageParam: 'page', totalPagesPath: 'meta total' }, ['totalPagesPath']],
    ['an unknown style', { style: 'graphql' }, ['style']],
  ])('answers %s with an issue at that field', (_, config, path) => {
    const result = paginatorConfigSchema.safeParse(config);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([path]);
  });

  it('rejects unknown keys, so a misspelt option is not silently ignored', () => {
    const result = paginatorConfigSchema.safeParse({ style: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 10, limt: 5 });
    expect(result.error?.issues).toMatchObject([{ code: 'unrecognized_keys', keys: ['limt'], path: [] }]);
  });

  it('accepts a custom definition arriving as JSON', () => {
    const json = '{"style":"cursor","next":"meta.next_cursor","sendAs":"variables.after","in":"body","stopWhen":{"path":"meta.has_more","equals":false}}';
    expect(paginatorConfigSchema.parse(JSON.parse(json))).toEqual(JSON.parse(json));
  });
});
