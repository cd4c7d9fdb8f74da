import { describe, expect, it } from 'vitest';
import { sandboxPerTest } from '../../../../test/support/connector-reads.js';
import { graphqlPath } from './queries.js';
import { shopifySandbox, shopifySandboxToken, type ShopifySandboxOptions } from './sandbox.js';

/** The sandbox's Admin API as a client meets it: over HTTP, with Shopify's shapes. */
const sandboxes = sandboxPerTest();

interface Connection {
  nodes: unknown[];
  edges: Array<{ cursor: string; node: { updatedAt: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string };
}

interface Answer {
  data?: Record<string, Connection>;
  errors: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
  extensions: { cost?: unknown; search?: unknown };
}

async function start(options: ShopifySandboxOptions = {}) {
  const sandbox = await sandboxes.start(shopifySandbox({ orders: 30, products: 5, ...options }));
  return async (query: string, variables: Record<string, unknown> = {}, token = shopifySandboxToken) => {
    const response = await fetch(`${sandbox.url}${graphqlPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };
}

describe('Shopify sandbox', () => {
  it('refuses a request without a valid access token with 401 and Shopify’s body', async () => {
    const post = await start();
    const { status, body } = await post('{ shop { name } }', {}, 'shpat_wrong');
    expect(status).toBe(401);
    expect(body).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
  });

  it('reports the requested and actual cost, and the bucket gives up the actual cost', async () => {
    const post = await start({ bucket: { now: () => 0 } });
    const { body } = await post('{ orders(first: 250) { nodes { id currentTotalPriceSet { shopMoney { amount } } } } }');
    expect(body.data!.orders!.nodes).toHaveLength(30);
    expect(body.extensions.cost).toEqual({ requestedQueryCost: 752, actualQueryCost: 92, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 908, restoreRate: 50 } });
  });

  it('refuses a query costing more than 1,000 before running it', async () => {
    const post = await start();
    const { status, body } = await post('{ orders(first: 250) { nodes { currentTotalPriceSet { shopMoney { amount } } totalPriceSet { shopMoney { amount } } } } }');
    expect(status).toBe(200);
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED', cost: 1252, maxCost: 1000 });
    expect(body.data).toBeUndefined();
  });

  it('answers a field outside the schema, or a connection without first, with GraphQL errors in a 200', async () => {
    const post = await start();
    const unknown = await post('{ orders(first: 5) { nodes { id email } } }');
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors[0]!.message).toBe('Cannot query field "email" on type "Order".');
    const unbounded = await post('{ products { nodes { id } } }');
    expect(unbounded.body.errors[0]).toMatchObject({ message: 'you must provide one of first or last', path: ['products'] });
  });

  it('pages by cursor in the requested order, and filters by the search syntax it knows', async () => {
    const post = await start();
    const query = 'query($after: String, $query: String) { orders(first: 10, after: $after, query: $query, sortKey: UPDATED_AT, reverse: true) { edges { cursor node { id updatedAt } } pageInfo { hasNextPage endCursor } } }';
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const { body } = await post(query, { after });
      const connection = body.data!.orders!;
      seen.push(...connection.edges.map((e) => e.node.updatedAt));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toHaveLength(30);
    expect(seen).toEqual([...seen].sort().reverse());

    const since = seen[9]!;
    const filtered = await post(query, { query: `updated_at:>='${since}' colour:red` });
    expect(filtered.body.data!.orders!.edges.every((e) => e.node.updatedAt >= since)).toBe(true);
    expect(filtered.body.extensions.search).toEqual([{ path: ['orders'], query: `updated_at:>='${since}' colour:red`, warnings: [{ field: 'colour', message: 'Invalid search field for this query.' }] }]);
  });

  it('denies a field the token’s scopes do not reach, naming the scope', async () => {
    const post = await start({ scopes: ['read_inventory'] });
    const { body } = await post('{ locations(first: 5) { nodes { id } } }');
    expect(body.errors[0]).toMatchObject({ path: ['locations'], extensions: { code: 'ACCESS_DENIED', requiredAccess: '`read_locations` access scope.' } });
  });
});
