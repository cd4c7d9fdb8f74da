import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../http.js';
import { pageNumberFirstPage, pageNumberPaginator, pageNumberPaginatorConfig } from './page-number-paginator.js';
import type { PageNumberPaginatorConfig } from './page-number-paginator.js';

const page = (body: unknown = {}): HttpResponse => ({ status: 200, headers: new Headers(), body, bytes: 0 });
const first: HttpRequest = { method: 'GET', url: 'https://api.example.com/v1/invoices', query: { page: '1' }, headers: {} };

/** The page numbers a read asks for, given each page's record count and body. */
function pagesAsked(config: PageNumberPaginatorConfig, pages: Array<[records: number, body?: unknown]>): string[] {
  const paginator = pageNumberPaginator(config);
  const asked = [first.query.page ?? ''];
  let request: HttpRequest | undefined = { ...first, query: { ...first.query, ...pageNumberFirstPage(config) } };
  for (const [records, body] of pages) {
    request = paginator.next(request, page(body), records);
    if (!request) return asked;
    asked.push(request.query[config.pageParam] ?? '');
  }
  throw new Error('the stream did not end');
}

describe('pageNumberPaginator', () => {
  it('counts from 1 and ends on an empty page when the size is unknown', () => {
    expect(pagesAsked({ style: 'page_number', pageParam: 'page' }, [[7], [3], [0]])).toEqual(['1', '2', '3']);
  });

  it('counts from 0 when told to', () => {
    const config = { style: 'page_number', pageParam: 'page', startAt: 0 } as const;
    expect(pageNumberFirstPage(config)).toEqual({ page: '0' });
    expect(pageNumberPaginator(config).next({ ...first, query: { page: '0' } }, page(), 5)?.query.page).toBe('1');
  });

  it('sends the size and ends on a short page when the size is known', () => {
    const config = { style: 'page_number', pageParam: 'page', sizeParam: 'per_page', size: 50 } as const;
    expect(pageNumberFirstPage(config)).toEqual({ page: '1', per_page: '50' });
    expect(pageNumberPaginator(config).next(first, page(), 50)?.query).toEqual({ page: '2', per_page: '50' });
    expect(pagesAsked(config, [[50], [50], [49]])).toEqual(['1', '2', '3']);
  });

  it('ends on the last page by the vendor count, even when that page is full', () => {
    const config = { style: 'page_number', pageParam: 'page', totalPagesPath: 'meta.total_pages' } as const;
    expect(pagesAsked(config, [[10, { meta: { total_pages: 2 } }], [10, { meta: { total_pages: '2' } }]])).toEqual(['1', '2']);
    expect(pagesAsked({ ...config, startAt: 0 }, [[10, { meta: { total_pages: 1 } }]])).toEqual(['1']);
  });

  it('fails with invalid_response naming the path when the page count is missing', () => {
    const config = { style: 'page_number', pageParam: 'page', totalPagesPath: 'meta.total_pages' } as const;
    expect(() => pageNumberPaginator(config).next(first, page({ meta: { total_pages: 'many' } }), 10)).toThrow(
      expect.objectContaining({ code: 'invalid_response', message: expect.stringContaining('"meta.total_pages"') }),
    );
  });

  it('needs a size when a size parameter is set', () => {
    const result = pageNumberPaginatorConfig.safeParse({ style: 'page_number', pageParam: 'page', sizeParam: 'per_page' });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['size']]);
  });
});
