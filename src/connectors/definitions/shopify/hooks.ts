import { TributaryError } from '../../../domain/errors.js';
import { IncrementalCursor } from '../../runtime/cursor.js';
import type { ConnectionContext, ConnectorHooks, StreamReadContext } from '../../runtime/hooks.js';
import type { RecordBatch } from '../../runtime/read-stream.js';
import { callbackProblem } from './callback-hmac.js';
import { graphqlPages, graphqlSender, type GraphqlSend } from './graphql-client.js';
import { inventoryLevelsQuery, locationsQuery, ordersQuery, productsQuery, type GraphqlQuery } from './queries.js';

/**
 * Shopify's Admin API is GraphQL: every read is a POST of a query, paged by cursor, limited by
 * query cost and answering most errors inside a 200, which the declarative runtime does not read.
 * So its streams are read here (`graphql-client.ts` sends, paces and classifies):
 * - `orders` and `products`: every record changed since the saved cursor (`updated_at:>=`,
 *   sorted by `UPDATED_AT`), so each page's cursor can be committed as it lands.
 * - `inventory_levels`: each active location's levels in full, every sync. Levels hang under
 *   `Location.inventoryLevels`, one flat connection per location, rather than under each
 *   inventory item, whose nested levels would cost `first` × locations per page and need a second
 *   cursor per item; shops have few locations and many items.
 */
type StreamRead = ConnectionContext & StreamReadContext;

interface Order {
  cancelledAt?: string | null;
  currentTotalPriceSet?: { shopMoney?: { amount?: string } };
}

interface InventoryLevel {
  id: string;
  updatedAt: string;
  item: { id: string; sku: string | null };
  quantities: Array<{ name: string; quantity: number }>;
}

interface Location {
  id: string;
  name: string;
}

/**
 * An order as Shopify sends it, plus `revenue`: the current total in the shop's currency (after
 * edits and refunds), or 0 once cancelled. A cancelled order is no sale whether or not its
 * refund has gone through yet, and its total stays visible in `currentTotalPriceSet`.
 */
function orderRecord(node: unknown): Record<string, unknown> {
  const order = node as Order & Record<string, unknown>;
  const total = Number(order.currentTotalPriceSet?.shopMoney?.amount);
  return { ...order, revenue: order.cancelledAt || !Number.isFinite(total) ? 0 : total };
}

function levelRecord(node: unknown, location: Location): Record<string, unknown> {
  const level = node as InventoryLevel;
  const quantity = (name: string) => level.quantities?.find((q) => q.name === name)?.quantity ?? null;
  return {
    id: level.id,
    locationId: location.id,
    locationName: location.name,
    inventoryItemId: level.item?.id,
    sku: level.item?.sku ?? null,
    available: quantity('available'),
    onHand: quantity('on_hand'),
    updatedAt: level.updatedAt,
  };
}

// The saved cursor goes into Shopify's search syntax: only a timestamp may.
const timestamp = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/;

async function* readChanged(send: GraphqlSend, query: GraphqlQuery, context: StreamRead, shape: (node: unknown) => Record<string, unknown>): AsyncGenerator<RecordBatch> {
  const cursor = new IncrementalCursor({ field: 'updatedAt' }, context.state);
  const since = cursor.startFrom();
  const filter = since !== undefined && timestamp.test(since) ? { query: `updated_at:>='${since}'` } : {};
  let page = 0;
  for await (const { nodes, bytes } of graphqlPages(send, query, filter)) {
    const records = nodes.map(shape);
    for (const record of records) cursor.observe(record);
    yield { records, page: ++page, bytes, cursor: cursor.value, ordered: true };
    if (context.maxPages !== undefined && page >= context.maxPages) return;
  }
}

async function* readInventory(send: GraphqlSend, context: StreamRead): AsyncGenerator<RecordBatch> {
  let page = 0;
  for await (const { nodes: locations } of graphqlPages(send, locationsQuery)) {
    for (const location of locations as Location[]) {
      for await (const { nodes, bytes } of graphqlPages(send, inventoryLevelsQuery, { location: location.id })) {
        yield { records: nodes.map((node) => levelRecord(node, location)), page: ++page, bytes, cursor: undefined };
        if (context.maxPages !== undefined && page >= context.maxPages) return;
      }
    }
  }
}

async function* readShopify(stream: string, context: StreamRead): AsyncGenerator<RecordBatch> {
  const send = graphqlSender(context);
  if (stream === 'orders') yield* readChanged(send, ordersQuery, context, orderRecord);
  else if (stream === 'products') yield* readChanged(send, productsQuery, context, (node) => node as Record<string, unknown>);
  else if (stream === 'inventory_levels') yield* readInventory(send, context);
  else throw new TributaryError('not_found', `Shopify has no stream named "${stream}".`);
}

export const shopifyHooks: ConnectorHooks = {
  readStream: readShopify,
  verifyOAuthCallback: (callback, { clientSecret, config }) => callbackProblem(callback, clientSecret, config.shop),
};
