import { seededRecords, type SeededRandom } from '../../sandboxes/index.js';

/**
 * The sandbox's shop, seeded: orders (names from #1001, created through 2025 in order and updated
 * later, some cancelled), products with one inventory item each, and locations that stock most
 * items. The sandbox builds it on its first query and keeps it; records carry Shopify's global ids
 * (`gid://shopify/Order/…`) and read like its objects (https://shopify.dev/docs/api/admin-graphql/2025-10/objects/Order,
 * `…/objects/Product`, `…/objects/Location`, `…/objects/InventoryLevel`).
 */
export const sandboxShopDomain = 'tributary-sandbox.myshopify.com';
export const sandboxShop = { name: 'Tributary Sandbox Outfitters', myshopifyDomain: sandboxShopDomain, currencyCode: 'USD', ianaTimezone: 'America/New_York' };

export interface ShopSize {
  orders?: number;
  products?: number;
}

const day = 86_400_000;
const ordersFrom = Date.parse('2025-01-01T00:00:00Z');
const ordersTo = Date.parse('2025-12-01T00:00:00Z');
const productsFrom = Date.parse('2024-01-01T00:00:00Z');
const activeLocations = ['Main warehouse', 'Downtown store', 'Harbor pop-up'];
const vendors = ['Riverbend Supply', 'Cedar & Pine', 'Northfork Goods'];
const productTypes = ['Jacket', 'Backpack', 'Mug', 'Tent', 'Boots'];

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: 'USD' }, presentmentMoney: { amount, currencyCode: 'USD' } });
const iso = (ms: number) => new Date(Math.floor(ms / 1_000) * 1_000).toISOString().replace('.000Z', 'Z');

function orderAt(random: SeededRandom, i: number, count: number) {
  const created = ordersFrom + (i + random.next()) * ((ordersTo - ordersFrom) / count);
  const total = (random.int(1_500, 40_000) / 100).toFixed(2);
  const cancelled = random.next() < 0.06 ? created + random.int(1, 72) * 3_600_000 : undefined;
  // Voided before payment, the total stays; refunded, it drops to nothing.
  const financial = cancelled ? random.pick(['VOIDED', 'REFUNDED'] as const) : random.pick(['PAID', 'PAID', 'PAID', 'PAID', 'PENDING', 'AUTHORIZED', 'PARTIALLY_REFUNDED'] as const);
  const current = financial === 'REFUNDED' ? '0.00' : financial === 'PARTIALLY_REFUNDED' ? (Number(total) / 2).toFixed(2) : total;
  const updated = Math.max(cancelled ?? created, created + random.int(0, 30) * day + random.int(0, 86_399) * 1_000);
  return {
    id: `gid://shopify/Order/${5_800_000_000_000 + i}`,
    name: `#${1001 + i}`,
    createdAt: iso(created),
    updatedAt: iso(updated),
    processedAt: iso(created),
    cancelledAt: cancelled === undefined ? null : iso(cancelled),
    cancelReason: cancelled === undefined ? null : random.pick(['CUSTOMER', 'INVENTORY', 'DECLINED'] as const),
    displayFinancialStatus: financial,
    displayFulfillmentStatus: cancelled ? 'UNFULFILLED' : random.pick(['FULFILLED', 'FULFILLED', 'UNFULFILLED', 'PARTIALLY_FULFILLED'] as const),
    currentTotalPriceSet: money(current),
    totalPriceSet: money(total),
  };
}

function productAt(random: SeededRandom, i: number) {
  const word = random.word();
  const type = random.pick(productTypes);
  const created = productsFrom + random.int(0, 364) * day + random.int(0, 86_399) * 1_000;
  return {
    id: `gid://shopify/Product/${8_100_000_000_000 + i}`,
    title: `${word.charAt(0).toUpperCase()}${word.slice(1)} ${type}`,
    handle: `${word}-${type.toLowerCase()}-${i + 1}`,
    status: random.pick(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'DRAFT', 'ARCHIVED'] as const),
    vendor: random.pick(vendors),
    productType: type,
    createdAt: iso(created),
    updatedAt: iso(created + random.int(0, 500) * day),
    inventoryItem: { id: `gid://shopify/InventoryItem/${46_000_000_000_000 + i}`, sku: `TRB-${10_000 + i}`, tracked: true },
  };
}

export type SandboxOrder = ReturnType<typeof orderAt>;
export type SandboxProduct = ReturnType<typeof productAt>;

export interface SandboxLevel {
  id: string;
  createdAt: string;
  updatedAt: string;
  item: SandboxProduct['inventoryItem'];
  quantities: Record<string, number>;
}

export interface SandboxLocation {
  id: string;
  name: string;
  isActive: boolean;
  levels: SandboxLevel[];
}

export interface SandboxShopData {
  orders: SandboxOrder[];
  products: SandboxProduct[];
  /** The active locations, then one deactivated location that holds no stock. */
  locations: SandboxLocation[];
}

export function seedShop({ orders = 600, products = 300 }: ShopSize = {}): SandboxShopData {
  const orderList = seededRecords('shopify/orders', orders, (random, i) => orderAt(random, i, orders));
  const productList = seededRecords('shopify/products', products, productAt);
  const seededProducts = Array.from({ length: products }, (_, i) => productList.recordAt(i));
  const names = [...activeLocations, 'Closed outlet'];
  const locations = seededRecords('shopify/locations', names.length, (random, l): SandboxLocation => {
    const number = 70_000_000_000 + l;
    const isActive = l < activeLocations.length;
    // The main warehouse stocks everything; the others most items.
    const stocked = isActive ? seededProducts.filter(() => l === 0 || random.next() < 0.8) : [];
    const levels = stocked.map((product): SandboxLevel => {
      const onHand = random.int(0, 200);
      const updated = Date.parse(product.createdAt) + random.int(0, 400) * day;
      return {
        id: `gid://shopify/InventoryLevel/${number}?inventory_item_id=${product.inventoryItem.id.split('/').pop()}`,
        createdAt: product.createdAt,
        updatedAt: iso(updated),
        item: product.inventoryItem,
        quantities: { on_hand: onHand, available: onHand - random.int(0, Math.min(5, onHand)), incoming: random.int(0, 2) * 12 },
      };
    });
    return { id: `gid://shopify/Location/${number}`, name: names[l]!, isActive, levels };
  });
  return {
    orders: Array.from({ length: orders }, (_, i) => orderList.recordAt(i)),
    products: seededProducts,
    locations: Array.from({ length: names.length }, (_, l) => locations.recordAt(l)),
  };
}
