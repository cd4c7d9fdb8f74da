import type { Clock } from '../../runtime/http.js';

/**
 * Shopify's rate limit as the connector last saw it. The Admin API limits by calculated query
 * cost with a leaky bucket per app and shop: a query runs only when the bucket holds its requested
 * cost, and every answer reports the bucket in `extensions.cost.throttleStatus`
 * (https://shopify.dev/docs/api/usage/limits#the-leaky-bucket-algorithm). Before each query the
 * connector waits, through the clock, until the bucket has restored enough since that report, so
 * a read paces itself instead of being answered `THROTTLED`.
 */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  /** Null when the query was throttled and did not run. */
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export class QueryCostBudget {
  readonly #clock: Clock;
  #status: ThrottleStatus | undefined;
  #seenAt = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Remembers the bucket from an answer's `extensions.cost`. */
  observe(status: ThrottleStatus): void {
    this.#status = status;
    this.#seenAt = this.#clock.now();
  }

  /** Milliseconds until the bucket holds `cost` points: 0 when it does, or when nothing is known yet. */
  delayFor(cost: number | undefined): number {
    const status = this.#status;
    if (status === undefined || cost === undefined || !(status.restoreRate > 0)) return 0;
    // Points times 1,000 over points per second: whole milliseconds stay exact, as Shopify counts them.
    const restored = ((this.#clock.now() - this.#seenAt) * status.restoreRate) / 1_000;
    const available = Math.min(status.maximumAvailable, status.currentlyAvailable + restored);
    const needed = Math.min(cost, status.maximumAvailable);
    return available >= needed ? 0 : Math.ceil(((needed - available) * 1_000) / status.restoreRate);
  }

  async waitFor(cost: number | undefined, signal?: AbortSignal): Promise<void> {
    const ms = this.delayFor(cost);
    if (ms > 0) await this.#clock.sleep(ms, signal);
  }
}
