import { defineConnector } from '../../runtime/define.js';
import { shopifyHooks } from './hooks.js';
import { graphqlPath } from './queries.js';

/**
 * Shopify's Admin API (GraphQL, version in `queries.ts`): orders, products and inventory levels of
 * one shop, read by the hooks in `hooks.ts`. Signed in with an admin API access token of a custom
 * app, or with OAuth per shop: the authorization server lives on the shop's own domain, and the
 * offline token it returns goes in `X-Shopify-Access-Token` rather than as a bearer.
 * Docs: https://shopify.dev/docs/api/admin-graphql, https://shopify.dev/docs/apps/build/authentication-authorization.
 * No `rateLimit`: Shopify limits by query cost, which `query-cost-budget.ts` keeps to.
 */
const stream = (description: string, records: string) => ({ description, request: { method: 'POST' as const, path: graphqlPath }, records, primaryKey: 'id' });

export default defineConnector(
  {
    id: 'shopify',
    name: 'Shopify',
    kind: 'api',
    category: 'ecommerce',
    description: 'Orders, products and inventory levels of a Shopify store, with daily orders and revenue.',
    docs: 'https://shopify.dev/docs/api/admin-graphql',
    icon: 'icon.svg',
    baseUrl: 'https://{shop}',
    config: {
      shop: {
        title: 'Shop domain',
        description: "The store's myshopify.com domain, such as acme.myshopify.com (Settings → Domains).",
        pattern: { regex: '^[a-zA-Z0-9][a-zA-Z0-9-]*\\.myshopify\\.com$', message: 'must be a myshopify.com domain such as acme.myshopify.com' },
      },
    },
    auth: [
      { method: 'api_key', label: 'Admin API access token', in: 'header', name: 'X-Shopify-Access-Token' },
      {
        method: 'oauth2',
        label: 'Sign in to your store',
        provider: 'shopify',
        authorizationUrl: 'https://{shop}/admin/oauth/authorize',
        tokenUrl: 'https://{shop}/admin/oauth/access_token',
        // Comma-separated, as Shopify wants; no `grant_options[]=per-user`, so the token is offline. A
        // location's name needs `read_locations` since 2024-07 (https://shopify.dev/changelog/the-location-object-requires-read_locations-scope).
        scopes: ['read_orders', 'read_products', 'read_inventory', 'read_locations'],
        scopeSeparator: ',',
        tokenHeader: { name: 'X-Shopify-Access-Token', prefix: '' },
      },
    ],
    streams: {
      orders: { ...stream('Orders with their statuses and totals, and revenue (0 once cancelled).', 'data.orders.nodes'), incremental: { field: 'updatedAt' } },
      products: { ...stream('Products with their status, vendor and type.', 'data.products.nodes'), incremental: { field: 'updatedAt' } },
      inventory_levels: stream('Available and on-hand quantities per location and inventory item.', 'data.location.inventoryLevels.nodes'),
    },
    testStream: 'products',
    metrics: [
      {
        // The day is the UTC day of `createdAt`, not the shop's: using the shop's would take reading
        // `shop { ianaTimezone }` once per read and giving each order its local day as a field.
        stream: 'orders',
        date: 'createdAt',
        identity: 'id',
        values: { orders: { constant: 1 }, revenue: 'revenue' },
        units: { revenue: 'currency' },
      },
    ],
  },
  shopifyHooks,
);
