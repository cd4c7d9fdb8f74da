import { describe, expect, it } from 'vitest';
import { decodeRestli, encodeRestli, restliPath, restliQuery } from './restli.js';

describe('Rest.li 2.0 encoding', () => {
  it('writes objects and lists as structure and encodes the reserved characters of text', () => {
    expect(encodeRestli({ timeRange: { start: 1, end: 2 }, ids: ['urn:li:organization:5', "it's (new)"], empty: '' })).toBe(
      "(timeRange:(start:1,end:2),ids:List(urn%3Ali%3Aorganization%3A5,it%27s%20%28new%29),empty:'')",
    );
    expect(restliPath('/rest/posts', { q: 'author', author: 'urn:li:organization:5', count: 100 })).toBe('/rest/posts?q=author&author=urn%3Ali%3Aorganization%3A5&count=100');
  });

  it('reads back what it writes, every primitive as text', () => {
    const value = { a: ['x,y', { b: 'c:d' }], e: '', f: 3 };
    expect(decodeRestli(encodeRestli(value))).toEqual({ a: ['x,y', { b: 'c:d' }], e: '', f: '3' });
  });

  it('refuses text whose reserved characters are not encoded, naming the parameter', () => {
    expect(() => decodeRestli('urn:li:organization:5')).toThrow('unexpected ":"');
    expect(() => decodeRestli('(a:1')).toThrow('expected ")"');
    expect(() => restliQuery('?q=author&author=urn:li:organization:5')).toThrow(/^author: /);
  });
});
