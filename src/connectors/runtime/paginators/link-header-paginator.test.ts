import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../http.js';
import { linkHeaderPaginator, parseLinkHeader } from './link-header-paginator.js';

const page = (link?: string): HttpResponse => ({ status: 200, headers: new Headers(link === undefined ? {} : { link }), body: [], bytes: 0 });
const first: HttpRequest = { method: 'GET', url: 'https://api.github.com/repos/o/r/issues', query: { per_page: '100' }, headers: { authorization: 'Bearer t' } };

describe('linkHeaderPaginator', () => {
  it("follows GitHub's next link among several", () => {
    const link = '<https://api.github.com/repositories/1/issues?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/issues?per_page=100&page=5>; rel="last"';
    expect(linkHeaderPaginator().next(first, page(link), 100)).toEqual({
      ...first,
      url: 'https://api.github.com/repositories/1/issues',
      query: { per_page: '100', page: '2' },
    });
  });

  it("follows Shopify's next link after its previous link, with page_info alone", () => {
    const shop: HttpRequest = { ...first, url: 'https://shop.myshopify.com/admin/api/2024-01/products.json', query: { limit: '50', status: 'active' } };
    const link = '<https://shop.myshopify.com/admin/api/2024-01/products.json?limit=50&page_info=prev1>; rel="previous", <https://shop.myshopify.com/admin/api/2024-01/products.json?limit=50&page_info=next1>; rel="next"';
    expect(linkHeaderPaginator().next(shop, page(link), 50)?.query).toEqual({ limit: '50', page_info: 'next1' });
  });

  it.each([undefined, '', '<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first"'])('ends the stream without a next link: %o', (link) => {
    expect(linkHeaderPaginator().next(first, page(link), 100)).toBeUndefined();
  });

  it('resolves a relative link against the previous URL', () => {
    expect(linkHeaderPaginator().next(first, page('</repos/o/r/issues?page=2>; rel="next"'), 100)).toMatchObject({ url: 'https://api.github.com/repos/o/r/issues', query: { page: '2' } });
  });

  it('stops on A → B → A, without quoting the link', () => {
    const paginator = linkHeaderPaginator();
    const a = paginator.next(first, page('</a?token=s3cret>; rel="next"'), 100)!;
    const b = paginator.next(a, page('</b>; rel="next"'), 100)!;
    const again = () => paginator.next(b, page('</a?token=s3cret>; rel="next"'), 100);
    expect(again).toThrow(expect.objectContaining({ code: 'invalid_response', details: { style: 'link_header' } }));
    expect(again).toThrow(/^link_header pagination: the vendor repeated a cursor/);
    expect(again).not.toThrow(/s3cret/);
  });
});

describe('parseLinkHeader', () => {
  it('reads quoted parameters holding commas and semicolons', () => {
    expect(parseLinkHeader('<https://x.test/a>; title="page, the; second"; rel="prev", <https://x.test/b>; rel="next"')).toEqual([
      { href: 'https://x.test/a', rels: ['prev'] },
      { href: 'https://x.test/b', rels: ['next'] },
    ]);
  });

  it('reads unquoted and upper-case rels, several rels in one, and escaped quotes', () => {
    expect(parseLinkHeader('<https://x.test/a>;REL=Next, <https://x.test/b> ; title="say \\"hi\\"" ; rel="next last"')).toEqual([
      { href: 'https://x.test/a', rels: ['next'] },
      { href: 'https://x.test/b', rels: ['next', 'last'] },
    ]);
  });

  it('reads a URL that holds a comma, and two Link headers joined', () => {
    const headers = new Headers();
    headers.append('link', '<https://x.test/a?ids=1,2>; rel="prev"');
    headers.append('link', '<https://x.test/b?ids=3,4>; rel="next"');
    expect(parseLinkHeader(headers.get('link') ?? '')).toEqual([
      { href: 'https://x.test/a?ids=1,2', rels: ['prev'] },
      { href: 'https://x.test/b?ids=3,4', rels: ['next'] },
    ]);
  });

  it('skips what is not a link', () => {
    expect(parseLinkHeader('garbage, <https://x.test/b>; rel="next", <unclosed')).toEqual([{ href: 'https://x.test/b', rels: ['next'] }]);
  });
});
