import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../http.js';
import { nextUrlPaginator } from './next-url-paginator.js';

const page = (body: unknown): HttpResponse => ({ status: 200, headers: new Headers(), body, bytes: 0 });
const first: HttpRequest = {
  method: 'GET',
  url: 'https://api.example.com/v1/tickets',
  query: { per_page: '50', sort: 'id' },
  headers: { authorization: 'Bearer t', accept: 'application/json' },
};
const config = { style: 'next_url', next: 'links.next' } as const;
const follow = (href: unknown, previous = first) => nextUrlPaginator(config).next(previous, page({ links: { next: href } }), 50);

describe('nextUrlPaginator', () => {
  it('takes the next URL and its query alone, keeping the headers', () => {
    expect(follow('https://api.example.com/v1/tickets?page%5Bafter%5D=x%2Fy&per_page=50')).toEqual({
      ...first,
      url: 'https://api.example.com/v1/tickets',
      query: { 'page[after]': 'x/y', per_page: '50' },
    });
  });

  it.each([
    ['/v1/tickets?page=2', 'https://api.example.com/v1/tickets', { page: '2' }],
    ['?page=2', 'https://api.example.com/v1/tickets', { page: '2' }],
    ['archived?page=2', 'https://api.example.com/v1/archived', { page: '2' }],
    ['//api.example.com/v2/tickets', 'https://api.example.com/v2/tickets', {}],
  ])('resolves the relative URL %s against the previous one', (href, url, query) => {
    expect(follow(href)).toMatchObject({ url, query });
  });

  it.each([undefined, null, ''])('ends the stream when the next URL is %o', (href) => {
    expect(follow(href)).toBeUndefined();
  });

  it('fails with invalid_response naming the path when the value is not a URL string', () => {
    expect(() => follow(42)).toThrow(expect.objectContaining({ code: 'invalid_response', message: expect.stringContaining('"links.next"') }));
  });

  it.each(['https://evil.example.net/v1/tickets?page=2', 'http://api.example.com/v1/tickets?page=2', 'https://api.example.com:8443/v1/tickets'])(
    'refuses to send the credentials to another origin: %s',
    (href) => {
      expect(() => follow(href)).toThrow(expect.objectContaining({ code: 'invalid_response', message: expect.stringContaining('another host') }));
    },
  );

  it('refuses a next URL with a repeated query parameter rather than drop one of the values', () => {
    expect(() => follow('/v1/tickets?id=1&id=2')).toThrow(expect.objectContaining({ code: 'invalid_response', message: expect.stringContaining('repeats a query parameter') }));
  });

  it('stops when the vendor links back to the first page, even with its query in another order', () => {
    const paginator = nextUrlPaginator(config);
    const second = paginator.next(first, page({ links: { next: '/v1/tickets?page=2&token=s3cret' } }), 50);
    expect(second).toBeDefined();
    const back = () => paginator.next(second!, page({ links: { next: '/v1/tickets?sort=id&per_page=50' } }), 50);
    expect(back).toThrow(expect.objectContaining({ code: 'invalid_response', details: { style: 'next_url' } }));
    expect(back).toThrow(/^next_url pagination: the vendor repeated a cursor/);
  });
});
