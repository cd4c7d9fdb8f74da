import { describe, expect, it } from 'vitest';
import { TributaryError } from '../../domain/errors.js';
import { dottedPathSchema, isValidPath, pathReader, readPath, selectRecords, writePath } from './select.js';

describe('dotted paths', () => {
  it.each(['results', 'data.items', 'paging.next.after', 'data.0.id', '$meta.next-page', '_links.next'])('accepts %s', (path) => {
    expect(isValidPath(path)).toBe(true);
  });

  it.each(['', '.', 'data.', '.data', 'data..items', 'data items', 'data[0]', "data['x']", '{{ next }}'])('rejects %o', (path) => {
    expect(isValidPath(path)).toBe(false);
  });

  it('answers a bad path in a definition with a zod issue', () => {
    expect(dottedPathSchema.safeParse('data..items').error?.issues[0]?.message).toMatch(/dotted path/);
  });

  it('reads nested objects and array indexes', () => {
    const body = { paging: { next: { after: 'abc' } }, data: [{ id: 7 }] };
    expect(readPath(body, 'paging.next.after')).toBe('abc');
    expect(readPath(body, 'data.0.id')).toBe(7);
    expect(readPath(body, '')).toBe(body);
  });

  it('answers undefined for a missing step, never a property of the prototype or an array', () => {
    expect(readPath({ a: null }, 'a.b')).toBeUndefined();
    expect(readPath({ a: 'text' }, 'a.length')).toBeUndefined();
    expect(readPath({ a: [1, 2] }, 'a.length')).toBeUndefined();
    expect(readPath({}, 'constructor')).toBeUndefined();
    expect(readPath({ a: [1] }, 'a.1')).toBeUndefined();
  });

  it('reads the same through a pathReader, split once', () => {
    const values = [{ paging: { next: { after: 'abc' } }, data: [{ id: 7 }] }, { a: null }, { a: 'text' }, { a: [1, 2] }, {}, { a: [1] }, [5, 6], null, 'text'];
    for (const path of ['paging.next.after', 'data.0.id', '', 'a', 'a.b', 'a.length', 'constructor', 'a.1', '0', 'length']) {
      const read = pathReader(path);
      for (const value of values) expect(read(value)).toBe(readPath(value, path));
    }
  });

  it('writes into a copy, creating the objects on the way', () => {
    const body = { query: 'q', variables: { first: 10 } };
    expect(writePath(body, 'variables.after', 'c1')).toEqual({ query: 'q', variables: { first: 10, after: 'c1' } });
    expect(writePath({}, 'a.b.c', 1)).toEqual({ a: { b: { c: 1 } } });
    expect(body).toEqual({ query: 'q', variables: { first: 10 } });
  });
});

describe('selectRecords', () => {
  it('selects the array at a path, or the body itself for an empty path', () => {
    expect(selectRecords({ data: { items: [{ id: 1 }] } }, 'data.items')).toEqual([{ id: 1 }]);
    expect(selectRecords([{ id: 1 }, { id: 2 }], '')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(selectRecords({ results: [] }, 'results')).toEqual([]);
  });

  it.each([
    [{ data: {} }, 'data.items', /nothing at "data.items"/],
    [{ results: { id: 1 } }, 'results', /no list of records at "results"/],
    [{ results: null }, 'results', /no list of records at "results"/],
    [{ results: [] }, '', /no list of records at the top level/],
  ])('fails with invalid_response naming the path: %o at %o', (body, path, message) => {
    const error = catchError(() => selectRecords(body, path));
    expect(error).toMatchObject({ code: 'invalid_response', details: { path } });
    expect(error.message).toMatch(message);
  });
});

function catchError(act: () => unknown): TributaryError {
  try {
    act();
  } catch (error) {
    if (error instanceof TributaryError) return error;
    throw error;
  }
  throw new Error('expected an error');
}
