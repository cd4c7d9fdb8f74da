import { describe, expect, it } from 'vitest';
import { backoffDelay, defaultBackoff, maxRetryAfterMs, parseRetryAfter } from './backoff.js';

describe('backoffDelay', () => {
  const policy = { baseMs: 100, capMs: 1_000 };

  it('stays within [0, min(cap, base * 2^attempt)] for any random draw', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
      for (const draw of [0, 0.25, 0.5, 0.999_999]) {
        const delay = backoffDelay(attempt, () => draw, policy);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('doubles with each attempt until the cap', () => {
    const delays = [0, 1, 2, 3, 4, 5, 40].map((attempt) => backoffDelay(attempt, () => 0.5, policy));
    expect(delays).toEqual([50, 100, 200, 400, 500, 500, 500]);
  });

  it('spreads delays over the whole range (full jitter), not around a centre', () => {
    expect(backoffDelay(3, () => 0, policy)).toBe(0);
    expect(backoffDelay(3, () => 0.99, policy)).toBeCloseTo(792);
  });

  it('defaults to 1 s doubling up to 30 s', () => {
    expect(defaultBackoff).toEqual({ baseMs: 1_000, capMs: 30_000 });
    expect(backoffDelay(0, () => 0.5)).toBe(500);
    expect(backoffDelay(10, () => 0.5)).toBe(15_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:30 GMT', now)).toBe(30_000);
  });

  it('clamps a date in the past to 0', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:59:00 GMT', now)).toBe(0);
  });

  it('clamps long waits to the maximum', () => {
    expect(parseRetryAfter('86400', now)).toBe(maxRetryAfterMs);
    expect(parseRetryAfter('Sun, 02 Mar 2025 12:00:00 GMT', now)).toBe(maxRetryAfterMs);
    expect(parseRetryAfter('90', now, 60_000)).toBe(60_000);
  });

  it('returns undefined when the header is absent or unreadable', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});
