import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../http.js';
import { offsetFirstPage, offsetPaginator } from './offset-paginator.js';

const page: HttpResponse = { status: 200, headers: new Headers(), body: {}, bytes: 0 };
const config = { style: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 100 } as const;
const first: HttpRequest = { method: 'GET', url: 'https://api.example.com/v1/orders', query: { status: 'open', ...offsetFirstPage(config) }, headers: {} };

describe('offsetPaginator', () => {
  it('starts the read at offset 0 with the configured limit', () => {
    expect(offsetFirstPage(config)).toEqual({ offset: '0', limit: '100' });
  });

  it('moves the offset on by full pages and ends on a short one', () => {
    const paginator = offsetPaginator(config);
    const second = paginator.next(first, page, 100);
    expect(second?.query).toEqual({ status: 'open', offset: '100', limit: '100' });
    const third = paginator.next(second!, page, 100);
    expect(third?.query).toEqual({ status: 'open', offset: '200', limit: '100' });
    expect(paginator.next(third!, page, 99)).toBeUndefined();
  });

  it('ends on an empty page', () => {
    expect(offsetPaginator(config).next(first, page, 0)).toBeUndefined();
  });

  it('skips past every record of a page larger than asked for, so none is read twice', () => {
    expect(offsetPaginator(config).next(first, page, 250)?.query.offset).toBe('250');
  });
});
