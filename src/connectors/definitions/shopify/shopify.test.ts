import { describe, expect, it } from 'vitest';
import { readAll as readConnector, sandboxPerTest } from '../../../../test/support/connector-reads.js';
import { manualClock } from '../../../../test/support/manual-clock.js';
import { isTributaryError } from '../../../domain/errors.js';
import type { RecordBatch } from '../../runtime/read-stream.js';
import { callbackHmac, callbackProblem } from './callback-hmac.js';
import { shopifySandbox, shopifySandboxToken, type ShopifySandboxOptions } from './sandbox.js';
import { seedShop } from './sandbox-store.js';
import shopify from './shopify.connector.js';

const sandboxes = sandboxPerTest();
const shop = seedShop();

interface GraphqlBody {
  query: string;
  variables: Record<string, unknown>;
}

/** A sandbox on a manual clock, which paces the connector's waits and restores the sandbox's bucket alike. */
async function start(options: ShopifySandboxOptions = {}, faults?: Parameters<typeof sandboxes.start>[1]) {
  const { clock, waits } = manualClock();
  const sandbox = await sandboxes.start(shopifySandbox({ ...options, bucket: { now: clock.now, ...options.bucket } }), faults);
  const bodies: GraphqlBody[] = [];
  const fetchKeepingBodies: typeof fetch = (url, init) => (bodies.push(JSON.parse(String(init?.body)) as GraphqlBody), fetch(url, init));
  const read = (stream: string, { token = shopifySandboxToken, state }: { token?: string; state?: string } = {}) =>
    readConnector(shopify, stream, { secrets: { apiKey: token }, baseUrl: sandbox.url, clock, fetch: fetchKeepingBodies, ...(state ? { state } : {}) });
  return { sandbox, read, waits, bodies };
}

const recordsOf = (batches: RecordBatch[]) => batches.flatMap((b) => b.records as Array<Record<string, unknown>>);

describe('Shopify', () => {
  it.each([
    ['orders', shop.orders.length],
    ['products', shop.products.length],
    ['inventory_levels', shop.locations.reduce((sum, l) => sum + l.levels.length, 0)],
  ])('reads every one of the %s, 250 a page', async (stream, expected) => {
    const { read, bodies } = await start();
    const batches = await read(stream);
    const ids = recordsOf(batches).map((r) => r.id);
    expect(ids).toHaveLength(expected);
    expect(new Set(ids).size).toBe(expected);
    expect(batches.every((b) => b.records.length <= 250)).toBe(true);
    expect(bodies.every((b) => b.variables.first === 250)).toBe(true);
  });

  it('reads inventory per active location, with its quantities by name', async () => {
    const { read } = await start();
    const levels = recordsOf(await read('inventory_levels'));
    const main = shop.locations[0]!;
    expect(new Set(levels.map((l) => l.locationName))).toEqual(new Set(shop.locations.filter((l) => l.isActive).map((l) => l.name)));
    const first = main.levels[0]!;
    expect(levels.find((l) => l.id === first.id)).toEqual({
      id: first.id,
      locationId: main.id,
      locationName: main.name,
      inventoryItemId: first.item.id,
      sku: first.item.sku,
      available: first.quantities.available,
      onHand: first.quantities.on_hand,
      updatedAt: first.updatedAt,
    });
  });

  it('reads orders changed since the saved cursor, oldest change first, committing each page', async () => {
    const { read, bodies } = await start();
    const since = '2025-09-01T00:00:00Z';
    const batches = await read('orders', { state: since });
    const changed = shop.orders.filter((o) => o.updatedAt >= since).length;
    const updates = recordsOf(batches).map((r) => r.updatedAt as string);
    expect(updates).toHaveLength(changed);
    expect(updates).toEqual([...updates].sort());
    expect(batches.every((b) => b.ordered && b.cursor === b.records.map((r) => (r as { updatedAt: string }).updatedAt).at(-1))).toBe(true);
    expect(bodies[0]!.query).toContain('sortKey: UPDATED_AT');
    expect(bodies.every((b) => b.variables.query === `updated_at:>='${since}'`)).toBe(true);
  });

  it('counts a cancelled order as no revenue, and any other at its current total', async () => {
    const { read } = await start();
    const orders = recordsOf(await read('orders')) as Array<{ cancelledAt: string | null; revenue: number; currentTotalPriceSet: { shopMoney: { amount: string } } }>;
    const cancelled = orders.filter((o) => o.cancelledAt);
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.some((o) => Number(o.currentTotalPriceSet.shopMoney.amount) > 0)).toBe(true);
    expect(cancelled.every((o) => o.revenue === 0)).toBe(true);
    expect(orders.filter((o) => !o.cancelledAt).every((o) => o.revenue === Number(o.currentTotalPriceSet.shopMoney.amount))).toBe(true);
  });

  it('waits out THROTTLED, then waits before each page until the bucket holds its cost', async () => {
    // 1,000 points restored at 50 a second, 100 left; each orders page requests 752.
    const { read, waits, sandbox } = await start({ bucket: { initiallyAvailable: 100 } });
    const orders = recordsOf(await read('orders'));
    expect(orders).toHaveLength(600);
    // (752 − 100) / 50 s; then a page of 250 spends 752 and the next waits for all of it again.
    expect(waits).toEqual([13_040, 15_040, 15_040]);
    expect(sandbox.requests).toHaveLength(4);
  });

  it('gives up with rate_limited after five THROTTLED answers', async () => {
    const { read, sandbox } = await start({ bucket: { maximumAvailable: 500 } });
    const error = await read('orders').catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('rate_limited');
    expect((error as Error).message).toContain('Orders query answered THROTTLED after 5 attempts');
    expect(sandbox.requests).toHaveLength(5);
  });

  it('fails with auth_failed, not a retry, when the token is refused', async () => {
    const { read, sandbox } = await start();
    const error = await read('orders', { token: 'shpat_wrong' }).catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('auth_failed');
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.requests[0]!.headers['x-shopify-access-token']).toBe('***');
  });

  it.each([
    ['frozen', 402],
    ['locked', 423],
  ] as const)('fails with vendor_forbidden when the shop is %s (HTTP %i)', async (shopState, status) => {
    const { read } = await start({ shopState });
    const error = await read('products').catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('vendor_forbidden');
    expect((error as Error).message).toContain(`answered HTTP ${status}`);
  });

  it('fails with vendor_forbidden when the token lacks a scope, which Shopify answers inside a 200', async () => {
    const { read } = await start({ scopes: ['read_products'] });
    const error = await read('orders').catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('vendor_forbidden');
    expect((error as Error).message).toContain('Orders query answered ACCESS_DENIED');
  });

  it('stops with invalid_response instead of looping when Shopify repeats a cursor', async () => {
    const { read } = await start({}, { faults: [{ kind: 'repeat_cursor', afterRequests: 1, times: 1 }] });
    const error = await read('orders').catch((e: unknown) => e);
    expect(isTributaryError(error) && error.code).toBe('invalid_response');
  });
});

describe('Shopify OAuth callback', () => {
  it("signs the query as Shopify's documentation shows", () => {
    const query = new URLSearchParams('code=0907a61c0c8d55e99db179b68161bc00&hmac=700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173');
    expect(callbackHmac(query, 'hush')).toBe(query.get('hmac'));
    expect(callbackProblem(query, 'hush', 'some-shop.myshopify.com')).toBeUndefined();
  });

  it('refuses a callback with a changed parameter, or from another shop', () => {
    const query = new URLSearchParams({ code: 'c1', shop: 'acme.myshopify.com', state: 's1', timestamp: '1700000000' });
    query.set('hmac', callbackHmac(query, 'secret'));
    expect(callbackProblem(query, 'secret', 'other.myshopify.com')).toContain('another shop');
    query.set('code', 'c2');
    expect(callbackProblem(query, 'secret', 'acme.myshopify.com')).toContain('hmac');
  });
});
