import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShop } from '../src/connectors/definitions/shopify/sandbox-store.js';
import { readCredentialSecret } from '../src/store/credential-repository.js';
import { call, runToEnd, signUpTenant, startTestApi, type Tenant, type TestApi } from './support/api.js';
import { consent, returnToHub, signIn, startSignIn } from './support/oauth.js';

/**
 * Shopify as a new user meets it in sandbox mode: connect with an admin API token, or sign in to
 * the shop with OAuth (the sandbox's consent page, Shopify's signed callback, an offline token in
 * `X-Shopify-Access-Token`), sync orders, products and inventory into the workspace's dataset,
 * and find one `metrics_daily` row per order.
 */
let t: TestApi;
let a: Tenant;
const shop = seedShop();
const levels = shop.locations.reduce((sum, l) => sum + l.levels.length, 0);
const allDays = { from: '2024-01-01', to: '2026-12-31' };

beforeAll(async () => {
  t = await startTestApi({ worker: { random: () => 0 }, oauth: { apps: { shopify: { clientId: 'shopify-live-client', clientSecret: 'shopify-live-secret' } } } });
  a = await signUpTenant(t.api, 'merchant');
});
afterAll(() => t.close());

async function createConnection(body: Record<string, unknown>) {
  const res = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'shopify', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const runAndWait = (connectionId: string) => runToEnd(t.api, a, connectionId);

async function storedSecrets(connectionId: string): Promise<Record<string, string> | undefined> {
  return t.store.db.withWorkspace(a.workspaceId, async (tx) => {
    const [row] = await tx.query<{ credential_id: string | null }>(`SELECT credential_id FROM connections WHERE id = $1`, [connectionId]);
    return row?.credential_id ? (JSON.parse(await readCredentialSecret(tx, t.vault, a.workspaceId, row.credential_id)) as Record<string, string>) : undefined;
  });
}

const metricsOf = async (connectionId: string) => (await (await t.warehouse.destination(a.workspaceId)).readMetrics(allDays)).filter((m) => m.connection_id === connectionId);

describe('Shopify (sandbox)', () => {
  it('connects with an admin API token, syncs every stream, keeps one metrics_daily row per order, and a second sync changes no count', async () => {
    const id = await createConnection({});
    const tested = await call(t.api, { method: 'POST', url: `/api/v1/connections/${id}/test`, auth: a.session });
    expect(tested.json()).toMatchObject({ connection: { status: 'connected', source: 'sandbox' } });

    const first = await runAndWait(id);
    expect(first).toMatchObject({ status: 'succeeded', streams: { orders: { records: 600 }, products: { records: 300 }, inventory_levels: { records: levels } } });
    const destination = await t.warehouse.destination(a.workspaceId);
    expect((await destination.describeTable('shopify_orders'))!.rowCount).toBe(600);
    expect((await destination.describeTable('shopify_inventory_levels'))!.rowCount).toBe(levels);

    const metrics = await metricsOf(id);
    expect(metrics).toHaveLength(600);
    expect(metrics.every((m) => m.provider === 'shopify' && m.metrics.orders === 1)).toBe(true);
    const cancelled = shop.orders.find((o) => o.cancelledAt && Number(o.currentTotalPriceSet.shopMoney.amount) > 0)!;
    const paid = shop.orders.find((o) => !o.cancelledAt)!;
    const rowOf = (order: { id: string }) => metrics.find((m) => m.dimension_key === `#=${order.id}`)!;
    expect(rowOf(paid)).toMatchObject({ date: paid.createdAt.slice(0, 10), metrics: { orders: 1, revenue: Number(paid.currentTotalPriceSet.shopMoney.amount) } });
    expect(rowOf(cancelled).metrics.revenue).toBe(0);

    const second = await runAndWait(id);
    expect(second.status).toBe('succeeded');
    // Orders changed at or after the saved cursor are read again; nothing is counted twice.
    expect(second.streams.orders!.records).toBeLessThan(600);
    expect(await metricsOf(id)).toHaveLength(600);
    expect((await destination.describeTable('shopify_orders'))!.rowCount).toBe(600);
  });

  it("signs in to the shop with OAuth, checks Shopify's signed callback, and syncs with the offline token", async () => {
    const id = await createConnection({ authMethod: 'oauth2' });
    await signIn(t.api, a, 'shopify', id);
    const view = (await call(t.api, { method: 'GET', url: `/api/v1/connections/${id}`, auth: a.session })).json();
    expect(view).toMatchObject({ status: 'connected', credential: { hint: expect.stringMatching(/^OAuth sbx-/) } });
    // Shopify's offline token neither expires nor comes with a refresh token.
    const secrets = (await storedSecrets(id))!;
    expect(Object.keys(secrets).sort()).toEqual(['accessToken', 'scope']);

    expect(await runAndWait(id)).toMatchObject({ status: 'succeeded', streams: { orders: { records: 600 } } });
  });

  it('refuses a callback whose parameters no longer match their hmac, and stores nothing', async () => {
    const id = await createConnection({ authMethod: 'oauth2' });
    const callback = await consent(await startSignIn(t.api, a, 'shopify', id));
    expect(callback.searchParams.get('shop')).toBe('tributary-sandbox.myshopify.com');
    callback.searchParams.set('timestamp', String(Number(callback.searchParams.get('timestamp')) + 1));
    const res = await returnToHub(t.api, callback, a);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('hmac signature does not match');
    expect(await storedSecrets(id)).toBeUndefined();
  });
});

describe('Shopify (live)', () => {
  it("sends a sign-in to the shop's own authorization page, with Shopify's comma-separated scopes", async () => {
    const id = await createConnection({ mode: 'live', authMethod: 'oauth2', config: { shop: 'acme-outfitters.myshopify.com' } });
    const res = await call(t.api, { method: 'GET', url: `/api/v1/oauth/shopify/start?connectionId=${id}`, auth: a.session, headers: { accept: 'application/json' } });
    expect(res.statusCode, res.body).toBe(200);
    const url = new URL(res.json().authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe('https://acme-outfitters.myshopify.com/admin/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe('shopify-live-client');
    expect(url.searchParams.get('scope')).toBe('read_orders,read_products,read_inventory,read_locations');
  });

  it('refuses a shop that is not a myshopify.com domain, so no token is sent elsewhere', async () => {
    const res = await call(t.api, { method: 'POST', url: '/api/v1/connections', auth: a.session, body: { connectorId: 'shopify', mode: 'live', config: { shop: 'evil.example/acme.myshopify.com' }, secrets: { apiKey: 'shpat_x' } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('config.shop: must be a myshopify.com domain such as acme.myshopify.com');
  });
});
