import { describe, expect, it } from 'vitest';
import { IncrementalCursor, parseDuration } from './cursor.js';

const seen = (field: string, saved: string | undefined, records: unknown[]) => {
  const cursor = new IncrementalCursor({ field }, saved);
  for (const record of records) cursor.observe(record);
  return cursor.value;
};

describe('IncrementalCursor', () => {
  it('keeps the latest timestamp, compared as instants across offsets and precisions', () => {
    const records = [
      { updatedAt: '2024-05-01T10:00:00Z' },
      { updatedAt: '2024-05-01T11:30:00+02:00' }, // 09:30Z: earlier, though it sorts later as text
      { updatedAt: '2024-05-01T10:00:00.500Z' },
    ];
    expect(seen('updatedAt', undefined, records)).toBe('2024-05-01T10:00:00.500Z');
  });

  it('orders toISOString-style timestamps as instants, whatever their text says', () => {
    const ascending = Array.from({ length: 50 }, (_, i) => ({ updatedAt: new Date(Date.UTC(2024, 0, 1) + i * 86_399_999).toISOString() }));
    expect(seen('updatedAt', undefined, [...ascending].reverse())).toBe(ascending.at(-1)!.updatedAt);
    expect(seen('updatedAt', '2024-01-01T00:00:00.000Z', ascending)).toBe(ascending.at(-1)!.updatedAt);
    // Date.parse rolls an impossible day over (Feb 31 → Mar 2); the cursor follows the instant, not the text.
    expect(seen('t', undefined, [{ t: '2024-03-01T00:00:00Z' }, { t: '2024-02-31T00:00:00Z' }])).toBe('2024-02-31T00:00:00Z');
    expect(seen('t', undefined, [{ t: '2024-03-01T00:00:00Z' }, { t: '2024-02-29T23:59:59Z' }])).toBe('2024-03-01T00:00:00Z');
    // Beyond milliseconds, or in another precision, equal instants keep the first value seen.
    expect(seen('t', undefined, [{ t: '2024-05-01T10:00:00.1234Z' }, { t: '2024-05-01T10:00:00.1235Z' }])).toBe('2024-05-01T10:00:00.1234Z');
    expect(seen('t', undefined, [{ t: '2024-05-01T10:00:00Z' }, { t: '2024-05-01T10:00:00.000Z' }])).toBe('2024-05-01T10:00:00Z');
    expect(seen('t', undefined, [{ t: '2024-05-01T10:00:00.5Z' }, { t: '2024-05-01T10:00:00Z' }])).toBe('2024-05-01T10:00:00.5Z');
  });

  it('compares numbers and numeric strings numerically', () => {
    expect(seen('id', undefined, [{ id: 9 }, { id: 10 }, { id: 2 }])).toBe('10');
    expect(seen('ts', '9', [{ ts: '10' }])).toBe('10');
  });

  it('compares other strings as text', () => {
    expect(seen('v', undefined, [{ v: 'b' }, { v: 'c' }, { v: 'a' }])).toBe('c');
  });

  it('reads a dotted field and ignores records without it', () => {
    const records = [{ meta: { modified: '2024-01-02' } }, { meta: {} }, {}, { meta: { modified: null } }, { meta: { modified: '' } }];
    expect(seen('meta.modified', undefined, records)).toBe('2024-01-02');
  });

  it('keeps the saved value when no record goes past it', () => {
    expect(seen('updatedAt', '2024-05-01T00:00:00Z', [{ updatedAt: '2024-04-01T00:00:00Z' }])).toBe('2024-05-01T00:00:00Z');
    expect(seen('updatedAt', '2024-05-01T00:00:00Z', [])).toBe('2024-05-01T00:00:00Z');
    expect(seen('updatedAt', undefined, [])).toBeUndefined();
  });

  it('reads a timestamp without an offset as UTC', () => {
    expect(seen('t', '2024-05-01T10:00:00Z', [{ t: '2024-05-01T10:30:00' }])).toBe('2024-05-01T10:30:00');
    expect(seen('t', '2024-05-01T10:00:00Z', [{ t: '2024-05-01T09:30:00' }])).toBe('2024-05-01T10:00:00Z');
  });

  it.each([
    ['PT1H', '2024-05-01T10:00:00Z', '2024-05-01T09:00:00Z'],
    ['P1D', '2024-05-01T10:00:00.250Z', '2024-04-30T10:00:00.250Z'],
    ['PT90M', '2024-05-01T10:00:00+02:00', '2024-05-01T06:30:00Z'],
    ['PT1H', '2024-05-01', '2024-04-30'],
    ['P1W', '2024-05-08', '2024-05-01'],
  ])('starts %s before the saved %s', (lookback, saved, start) => {
    expect(new IncrementalCursor({ field: 'updatedAt', lookback }, saved).startFrom()).toBe(start);
  });

  it('starts from the saved value itself without a lookback, for numbers, or on a first read', () => {
    expect(new IncrementalCursor({ field: 'updatedAt' }, '2024-05-01T10:00:00Z').startFrom()).toBe('2024-05-01T10:00:00Z');
    expect(new IncrementalCursor({ field: 'id', lookback: 'PT1H' }, '1714557600').startFrom()).toBe('1714557600');
    expect(new IncrementalCursor({ field: 'updatedAt', lookback: 'PT1H' }, undefined).startFrom()).toBeUndefined();
  });

  it('starts from the saved value even after records went past it', () => {
    const cursor = new IncrementalCursor({ field: 'updatedAt', lookback: 'PT1H' }, '2024-05-01T10:00:00Z');
    cursor.observe({ updatedAt: '2024-06-01T00:00:00Z' });
    expect(cursor.startFrom()).toBe('2024-05-01T09:00:00Z');
  });

  it('refuses a field that is not a dotted path', () => {
    expect(() => new IncrementalCursor({ field: 'a..b' }, undefined)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});

describe('parseDuration', () => {
  it.each([
    ['PT1H', 3_600_000],
    ['P1D', 86_400_000],
    ['P2W', 14 * 86_400_000],
    ['PT15M', 900_000],
    ['PT30S', 30_000],
    ['PT1.5S', 1_500],
    ['P1DT2H3M4S', 86_400_000 + 7_200_000 + 180_000 + 4_000],
    ['P0D', 0],
  ])('reads %s', (duration, ms) => {
    expect(parseDuration(duration)).toBe(ms);
  });

  it.each(['', 'P', 'PT', 'P1DT', '1H', 'PT1h', 'P1M', 'P1Y', 'PT-1H', 'P1.5D', 'PT1H ', 'one hour'])('rejects %o with validation_failed', (duration) => {
    expect(() => parseDuration(duration)).toThrow(expect.objectContaining({ code: 'validation_failed', details: { field: 'lookback' } }));
  });
});
