import { describe, expect, it } from 'vitest';
import { SeededRandom, seededRecords } from './seeded-random.js';

const person = (random: SeededRandom, index: number) => ({
  id: index + 1,
  name: random.word(),
  email: random.email(),
  age: random.int(18, 90),
  plan: random.pick(['free', 'pro', 'team']),
  createdAt: random.isoTimestamp('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
});
const firstTen = (seed: string) => Array.from({ length: 10 }, (_, i) => seededRecords(seed, 10, person).recordAt(i));

describe('SeededRandom', () => {
  it('gives the same records for the same seed, on every call', () => {
    expect(firstTen('hubspot/contacts')).toEqual(firstTen('hubspot/contacts'));
  });

  it('gives different records for a different seed', () => {
    const a = firstTen('hubspot/contacts');
    const b = firstTen('hubspot/contactz');
    expect(a.filter((record, i) => JSON.stringify(record) === JSON.stringify(b[i]))).toEqual([]);
  });

  it('builds record i from the seed alone, whatever was generated before it', () => {
    const records = seededRecords('s', 100, person);
    const alone = records.recordAt(42);
    for (let i = 0; i < 42; i++) records.recordAt(i);
    expect(records.recordAt(42)).toEqual(alone);
  });

  it('forks from the seed, not from how much the parent stream has drawn', () => {
    const drawn = new SeededRandom('s');
    drawn.next();
    expect(drawn.fork('email').email()).toBe(new SeededRandom('s').fork('email').email());
    expect(new SeededRandom('s').fork(1).next()).not.toBe(new SeededRandom('s').fork(2).next());
  });

  it('reads record 999,999 of 1,000,000 without building any other', () => {
    let built = 0;
    const records = seededRecords('big', 1_000_000, (random, index) => {
      built += 1;
      return person(random, index);
    });
    const last = records.recordAt(999_999);
    expect(last).toMatchObject({ id: 1_000_000 });
    expect(built).toBe(1);
    expect(seededRecords('big', 1_000_000, person).recordAt(999_999)).toEqual(last);
  });

  it.each([-1, 10, 1.5])('refuses record %s of 10', (index) => {
    expect(() => seededRecords('s', 10, person).recordAt(index)).toThrow(RangeError);
  });

  it('keeps every helper inside its range', () => {
    const random = new SeededRandom('ranges');
    for (let i = 0; i < 2_000; i++) {
      const n = random.next();
      expect(n >= 0 && n < 1).toBe(true);
      expect(random.int(3, 5)).toBeGreaterThanOrEqual(3);
      expect(random.int(3, 5)).toBeLessThanOrEqual(5);
      const at = random.isoTimestamp('2024-03-01T00:00:00Z', '2024-03-02T00:00:00Z');
      expect(at).toMatch(/^2024-03-01T\d\d:\d\d:\d\d\.000Z$/);
      expect(random.email()).toMatch(/^[a-z]+\.[a-z]+\d{1,3}@example\.(com|org|net)$/);
    }
  });

  it('reaches both ends of an integer range', () => {
    const random = new SeededRandom('ends');
    const seen = new Set(Array.from({ length: 200 }, () => random.int(1, 3)));
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it('refuses an empty pick list and a time range that ends before it starts', () => {
    const random = new SeededRandom('x');
    expect(() => random.pick([])).toThrow(RangeError);
    expect(() => random.isoTimestamp('2024-02-01T00:00:00Z', '2024-01-01T00:00:00Z')).toThrow(RangeError);
  });
});
