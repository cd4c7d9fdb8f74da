import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchJson, storableKey } from './batch-json.js';

describe('batchJson', () => {
  it('is JSON.stringify when every string is storable', () => {
    const storable = fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\u0000'));
    fc.assert(fc.property(fc.array(fc.dictionary(storable, fc.oneof(storable, fc.integer(), fc.constant(null)))), (records) => {
      expect(batchJson(records)).toBe(JSON.stringify(records));
    }));
  });

  it('turns NUL and unpaired surrogates into U+FFFD, in values and in names, and nothing else', () => {
    const records = [{ 'k\u0000': 'a\u0000b', lone: '\ud800x\udc00', pair: '😀', slash: '\\u0000 stays text', control: '\u0001' }];
    expect(JSON.parse(batchJson(records))).toEqual([{ 'k\ufffd': 'a\ufffdb', lone: '\ufffdx\ufffd', pair: '😀', slash: '\\u0000 stays text', control: '\u0001' }]);
  });

  it('leaves in _raw the same names storableKey gives', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 8 }), (key) => {
      expect(Object.keys(JSON.parse(batchJson([{ [key]: 1 }]))[0])).toEqual([storableKey(key)]);
    }));
  });
});
