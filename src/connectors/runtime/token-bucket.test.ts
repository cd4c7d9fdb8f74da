import { describe, expect, it } from 'vitest';
import type { Clock } from './http.js';
import { RateLimiters, TokenBucket } from './token-bucket.js';
import { manualClock } from '../../../test/support/manual-clock.js';

describe('TokenBucket', () => {
  it('lets the documented number of requests through at once', async () => {
    const { clock, waits } = manualClock();
    const bucket = new TokenBucket({ requests: 100, perSeconds: 10 }, clock);
    for (let i = 0; i < 100; i++) await bucket.take();
    expect(waits).toEqual([]);
  });

  it('makes the next request wait for one token to refill (perSeconds / requests)', async () => {
    const { clock, waits } = manualClock();
    const bucket = new TokenBucket({ requests: 100, perSeconds: 10 }, clock);
    for (let i = 0; i < 101; i++) await bucket.take();
    expect(waits).toEqual([100]);
  });

  it('waits only for the part of a token still missing', async () => {
    const { clock, waits, advance } = manualClock();
    const bucket = new TokenBucket({ requests: 2, perSeconds: 1 }, clock);
    await bucket.take();
    await bucket.take();
    advance(200); // 0.4 of a token back
    await bucket.take();
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeCloseTo(300);
  });

  it('refills no more than the limit after an idle spell', async () => {
    const { clock, waits, advance } = manualClock();
    const bucket = new TokenBucket({ requests: 3, perSeconds: 3 }, clock);
    advance(60_000);
    for (let i = 0; i < 4; i++) await bucket.take();
    expect(waits).toEqual([1_000]);
  });

  it('queues concurrent callers in order, each behind the one before', async () => {
    const waits: number[] = [];
    // Time stands still while all three ask, as when they ask in the same tick.
    const clock: Clock = { now: () => 0, sleep: async (ms) => void waits.push(ms) };
    const bucket = new TokenBucket({ requests: 1, perSeconds: 2 }, clock);
    await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
    expect(waits).toEqual([2_000, 4_000]);
  });

  it('rejects at once with the reason of a signal that already aborted', async () => {
    const { clock, waits } = manualClock();
    const bucket = new TokenBucket({ requests: 1, perSeconds: 1 }, clock);
    await expect(bucket.take(AbortSignal.abort(new Error('run cancelled')))).rejects.toThrow('run cancelled');
    await bucket.take();
    expect(waits).toEqual([]); // the refused caller took no token
  });

  it('hands its reservation back when cancelled mid-wait', async () => {
    const { clock, waits } = manualClock();
    const bucket = new TokenBucket({ requests: 1, perSeconds: 1 }, clock);
    await bucket.take();
    const controller = new AbortController();
    const cancelled = bucket.take(controller.signal);
    controller.abort(new Error('run cancelled'));
    await expect(cancelled).rejects.toThrow('run cancelled');
    await bucket.take();
    expect(waits).toEqual([1_000, 1_000]); // not 2 000 for the second: the cancelled caller holds no token
  });

  it('stops waiting at once when the signal aborts mid-wait', async () => {
    const bucket = new TokenBucket({ requests: 1, perSeconds: 3_600 }); // the system clock: an hour per token
    await bucket.take();
    const started = Date.now();
    const waiting = bucket.take(AbortSignal.timeout(20));
    await expect(waiting).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses a limit that is not positive', () => {
    expect(() => new TokenBucket({ requests: 0, perSeconds: 10 })).toThrow(RangeError);
    expect(() => new TokenBucket({ requests: 10, perSeconds: 0 })).toThrow(RangeError);
  });
});

describe('RateLimiters', () => {
  const limit = { requests: 1, perSeconds: 1 };

  it('hands out one bucket per connection', async () => {
    const { clock, waits } = manualClock();
    const limiters = new RateLimiters(clock);
    expect(limiters.bucketFor('conn_a', limit)).toBe(limiters.bucketFor('conn_a', { ...limit }));
    expect(limiters.bucketFor('conn_b', limit)).not.toBe(limiters.bucketFor('conn_a', limit));

    await limiters.bucketFor('conn_a', limit).take();
    await limiters.bucketFor('conn_b', limit).take(); // another connection's budget is untouched
    expect(waits).toEqual([]);
    await limiters.bucketFor('conn_a', limit).take();
    expect(waits).toEqual([1_000]);
  });

  it('replaces a connection’s bucket when its limit changes', () => {
    const limiters = new RateLimiters(manualClock().clock);
    const before = limiters.bucketFor('conn_a', limit);
    const after = limiters.bucketFor('conn_a', { requests: 5, perSeconds: 1 });
    expect(after).not.toBe(before);
    expect(after.limit).toEqual({ requests: 5, perSeconds: 1 });
  });
});
