/**
 * How long to wait before trying a vendor again: exponential backoff with full jitter (so many
 * connections failing together do not retry in step), unless the vendor said how long with Retry-After.
 */

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, capMs: 30_000 };

/** Longest Retry-After we honour; a vendor asking for hours is better met by failing the run and retrying it later. */
export const maxRetryAfterMs = 5 * 60_000;

/**
 * `random() * min(cap, base * 2^attempt)`, where `attempt` counts the retries before this one
 * (0 for the first). `random` returns a number in [0, 1), like Math.random.
 */
export function backoffDelay(attempt: number, random: () => number, policy: BackoffPolicy = defaultBackoff): number {
  return random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
}

/**
 * A Retry-After header in milliseconds from `now`: delta-seconds ("120") or an HTTP date
 * ("Wed, 21 Oct 2015 07:28:00 GMT"), clamped to [0, maxMs]. Undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number, maxMs = maxRetryAfterMs): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  // Every HTTP date form names the month; without that check Date.parse would read "2" or "-5" as a year.
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1_000 : /[a-z]/i.test(value) ? Date.parse(value) - now : NaN;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(maxMs, Math.max(0, ms));
}
