import type { Clock } from '../../src/connectors/runtime/http.js';

/**
 * A clock for tests of waits (backoff, Retry-After, rate limits): `sleep` records how long it was
 * asked to wait and moves time on at once, after one tick in which a caller may abort.
 */
export function manualClock(start = Date.parse('2025-03-01T12:00:00Z')) {
  let now = start;
  const waits: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms, signal) => {
      waits.push(ms);
      await Promise.resolve();
      signal?.throwIfAborted();
      now += ms;
    },
  };
  return { clock, waits, advance: (ms: number) => (now += ms) };
}
