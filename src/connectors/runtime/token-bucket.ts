/**
 * Keeps a connection within its vendor's documented rate limit. The bucket starts full with
 * `requests` tokens and refills at `requests / perSeconds`, so a burst up to the limit goes at once
 * and later requests are spaced evenly. Note that after an idle spell a bucket can let through up
 * to twice the limit within one window (a full bucket plus a window's refill); a 429 from a strict
 * vendor is then waited out by the requester.
 */
import { systemClock, type Clock } from './http.js';

/** A vendor's documented limit, e.g. 100 requests per 10 seconds. */
export interface RateLimit {
  requests: number;
  perSeconds: number;
}

export class TokenBucket {
  readonly limit: RateLimit;
  readonly #clock: Clock;
  readonly #tokensPerMs: number;
  /** Goes below zero while callers wait: each waiter has reserved a token that is still refilling. */
  #tokens: number;
  #refilledAt: number;

  constructor(limit: RateLimit, clock: Clock = systemClock) {
    if (!(limit.requests > 0 && limit.perSeconds > 0)) throw new RangeError('A rate limit needs positive requests and perSeconds.');
    this.limit = limit;
    this.#clock = clock;
    this.#tokensPerMs = limit.requests / (limit.perSeconds * 1_000);
    this.#tokens = limit.requests;
    this.#refilledAt = clock.now();
  }

  /** Resolves when the caller may send one request; rejects with the signal's reason when it aborts. */
  async take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.#refill();
    // Reserve first and then wait, so concurrent callers queue in order instead of racing for the next token.
    this.#tokens -= 1;
    if (this.#tokens >= 0) return;
    try {
      await this.#clock.sleep(-this.#tokens / this.#tokensPerMs, signal);
    } catch (error) {
      this.#tokens += 1; // the cancelled caller hands its reservation back
      throw error;
    }
  }

  #refill(): void {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.limit.requests, this.#tokens + (now - this.#refilledAt) * this.#tokensPerMs);
    this.#refilledAt = now;
  }
}

/** One bucket per connection, shared by every request and run that uses the connection in this process. */
export class RateLimiters {
  readonly #clock: Clock;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  /** The connection's bucket; a new one when the limit changed (an edited definition). */
  bucketFor(connectionId: string, limit: RateLimit): TokenBucket {
    const bucket = this.#buckets.get(connectionId);
    if (bucket && bucket.limit.requests === limit.requests && bucket.limit.perSeconds === limit.perSeconds) return bucket;
    const fresh = new TokenBucket(limit, this.#clock);
    this.#buckets.set(connectionId, fresh);
    return fresh;
  }
}
