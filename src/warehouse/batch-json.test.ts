import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordLines, storableKey } from './batch-json.js';

const linesOf = (records: unknown[]) => recordLines(records).split('\n').map((line) => JSON.parse(line) as unknown);

describe('recordLines', () => {
  it('is each record JSON.stringify-ed on a line of its own when every string is storable', () => {
    const storable = fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\u0000'));
    const value = fc.oneof(storable, fc.integer(), fc.constant(null));
    fc.assert(fc.property(fc.array(fc.oneof(fc.dictionary(storable, value), value), { minLength: 1 }), (records) => {
      expect(recordLines(records)).toBe(records.map((r) => JSON.stringify(r)).join('\n'));
      expect(linesOf(records)).toEqual(records);
    }));
  });

  it('keeps line breaks inside values escaped, so a line is always one record', () => {
    const records = [{ note: 'first\nsecond\r\nthird' }, 'a\nb', { [`k\ne`]: 1 }];
    expect(recordLines(records).split('\n')).toHaveLength(3);
    expect(linesOf(records)).toEqual(records);
  });

  it('writes what JSON cannot hold as null, as an array would', () => {
    expect(recordLines([undefined, { a: 1 }])).toBe('null\n{"a":1}');
  });

  it('turns NUL and unpaired surrogates into U+FFFD, in values and in names, and nothing else', () => {
    const records = [{ 'k\u0000': 'a\u0000b', lone: '\ud800x\udc00', pair: '😀', slash: '\\u0000 stays text', control: '\u0001' }];
    expect(linesOf(records)).toEqual([{ 'k\ufffd': 'a\ufffdb', lone: '\ufffdx\ufffd', pair: '😀', slash: '\\u0000 stays text', control: '\u0001' }]);
  });

  it('leaves in _raw the same names storableKey gives', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 8 }), (key) => {
      expect(Object.keys(linesOf([{ [key]: 1 }])[0] as object)).toEqual([storableKey(key)]);
    }));
  });
});
