import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../http.js';
import { cursorPaginator, cursorPaginatorConfig } from './cursor-paginator.js';

const page = (body: unknown): HttpResponse => ({ status: 200, headers: new Headers(), body, bytes: 0 });
const first: HttpRequest = { method: 'GET', url: 'https://api.example.com/crm/v3/objects/contacts', query: { limit: '100' }, headers: { authorization: 'Bearer t' } };
const hubspot = { style: 'cursor', next: 'paging.next.after', sendAs: 'after' } as const;

describe('cursorPaginator', () => {
  it('sends the cursor as a query parameter beside the others', () => {
    const next = cursorPaginator(hubspot).next(first, page({ paging: { next: { after: 'c1' } } }), 100);
    expect(next).toEqual({ ...first, query: { limit: '100', after: 'c1' } });
  });

  it.each([{}, { paging: null }, { paging: { next: { after: null } } }, { paging: { next: { after: '' } } }])('ends the stream without a cursor: %o', (body) => {
    expect(cursorPaginator(hubspot).next(first, page(body), 100)).toBeUndefined();
  });

  it('sends a numeric cursor as text', () => {
    expect(cursorPaginator({ style: 'cursor', next: 'next_id', sendAs: 'since' }).next(first, page({ next_id: 42 }), 1)?.query).toEqual({ limit: '100', since: '42' });
  });

  it('writes the cursor into the JSON body, keeping what the body held', () => {
    const graphql: HttpRequest = { ...first, method: 'POST', query: {}, body: { query: '{ items }', variables: { first: 50 } } };
    const config = { style: 'cursor', next: 'data.items.pageInfo.endCursor', sendAs: 'variables.after', in: 'body' } as const;
    const next = cursorPaginator(config).next(graphql, page({ data: { items: { pageInfo: { endCursor: 'e1' } } } }), 50);
    expect(next).toEqual({ ...graphql, body: { query: '{ items }', variables: { first: 50, after: 'e1' } } });
  });

  it('fails with invalid_response naming the path when the cursor is not a string or number', () => {
    expect(() => cursorPaginator(hubspot).next(first, page({ paging: { next: { after: { id: 1 } } } }), 1)).toThrow(
      expect.objectContaining({ code: 'invalid_response', message: expect.stringContaining('"paging.next.after"') }),
    );
  });

  describe('with a stopWhen flag', () => {
    const stripeLike = { style: 'cursor', next: 'next_cursor', sendAs: 'cursor', stopWhen: { path: 'has_more', equals: false } } as const;

    it('ends when the flag says so, even with a cursor on the page', () => {
      expect(cursorPaginator(stripeLike).next(first, page({ has_more: false, next_cursor: 'c9' }), 10)).toBeUndefined();
      const isLast = { ...stripeLike, stopWhen: { path: 'meta.is_last', equals: true } };
      expect(cursorPaginator(isLast).next(first, page({ meta: { is_last: true }, next_cursor: 'c9' }), 10)).toBeUndefined();
    });

    it('goes on while the flag says more pages follow', () => {
      expect(cursorPaginator(stripeLike).next(first, page({ has_more: true, next_cursor: 'c2' }), 10)?.query.cursor).toBe('c2');
    });

    it('fails rather than drop pages when the flag says more follow but there is no cursor', () => {
      expect(() => cursorPaginator(stripeLike).next(first, page({ has_more: true }), 10)).toThrow(
        expect.objectContaining({ code: 'invalid_response', message: expect.stringContaining('more pages follow') }),
      );
    });
  });

  describe('a repeated cursor', () => {
    const read = (cursors: string[]) => {
      const paginator = cursorPaginator(hubspot);
      let request = first;
      for (const after of cursors) {
        const next = paginator.next(request, page({ paging: { next: { after } } }), 100);
        if (!next) throw new Error('the stream ended early');
        request = next;
      }
    };

    it.each([
      ['the cursor just sent', ['A-secret-token', 'A-secret-token']],
      ['an earlier cursor (A → B → A)', ['A-secret-token', 'B', 'A-secret-token']],
    ])('stops the read on %s, without quoting it', (_, cursors) => {
      expect(() => read(cursors)).toThrow(expect.objectContaining({ code: 'invalid_response', details: { style: 'cursor' } }));
      expect(() => read(cursors)).toThrow(/^cursor pagination: the vendor repeated a cursor/);
      expect(() => read(cursors)).not.toThrow(/secret/);
    });

    it('counts from a fresh start in the next read', () => {
      expect(() => read(['A', 'B'])).not.toThrow();
      expect(() => read(['A', 'B'])).not.toThrow();
    });
  });

  it('needs a dotted path in sendAs when the cursor goes into the body', () => {
    const result = cursorPaginatorConfig.safeParse({ ...hubspot, sendAs: 'page[after]', in: 'body' });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['sendAs']]);
    expect(cursorPaginatorConfig.safeParse({ ...hubspot, sendAs: 'page[after]' }).success).toBe(true);
  });
});
